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


def _encoded(img, fmt, **save_kwargs):
    buffer = io.BytesIO()
    img.save(buffer, fmt, **save_kwargs)
    return buffer.getvalue()


def test_jpeg_comment_and_xmp_are_dropped():
    data = _encoded(
        PILImage.new("RGB", (64, 64), "red"),
        "JPEG",
        comment=b"SECRET-COMMENT",
        xmp=b"<x:xmpmeta>SECRET-XMP</x:xmpmeta>",
    )
    processed = process_upload(factories.upload(data))
    assert b"SECRET" not in processed.content
    _original, renditions = store_image(processed)
    for name in (renditions[0]["jpeg"], renditions[0]["webp"]):
        with default_storage.open(name) as fh:
            assert b"SECRET" not in fh.read()


@pytest.mark.parametrize("size", [(20_000, 1), (1, 20_000)])
def test_very_long_strips_are_refused_before_anything_is_stored(size):
    data = _encoded(PILImage.new("RGB", size), "PNG")
    with pytest.raises(ValidationError) as error:
        process_upload(factories.upload(data, name="strip.png", content_type="image/png"))
    assert error.value.code == "dimensions"


def test_narrow_tall_image_within_limits_gets_renditions():
    processed = process_upload(
        factories.upload(_encoded(PILImage.new("RGB", (2, 16_000)), "PNG"), name="a.png")
    )
    _original, renditions = store_image(processed)
    assert [r["w"] for r in renditions] == [2]


def test_sixteen_bit_greyscale_keeps_its_tones():
    grey = PILImage.new("I;16", (4, 1))
    grey.putdata([0, 20_000, 40_000, 65_535])
    processed = process_upload(factories.upload(_encoded(grey, "PNG"), name="a.png"))
    values = [processed.image.getpixel((x, 0)) for x in range(4)]
    assert values[0] == 0 and values[-1] == 255
    assert 60 < values[1] < 100 and 140 < values[2] < 170  # not clipped to white


def test_palette_transparency_is_kept_and_renditions_are_on_white():
    palette = PILImage.new("P", (40, 20))
    palette.putpalette([0, 0, 0, 0, 0, 255])
    palette.paste(1, (20, 0, 40, 20))  # left half: index 0 (transparent black)
    data = _encoded(palette, "PNG", transparency=0)
    processed = process_upload(factories.upload(data, name="logo.png"))
    assert processed.image.mode == "RGBA"
    assert PILImage.open(io.BytesIO(processed.content)).convert("RGBA").getpixel((0, 0))[3] == 0
    _original, renditions = store_image(processed)
    with default_storage.open(renditions[0]["jpeg"]) as fh:
        assert min(PILImage.open(fh).convert("RGB").getpixel((2, 10))) > 240  # white, not black


@pytest.mark.parametrize("mode", ["CMYK", "L"])
def test_other_jpeg_modes_are_accepted(mode):
    processed = process_upload(factories.upload(_encoded(PILImage.new(mode, (40, 30)), "JPEG")))
    assert processed.extension == "jpg"
    assert PILImage.open(io.BytesIO(processed.content)).mode in {"RGB", "L"}


def test_animated_images_keep_a_single_frame():
    frames = [PILImage.new("RGB", (40, 40), colour) for colour in ("red", "blue")]
    data = _encoded(frames[0], "WEBP", save_all=True, append_images=frames[1:])
    processed = process_upload(factories.upload(data, name="a.webp", content_type="image/webp"))
    assert getattr(PILImage.open(io.BytesIO(processed.content)), "n_frames", 1) == 1


def test_extension_does_not_decide_the_format():
    data = _encoded(PILImage.new("RGB", (40, 30)), "PNG")
    processed = process_upload(factories.upload(data, name="anh.jpg"))
    assert processed.extension == "png"


def test_truncated_image_is_refused():
    data = _encoded(PILImage.effect_noise((300, 300), 60).convert("RGB"), "PNG")
    with pytest.raises(ValidationError) as error:
        process_upload(factories.upload(data[: len(data) // 2], name="a.png"))
    assert error.value.code == "invalid"
