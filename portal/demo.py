"""Shared pieces of the demo loaders: accounts and generated placeholder images."""

import io

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from PIL import Image, ImageDraw, ImageFont

DEMO_PASSWORD_SUFFIX = "-demo-2021"  # noqa: S105 - demo accounts, DEBUG only


def ensure_account(username, *, groups=(), superuser=False, full_name=""):
    """Create or reset a demo account; the password is ``<username>-demo-2021``."""
    User = get_user_model()
    first, _, last = full_name.rpartition(" ")
    user, _created = User.objects.get_or_create(
        username=username,
        defaults={"first_name": last or full_name, "last_name": first},
    )
    password = f"{username}{DEMO_PASSWORD_SUFFIX}"
    changed = not user.is_staff or user.is_superuser != superuser
    user.is_staff = True
    user.is_superuser = superuser
    if not user.check_password(password):
        user.set_password(password)
        changed = True
    if changed:
        user.save()
    user.groups.set(Group.objects.filter(name__in=groups))
    return user, password


def _font(size):
    for path in (
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
        "/usr/share/fonts/TTF/DejaVuSans-Bold.ttf",
    ):
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            continue
    return ImageFont.load_default(size=size)


def placeholder_image(label, *, hue=0, size=(1600, 1000)):
    """A JPEG upload (as a file object) that says it is an illustration, not a real photo."""
    width, height = size
    img = Image.new("RGB", size)
    draw = ImageDraw.Draw(img)
    palettes = [((122, 10, 10), (196, 60, 40)), ((20, 60, 110), (60, 120, 170)),
                ((30, 90, 50), (90, 150, 80)), ((90, 60, 20), (170, 120, 50))]  # fmt: skip
    top, bottom = palettes[hue % len(palettes)]
    for y in range(height):
        t = y / height
        colour = tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        draw.line([(0, y), (width, y)], fill=colour)
    draw.text((60, 60), "ẢNH MINH HỌA", font=_font(64), fill=(255, 230, 120))
    y = height // 2 - 60
    line = ""
    for word in label.split():
        candidate = f"{line} {word}".strip()
        if len(candidate) > 38:
            draw.text((60, y), line, font=_font(52), fill="white")
            y += 70
            line = word
        else:
            line = candidate
    draw.text((60, y), line, font=_font(52), fill="white")
    buffer = io.BytesIO()
    img.save(buffer, "JPEG", quality=85)
    upload = ContentFile(buffer.getvalue(), name="placeholder.jpg")
    return upload


def placeholder_pdf(lines):
    """A minimal valid one-page PDF (as a file object) that says it is a placeholder.

    Written by hand (no PDF library): one page, Helvetica, ASCII text. Vietnamese is folded to
    ASCII because the built-in PDF fonts have no Vietnamese glyphs.
    """
    from portal.text import fold

    text_lines = ["TAI LIEU MINH HOA - KHONG PHAI VAN BAN GOC", ""]
    text_lines += [fold(line).upper() if i == 0 else fold(line) for i, line in enumerate(lines)]
    ops = ["BT", "/F1 13 Tf", "16 TL", "60 780 Td"]
    for line in text_lines:
        safe = "".join(ch for ch in line if 32 <= ord(ch) < 127)
        safe = safe.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        ops.append(f"({safe[:90]}) Tj T*")
    ops.append("ET")
    stream = "\n".join(ops).encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return ContentFile(bytes(out), name="placeholder.pdf")
