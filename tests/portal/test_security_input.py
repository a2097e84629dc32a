"""Hostile requests answer 4xx, and a scanner's wrong Host is one warning line."""

import io
import logging

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "name",
    [
        "a" * 300 + ".jpg",  # longer than a file name may be (255 bytes)
        "ả" * 100 + ".jpg",  # 100 characters but 300 bytes in UTF-8
        "uploads/" + "b" * 4200 + "/x.jpg",  # a path longer than PATH_MAX
        "x%00.jpg",
        "../../etc/passwd",
        "%2e%2e/%2e%2e/portal/settings.py",
    ],
)
def test_media_with_an_impossible_name_is_404(client, settings, name):
    (settings.MEDIA_ROOT / "uploads").mkdir(parents=True)  # an existing folder, as on a server
    assert client.get(f"/media/{name}").status_code == 404


def test_an_existing_media_file_is_still_served(client, settings):
    folder = settings.MEDIA_ROOT / "uploads"
    folder.mkdir(parents=True)
    (folder / "tep.txt").write_bytes(b"xin chao")
    response = client.get("/media/uploads/tep.txt")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"xin chao"


def test_a_disallowed_host_logs_one_warning_line_without_traceback(client):
    logger = logging.getLogger("django.security.DisallowedHost")
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
    logger.addHandler(handler)
    try:
        response = client.get("/", HTTP_HOST="evil.example")
    finally:
        logger.removeHandler(handler)
    assert response.status_code == 400
    output = stream.getvalue()
    assert output.count("\n") == 1, output
    assert output.startswith("WARNING django.security.DisallowedHost Invalid HTTP_HOST header")
    assert "Traceback" not in output
