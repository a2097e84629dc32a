"""Spam protection and personal-data consent for public forms, without JavaScript or a
third-party service.

Put the mixin first::

    from portal.publicforms import PublicFormMixin, consent_field

    class QuestionForm(PublicFormMixin, forms.ModelForm):
        consent = consent_field(_("trả lời câu hỏi của tôi"))

The mixin adds two fields, rendered with the rest of the form (``{{ form }}``) or, when the
template lays fields out by hand, with ``{% for field in form.hidden_fields %}{{ field }}
{% endfor %}``:

- a honeypot text box that people never see (visually hidden, ``aria-hidden``, out of the tab
  order, no autofill); a robot that fills it is refused;
- a signed start time: a form sent sooner than ``PORTAL_FORM_MIN_SECONDS`` after the page was
  served, or later than ``PORTAL_FORM_MAX_AGE_HOURS``, or with a forged time, is refused.

A refused form comes back with a Vietnamese message and everything typed still filled in (and a
fresh start time, so sending it again works). Rate-limit the view too (``portal.ratelimit``).

In tests, fill the two fields with ``protection_data()``.
"""

import time

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

HONEYPOT_FIELD = "website"
STARTED_FIELD = "form_started"
_SALT = "portal.publicforms.started"


def start_token(started_at=None):
    """A signed token for the moment the form was served (now unless ``started_at`` is given)."""
    return signing.dumps(int(started_at if started_at is not None else time.time()), salt=_SALT)


def protection_data(seconds_ago=60):
    """The two protection fields as a person who took ``seconds_ago`` seconds would send them."""
    return {HONEYPOT_FIELD: "", STARTED_FIELD: start_token(time.time() - seconds_ago)}


class HoneypotInput(forms.TextInput):
    """A text box hidden from people (CSS class, not an inline style: the CSP forbids those)."""

    # Rendered with the hidden fields, so form templates print no label or help for it.
    is_hidden = True

    def __init__(self, attrs=None):
        super().__init__(
            {
                "class": "visually-hidden",
                "aria-hidden": "true",
                "tabindex": "-1",
                "autocomplete": "off",
                **(attrs or {}),
            }
        )


class PublicFormMixin:
    """Adds the honeypot and the signed start time to a ``Form`` or ``ModelForm``."""

    error_messages_public = {
        "honeypot": _("Không gửi được biểu mẫu. Vui lòng tải lại trang và gửi lại."),
        "invalid": _("Biểu mẫu không hợp lệ hoặc đã bị thay đổi. Vui lòng gửi lại."),
        "too_fast": _("Biểu mẫu được gửi quá nhanh. Vui lòng kiểm tra lại nội dung rồi gửi lại."),
        "expired": _("Biểu mẫu đã hết hạn. Nội dung bạn nhập vẫn được giữ, vui lòng gửi lại."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[HONEYPOT_FIELD] = forms.CharField(
            required=False, label=_("Để trống ô này"), widget=HoneypotInput
        )
        self.fields[STARTED_FIELD] = forms.CharField(
            required=False, widget=forms.HiddenInput, initial=start_token
        )

    def clean(self):
        cleaned = super().clean()
        problem = self._protection_problem()
        if problem:
            # Sending the form again must work: give it a fresh start time, keep the rest.
            self.data = self.data.copy()
            self.data[self.add_prefix(STARTED_FIELD)] = start_token()
            raise forms.ValidationError(self.error_messages_public[problem], code=problem)
        return cleaned

    def _protection_problem(self):
        if self.data.get(self.add_prefix(HONEYPOT_FIELD)):
            return "honeypot"
        token = self.data.get(self.add_prefix(STARTED_FIELD)) or ""
        try:
            started = signing.loads(token, salt=_SALT)
        except signing.BadSignature:
            return "invalid"
        if not isinstance(started, int):
            return "invalid"
        elapsed = time.time() - started
        if elapsed < getattr(settings, "PORTAL_FORM_MIN_SECONDS", 3):
            return "too_fast"
        if elapsed > getattr(settings, "PORTAL_FORM_MAX_AGE_HOURS", 24) * 3600:
            return "expired"
        return None


CONSENT_TEXT = _(
    "Tôi đồng ý cho cơ quan quản lý cổng thông tin xử lý dữ liệu cá nhân tôi cung cấp (họ tên, "
    "địa chỉ, số điện thoại, thư điện tử) chỉ để {purpose}, theo Nghị định 13/2023/NĐ-CP về bảo "
    "vệ dữ liệu cá nhân. Dữ liệu này không được công khai, không được chuyển cho bên khác và "
    "được xóa khi tôi yêu cầu."
)


def consent_field(purpose):
    """A required consent checkbox (Nghị định 13/2023/NĐ-CP) naming what the data is for.

    ``purpose`` is a lazy translatable phrase that completes "chỉ để ...", for example
    ``_("trả lời câu hỏi của tôi")``. Store the moment of consent with the record.
    """
    return forms.BooleanField(
        required=True,
        label=format_lazy(CONSENT_TEXT, purpose=purpose),
        error_messages={
            "required": _("Bạn cần đồng ý cho phép xử lý dữ liệu cá nhân để gửi biểu mẫu.")
        },
    )
