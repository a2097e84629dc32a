"""`make test`'s first step: Debian's Chromium installed, or one clear line and a stop."""

import os
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / ".ci" / "install-browser"


def fake_bin(tmp_path, *, uid, sudo=False):
    """A PATH holding only stand-ins: ``id``, ``apt-get`` (logs its calls), maybe ``sudo``."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "calls.log"
    scripts = {
        "id": f"echo {uid}",
        "env": 'while [ "${1#*=}" != "$1" ]; do shift; done; exec "$@"',
        # Installing "chromium" puts a chromium on PATH, as apt-get would.
        "apt-get": (
            f'echo "apt-get $*" >> {log}\n'
            f'case "$*" in *install*) printf "#!/bin/sh\\n" > {bin_dir}/chromium; '
            f"/bin/chmod +x {bin_dir}/chromium;; esac"
        ),
    }
    if sudo:
        scripts["sudo"] = f'echo "sudo $*" >> {log}; [ "$1" = "-n" ] && shift; "$@"'
    for name, body in scripts.items():
        path = bin_dir / name
        path.write_text(f"#!/bin/sh\n{body}\n")
        path.chmod(0o755)
    return bin_dir, log


def run(bin_dir):
    return subprocess.run(
        ["/bin/sh", str(SCRIPT)],
        env={**os.environ, "PATH": str(bin_dir)},
        capture_output=True,
        text=True,
        check=False,
    )


def test_without_the_right_to_install_it_stops_with_one_line(tmp_path):
    bin_dir, log = fake_bin(tmp_path, uid=1000)
    result = run(bin_dir)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "apt-get install -y chromium fonts-dejavu-core" in lines[0]
    assert not log.exists()  # nothing was attempted


@pytest.mark.parametrize(("uid", "sudo"), [(0, False), (1000, True)])
def test_installs_it_through_apt_get_when_allowed(tmp_path, uid, sudo):
    bin_dir, log = fake_bin(tmp_path, uid=uid, sudo=sudo)
    result = run(bin_dir)
    assert result.returncode == 0, result.stderr
    calls = log.read_text()
    assert "apt-get install -y -qq chromium fonts-dejavu-core" in calls
    assert ("sudo -n" in calls) is sudo
    assert (bin_dir / "chromium").exists()


def test_does_nothing_when_chromium_is_there(tmp_path):
    bin_dir, log = fake_bin(tmp_path, uid=1000)
    (bin_dir / "chromium").write_text("#!/bin/sh\n")
    (bin_dir / "chromium").chmod(0o755)
    result = run(bin_dir)
    assert result.returncode == 0
    assert not log.exists()
