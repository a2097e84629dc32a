import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from PIL import Image as PILImage

from portal.images import looks_like_file_name, process_upload, store_image
from tests import factories


def exif_jpeg():
    img = PILImage.new("RGB", (400, 300), (10, 120, 30))
    exif = PILImage.Exif()
    exif[0x010F] = "CameraMaker"  # Make
    exif[0x8825] = {2: (21.0, 0.0, 0.0)}  # GPS latitude
    buffer = io.BytesIO()
    img.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def png_bomb(width=50_000, height=50_000):
    """A tiny PNG whose header claims 2.5 gigapixels."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = zlib.compress(b"\x00" * 1000)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_allowed_formats_are_accepted(fmt):
    processed = process_upload(factories.upload(factories.image_bytes(fmt)))
    assert processed.width == 800
    assert processed.extension in {"jpg", "png", "webp"}


def test_exif_and_gps_are_dropped():
    data = exif_jpeg()
    assert b"CameraMaker" in data
    processed = process_upload(factories.upload(data))
    assert b"CameraMaker" not in processed.content
    assert not PILImage.open(io.BytesIO(processed.content)).getexif()


def test_decompression_bomb_is_refused(settings):
    with pytest.raises(ValidationError) as error:
        process_upload(factories.upload(png_bomb(), name="bom.png", content_type="image/png"))
    assert error.value.code in {"pixels", "bomb"}


def test_pixel_cap_is_enforced(settings):
    settings.PORTAL_IMAGE_MAX_PIXELS = 100_000
    with pytest.raises(ValidationError) as error:
        process_upload(factories.upload(factories.image_bytes(size=(1000, 1000))))
    assert error.value.code == "pixels"
    assert "megapixel" in error.value.messages[0]


def test_byte_cap_is_enforced(settings):
    settings.PORTAL_IMAGE_MAX_BYTES = 1000
    with pytest.raises(ValidationError) as error:
        process_upload(factories.upload())
    assert error.value.code == "too_large"


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (factories.image_bytes("GIF"), "format"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "invalid"),
        (b"<html><script>alert(1)</script></html>", "invalid"),
        (factories.image_bytes("JPEG")[:300], "invalid"),
        (b"", "invalid"),
    ],
)
def test_wrong_or_broken_files_are_refused(data, code):
    with pytest.raises(ValidationError) as error:
        process_upload(factories.upload(data))
    assert error.value.code == code
    assert error.value.messages[0]  # a sentence for the editor, in Vietnamese


def test_polyglot_tail_is_removed_by_reencoding():
    polyglot = factories.image_bytes("JPEG") + b"<script>alert(document.cookie)</script>"
    processed = process_upload(factories.upload(polyglot))
    assert b"<script>" not in processed.content
    PILImage.open(io.BytesIO(processed.content)).verify()


def test_store_writes_random_names_and_renditions():
    processed = process_upload(factories.upload(factories.image_bytes(size=(1000, 600))))
    original, renditions = store_image(processed)
    assert default_storage.exists(original)
    assert "anh" not in original  # the uploaded name is never used
    assert [r["w"] for r in renditions] == [320, 640, 960]
    for rendition in renditions:
        assert default_storage.exists(rendition["webp"])
        assert default_storage.exists(rendition["jpeg"])
        with default_storage.open(rendition["webp"]) as fh:
            assert PILImage.open(fh).format == "WEBP"


def test_small_image_gets_one_rendition_at_its_own_width():
    processed = process_upload(factories.upload(factories.image_bytes(size=(200, 100))))
    _original, renditions = store_image(processed)
    assert [r["w"] for r in renditions] == [200]


@pytest.mark.parametrize("text", ["IMG_5347.jpg", "gui.jpg", "chuyen.JPG", "DSC_0012", "img-1.png"])
def test_file_names_are_not_alt_text(text):
    assert looks_like_file_name(text)


def test_real_description_is_alt_text():
    assert not looks_like_file_name("Đại biểu dự hội nghị tại điểm cầu UBND tỉnh")
