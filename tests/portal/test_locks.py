from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def pins(name):
    lines = (ROOT / name).read_text().splitlines()
    return dict(line.lower().split("==") for line in lines if "==" in line)


def test_production_lock_is_the_development_lock_without_test_tools():
    runtime, dev = pins("requirements.lock"), pins("requirements-dev.lock")
    assert "django" in runtime and "gunicorn" in runtime
    assert {name: dev.get(name) for name in runtime} == runtime
    assert not {"pytest", "playwright", "ruff"} & set(runtime)
