"""The one rule for numbers typed by staff, in admin forms and in imports alike.

Vietnamese writes ``642.235`` for six hundred forty-two thousand and ``99,47`` for ninety-nine
point four seven; English Excel writes the opposite. A reader that guesses turns a turnout of
99.470 into 99470 % or 99,47 %, so the rule is fixed and ambiguous input is refused:

- **Counts** (voters, ballots, votes, areas): whole numbers. Thousands may be grouped by
  dots or spaces in groups of three (``642.235``, ``642 235``). A comma is a decimal mark, so
  ``1,5`` and ``1,234`` are refused (a count has no fraction).
- **Percentages**: 0 to 100, decimal comma (``99,47``, ``99,47 %``). A dot is refused:
  ``99.470`` could be 99,47 or 99 470, and a percentage never needs thousands.

Spreadsheet cells holding real numbers are exact and need no rule: a count must be whole.
Percentages are rounded half up to two decimals by :func:`round_percentage`, the one rounding
of the portal (turnout, vote shares, open data).
"""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

HUNDRED = Decimal(100)
TWO_PLACES = Decimal("0.01")
_SPACES = re.compile(r"[\s\u00a0\u202f]")
_PLAIN = re.compile(r"\d+")
_GROUPED = re.compile(r"\d{1,3}(?:(?P<sep>[.\s\u00a0\u202f])\d{3})(?:(?P=sep)\d{3})*")
_PERCENT = re.compile(r"\d{1,3}(?:,\d+)?")


def round_percentage(value):
    """``value`` rounded half up to two decimals (``None`` stays ``None``)."""
    if value is None:
        return None
    return Decimal(value).quantize(TWO_PLACES, ROUND_HALF_UP)


def percentage(part, whole):
    """``part`` as a percentage of ``whole``, two decimals, half up; ``None`` if undefined."""
    if part is None or not whole:
        return None
    return round_percentage(Decimal(part) * HUNDRED / Decimal(whole))


def _shown(value):
    return str(value)[:40]


def parse_count(value):
    """A non-negative whole number from a cell or a form, ``None`` when empty.

    Raises ``ValidationError`` with a Vietnamese message when the value is not a count.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValidationError(_("“%(value)s” không phải số nguyên không âm.") % {"value": value})
    if isinstance(value, (int, float, Decimal)):
        if value >= 0 and value == int(value):
            return int(value)
        raise ValidationError(
            _("“%(value)s” không phải số nguyên không âm.")
            % {"value": _shown(value).replace(".", ",")}
        )
    text = str(value).strip()
    if _PLAIN.fullmatch(text):
        return int(text)
    if _GROUPED.fullmatch(text):
        return int(_SPACES.sub("", text).replace(".", ""))
    if "," in text:
        raise ValidationError(
            _(
                "“%(value)s” không phải số nguyên không âm: dấu phẩy là dấu thập phân. Viết số "
                "nghìn như 1.234 hoặc 1234."
            )
            % {"value": _shown(text)}
        )
    raise ValidationError(_("“%(value)s” không phải số nguyên không âm.") % {"value": _shown(text)})


def parse_percentage(value):
    """A percentage from 0 to 100, rounded to two decimals; ``None`` when empty."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValidationError(_("“%(value)s” không phải tỷ lệ phần trăm.") % {"value": value})
    if isinstance(value, (int, float, Decimal)):
        number = Decimal(str(value))
    else:
        text = _SPACES.sub("", str(value)).removesuffix("%")
        if "." in text:
            raise ValidationError(
                _(
                    "“%(value)s” không rõ nghĩa: phần thập phân của tỷ lệ viết bằng dấu phẩy, "
                    "ví dụ 99,47."
                )
                % {"value": _shown(value)}
            )
        if not _PERCENT.fullmatch(text):
            raise ValidationError(
                _("“%(value)s” không phải tỷ lệ phần trăm (ví dụ 99,47).")
                % {"value": _shown(value)}
            )
        try:
            number = Decimal(text.replace(",", "."))
        except InvalidOperation as exc:  # pragma: no cover - the pattern allows only digits
            raise ValidationError(_("“%(value)s” không phải tỷ lệ phần trăm.")) from exc
    if not (0 <= number <= 100):
        raise ValidationError(
            _("Tỷ lệ phải từ 0 đến 100 (bạn nhập %(value)s).")
            % {"value": _shown(value).replace(".", ",") if not isinstance(value, str) else value}
        )
    return round_percentage(number)


class CountField(forms.IntegerField):
    """A form field for counts under the rule above (``642.235`` is 642235)."""

    widget = forms.TextInput(attrs={"inputmode": "numeric", "size": 12})
    default_error_messages = {"invalid": gettext_lazy("Nhập một số nguyên không âm.")}

    def to_python(self, value):
        return parse_count(value)

    def prepare_value(self, value):
        # Shown the way it is typed and printed on public pages: 1.980, 642.235.
        if isinstance(value, int):
            return f"{value:,}".replace(",", ".")
        return value

    def widget_attrs(self, widget):
        # No min/max/step: a text box, so that 642.235 can be typed and read.
        return {}


class PercentageField(forms.DecimalField):
    """A form field for percentages under the rule above (``99,47``; ``99.470`` refused)."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "size": 8})

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 5)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(**kwargs)

    def to_python(self, value):
        return parse_percentage(value)

    def validate(self, value):
        forms.Field.validate(self, value)

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return f"{value:.2f}".replace(".", ",")
        return value

    def widget_attrs(self, widget):
        return {}


# For ``ModelAdmin.formfield_overrides`` (and inlines): the counts of the portal are
# ``PositiveIntegerField``; orders, numbers and seats (small integers) keep Django's field.
COUNT_FIELD_OVERRIDES = {models.PositiveIntegerField: {"form_class": CountField}}
