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
