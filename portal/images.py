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

    if fmt == "JPEG" or img.mode not in ("RGB", "RGBA", "L", "LA"):
        img = img.convert("RGBA" if "A" in img.getbands() and fmt != "JPEG" else "RGB")
    content = _encode(img, fmt)
    return ProcessedImage(
        content=content,
        extension=ALLOWED_FORMATS[fmt],
        width=img.width,
        height=img.height,
        image=img,
    )


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
        rgb = processed.image.convert("RGB")
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
