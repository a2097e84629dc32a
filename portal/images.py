"""Safe image uploads.

An upload is decoded with a pixel cap (decompression bombs are errors, not warnings),
verified, then re-encoded from its pixels: EXIF/GPS and anything appended to the file are
gone. Renditions (WebP and JPEG at several widths) are made once, at upload, and written
through ``default_storage`` so the same code works on a shared volume or object storage.
"""

import io
import re
import uuid
import warnings
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
RENDITION_WIDTHS = (320, 640, 960, 1280)
# WebP cannot encode a side longer than this: a 1 × 20,000 strip would pass the pixel cap and
# then fail while its renditions are written, after validation, as a server error.
MAX_SIDE = 16383


@dataclass
class ProcessedImage:
    content: bytes
    extension: str
    width: int
    height: int
    image: Image.Image = field(repr=False)


def _max_bytes():
    return settings.PORTAL_IMAGE_MAX_BYTES


def _max_pixels():
    return settings.PORTAL_IMAGE_MAX_PIXELS


def process_upload(uploaded):
    """Validate and re-encode an uploaded image; raise ``ValidationError`` in Vietnamese."""
    size = getattr(uploaded, "size", None)
    if size is not None and size > _max_bytes():
        raise ValidationError(
            _("Ảnh quá lớn (%(size)s MB). Dung lượng tối đa là %(max)s MB.")
            % {"size": round(size / 1_048_576, 1), "max": _max_bytes() // 1_048_576},
            code="too_large",
        )
    uploaded.seek(0)
    data = uploaded.read()
    if len(data) > _max_bytes():
        raise ValidationError(_("Ảnh quá lớn."), code="too_large")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                fmt = probe.format
                width, height = probe.size
                if fmt not in ALLOWED_FORMATS:
                    raise ValidationError(
                        _("Chỉ nhận ảnh JPEG, PNG hoặc WebP (tệp này là %(fmt)s).")
                        % {"fmt": fmt or "?"},
                        code="format",
                    )
                if width * height > _max_pixels():
                    raise ValidationError(
                        _("Ảnh có quá nhiều điểm ảnh (%(w)s × %(h)s). Tối đa %(mp)s megapixel.")
                        % {"w": width, "h": height, "mp": _max_pixels() // 1_000_000},
                        code="pixels",
                    )
                if max(width, height) > MAX_SIDE:
                    raise ValidationError(
                        _("Ảnh quá dài hoặc quá rộng (%(w)s × %(h)s). Mỗi cạnh tối đa %(max)s "
                          "điểm ảnh.")
                        % {"w": width, "h": height, "max": MAX_SIDE},
                        code="dimensions",
                    )  # fmt: skip
                probe.verify()
            with Image.open(io.BytesIO(data)) as img:
                img.load()
                img = ImageOps.exif_transpose(img)
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationError(
            _("Ảnh bị từ chối vì giải nén quá lớn (nghi là tệp độc hại)."), code="bomb"
        ) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(
            _("Tệp không phải ảnh hợp lệ hoặc đã bị hỏng."), code="invalid"
        ) from exc

    img = _normalise_mode(img, fmt)
    # Only the pixels go on: JPEG comments, XMP, ICC and other text chunks would otherwise be
    # copied into the re-encoded file (Pillow writes a JPEG's comment back by default).
    img.info = {}
    content = _encode(img, fmt)
    return ProcessedImage(
        content=content,
        extension=ALLOWED_FORMATS[fmt],
        width=img.width,
        height=img.height,
        image=img,
    )


def _normalise_mode(img, fmt):
    """8-bit RGB(A) or greyscale, keeping transparency where the format has it."""
    if img.mode.startswith("I;16") or img.mode in ("I", "F"):
        # 16-bit and 32-bit greyscale: scale to 8 bits (a plain convert clips to white).
        high = 65535 if img.mode.startswith("I;16") or img.getextrema()[1] > 255 else 255
        img = img.convert("I").point(lambda v: v * (255 / high)).convert("L")
    if fmt == "JPEG":
        return img if img.mode in ("RGB", "L") else img.convert("RGB")
    if img.mode in ("RGB", "RGBA", "L", "LA"):
        return img
    if img.mode in ("P", "PA", "1") and ("transparency" in img.info or img.mode == "PA"):
        return img.convert("RGBA")
    return img.convert("RGBA" if "A" in img.getbands() else "RGB")


def _flatten(img):
    """RGB for renditions: transparent areas on white (JPEG has no alpha; black looks broken)."""
    if "A" not in img.getbands():
        return img.convert("RGB")
    rgba = img.convert("RGBA")
    background = Image.new("RGB", rgba.size, (255, 255, 255))
    background.paste(rgba, mask=rgba.getchannel("A"))
    return background


def _encode(img, fmt):
    buffer = io.BytesIO()
    if fmt == "JPEG":
        img.convert("RGB").save(buffer, "JPEG", quality=85, optimize=True, progressive=True)
    elif fmt == "PNG":
        img.save(buffer, "PNG", optimize=True)
    else:
        img.save(buffer, "WEBP", quality=82, method=4)
    return buffer.getvalue()


def store_image(processed, *, folder="images"):
    """Write the re-encoded original and its renditions; return their storage names.

    Returns ``(original_name, renditions)`` where ``renditions`` is a list of
    ``{"w": width, "webp": name, "jpeg": name}`` from the smallest up.
    """
    key = uuid.uuid4().hex
    prefix = f"{folder}/{key[:2]}/{key}"
    written = []
    try:
        original = default_storage.save(
            f"{prefix}.{processed.extension}", ContentFile(processed.content)
        )
        written.append(original)
        renditions = []
        widths = [w for w in RENDITION_WIDTHS if w < processed.width] or [processed.width]
        rgb = _flatten(processed.image)
        for width in widths:
            height = max(1, round(processed.height * width / processed.width))
            resized = rgb.resize((width, height), Image.Resampling.LANCZOS)
            names = {}
            for fmt, ext in (("WEBP", "webp"), ("JPEG", "jpg")):
                buffer = io.BytesIO()
                resized.save(buffer, fmt, quality=80)
                name = default_storage.save(
                    f"{prefix}-{width}.{ext}", ContentFile(buffer.getvalue())
                )
                written.append(name)
                names["webp" if fmt == "WEBP" else "jpeg"] = name
            renditions.append({"w": width, "h": height, **names})
    except Exception:
        delete_files(written)
        raise
    return original, renditions


def delete_files(names):
    for name in names:
        if name and default_storage.exists(name):
            default_storage.delete(name)


_FILE_NAME = re.compile(
    r"^\s*(img|dsc|dscn|pxl|photo)?[\w\-. ]*\.(jpe?g|png|webp|gif|heic)\s*$", re.I
)
_CAMERA_NAME = re.compile(r"^\s*(img|dsc|dscn|pxl)[_\-]?\d+\s*$", re.I)


def looks_like_file_name(text):
    """True for alt text such as ``IMG_5347.jpg`` (the seed portal published those)."""
    return bool(text and (_FILE_NAME.match(text) or _CAMERA_NAME.match(text)))
