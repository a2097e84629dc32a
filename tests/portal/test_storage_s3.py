"""Uploads on S3-compatible storage, against a real S3 server on 127.0.0.1 (moto's server mode).

The settings are the ones an operator sets (``AWS_STORAGE_BUCKET_NAME`` and friends, read by
portal/settings.py); here they point at a local server the test starts, so nothing leaves the
machine. Images go through the same code as on disk: validation, re-encoding, renditions,
``srcset`` URLs that a browser can fetch, deletion.
"""

import importlib
import json
import os
import urllib.request
from unittest import mock

import boto3
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from moto.server import ThreadedMotoServer
from storages.backends.s3 import S3Storage

from tests import factories

BUCKET = "cong-thong-tin-media"
PUBLIC_READ = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": "*",
            "Action": "s3:GetObject",
            "Resource": f"arn:aws:s3:::{BUCKET}/*",
        }
    ],
}
KEYS = {"AWS_ACCESS_KEY_ID": "test-key", "AWS_SECRET_ACCESS_KEY": "test-secret"}


@pytest.fixture(scope="module")
def s3_server():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3(s3_server, settings, monkeypatch):
    """The portal configured as an operator would, against a fresh bucket on the local server."""
    for name, value in KEYS.items():
        monkeypatch.setenv(name, value)
    client = boto3.client("s3", endpoint_url=s3_server, region_name="us-east-1")
    client.create_bucket(Bucket=BUCKET)
    # As the README tells operators: anyone may read the files, only the portal may write.
    client.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(PUBLIC_READ))
    environment = {
        "AWS_STORAGE_BUCKET_NAME": BUCKET,
        "AWS_S3_ENDPOINT_URL": s3_server,
        "AWS_S3_REGION_NAME": "us-east-1",
        "AWS_LOCATION": "media",
    }
    names = [
        "MEDIA_URL",
        "AWS_STORAGE_BUCKET_NAME",
        "AWS_S3_ENDPOINT_URL",
        "AWS_S3_REGION_NAME",
        "AWS_LOCATION",
        "AWS_QUERYSTRING_AUTH",
        "AWS_S3_FILE_OVERWRITE",
        "AWS_DEFAULT_ACL",
        "AWS_S3_OBJECT_PARAMETERS",
        "AWS_S3_CUSTOM_DOMAIN",
        "CONTENT_SECURITY_POLICY",
    ]
    import portal.settings as module

    with mock.patch.dict(os.environ, environment):
        configured = importlib.reload(module)
        values = {name: getattr(configured, name) for name in names}
        storage = configured.STORAGES["default"]
    importlib.reload(module)  # back to this process's own environment for other tests
    for name, value in values.items():
        setattr(settings, name, value)
    settings.STORAGES = {**settings.STORAGES, "default": storage}
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def stored_keys(client):
    return sorted(item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []))


def fetch(url):
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - a local test server
        return response.status, response.headers, response.read()


def test_settings_select_s3_storage(s3, s3_server, settings):
    assert settings.STORAGES["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
    assert f"{s3_server}/{BUCKET}/media/" == settings.MEDIA_URL
    assert isinstance(default_storage, S3Storage)
    assert default_storage.bucket_name == BUCKET
    # Pages may show images from the bucket's origin, and no other.
    assert s3_server in settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"]


@pytest.mark.django_db
def test_an_image_and_its_renditions_go_to_the_bucket_and_can_be_fetched(s3, settings):
    image = factories.image()

    keys = stored_keys(s3)
    assert f"media/{image.file.name}" in keys
    renditions = [r[kind] for r in image.renditions for kind in ("webp", "jpeg")]
    assert renditions and all(f"media/{name}" in keys for name in renditions)
    assert not (settings.MEDIA_ROOT / "images").exists()  # nothing written to the local folder

    # The URLs pages print are the bucket's, and serve the stored bytes with a long lifetime.
    first_webp = image.srcset_webp.split(",")[0].split()[0]
    assert first_webp.startswith(settings.MEDIA_URL)
    status, headers, body = fetch(first_webp)
    assert status == 200 and body[:4] == b"RIFF"
    assert "max-age=31536000" in headers.get("Cache-Control", "")
    status, _headers, body = fetch(image.file.url)
    assert status == 200 and body[:2] == b"\xff\xd8"


@pytest.mark.django_db
def test_deleting_an_image_removes_its_files_from_the_bucket(
    s3, make_user, client, django_capture_on_commit_callbacks
):
    image = factories.image()
    assert stored_keys(s3)
    client.force_login(make_user("admin", superuser=True))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/articles/image/{image.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert stored_keys(s3) == []


@pytest.mark.django_db
def test_an_upload_through_the_admin_lands_in_the_bucket(s3, make_user, client):
    client.force_login(make_user("admin", superuser=True))
    upload = SimpleUploadedFile("hoi-nghi.jpg", factories.image_bytes(), "image/jpeg")
    response = client.post(
        "/admin/articles/image/add/",
        {
            "upload": upload,
            "alt_text": "Đại biểu dự hội nghị tổng kết",
            "caption": "",
            "credit": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    keys = stored_keys(s3)
    assert any(key.endswith(".jpg") for key in keys)
    assert any(key.endswith(".webp") for key in keys)


@pytest.mark.django_db
def test_inline_images_from_the_bucket_survive_the_sanitiser(s3, settings):
    from portal.richtext import sanitize_html

    own = f'<img src="{settings.MEDIA_URL}images/ab/abc-960.jpg" alt="x">'
    foreign = '<img src="https://example.org/images/ab/abc-960.jpg" alt="x">'
    assert settings.MEDIA_URL in sanitize_html(own)
    assert "example.org" not in sanitize_html(foreign)
