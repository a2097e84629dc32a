import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_readme_lists_every_environment_variable():
    settings_source = (ROOT / "portal" / "settings.py").read_text()
    names = set(re.findall(r'(?:environ\.get|env_bool|env_list)\(\s*"([A-Z_]+)"', settings_source))
    assert "DJANGO_SECRET_KEY" in names and "REDIS_URL" in names
    names.add("DATABASE_URL")  # read by dj-database-url
    readme = (ROOT / "README.md").read_text()
    missing = sorted(n for n in names if f"`{n}`" not in readme)
    assert missing == []


def test_readme_names_the_two_commands_first():
    readme = (ROOT / "README.md").read_text()
    assert readme.index("make run") < readme.index("## Public pages")
    assert readme.index("make test") < readme.index("## Public pages")
