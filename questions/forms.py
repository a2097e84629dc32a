from django import forms
from django.utils.translation import gettext_lazy as _

from portal.publicforms import PublicFormMixin, consent_field
from portal.text import nfc
from questions.models import Question, Topic, reference_normalize

PHONE_CHARS = set("0123456789+ .-()")


class QuestionForm(PublicFormMixin, forms.ModelForm):
    consent = consent_field(_("trả lời câu hỏi của tôi"))

    class Meta:
        model = Question
        fields = ["asker_name", "asker_email", "asker_phone", "topic", "title", "body"]
        labels = {
            "asker_name": _("Họ và tên"),
            "asker_email": _("Thư điện tử"),
            "asker_phone": _("Số điện thoại"),
            "topic": _("Lĩnh vực"),
            "title": _("Tiêu đề câu hỏi"),
            "body": _("Nội dung câu hỏi"),
        }
        help_texts = {
            "asker_email": _(
                "Ghi thư điện tử hoặc số điện thoại để nhận trả lời. Không công khai."
            ),
            "asker_phone": _("Không công khai."),
            "body": _("Tối đa 5.000 ký tự."),
        }
        widgets = {
            "asker_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "asker_email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "asker_phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
            "body": forms.Textarea(attrs={"rows": 8, "maxlength": 5000}),
        }
        error_messages = {
            "asker_name": {"required": _("Vui lòng ghi họ và tên.")},
            "asker_email": {"invalid": _("Thư điện tử chưa đúng, ví dụ: ten@example.com.")},
            "topic": {
                "required": _("Vui lòng chọn lĩnh vực."),
                "invalid_choice": _("Lĩnh vực không hợp lệ, vui lòng chọn lại."),
            },
            "title": {"required": _("Vui lòng ghi tiêu đề câu hỏi.")},
            "body": {
                "required": _("Vui lòng ghi nội dung câu hỏi."),
                "max_length": _("Nội dung câu hỏi dài quá 5.000 ký tự."),
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = Topic.objects.all()
        self.fields["topic"].empty_label = _("— Chọn lĩnh vực —")

    def clean_asker_phone(self):
        phone = nfc(self.cleaned_data.get("asker_phone", "")).strip()
        digits = [ch for ch in phone if ch.isdigit()]
        if phone and (set(phone) - PHONE_CHARS or not 8 <= len(digits) <= 15):
            raise forms.ValidationError(_("Số điện thoại chưa đúng, ví dụ: 0226 3852 701."))
        return phone

    def clean(self):
        cleaned = super().clean()
        contact_given = cleaned.get("asker_email") or cleaned.get("asker_phone")
        contact_invalid = "asker_email" in self.errors or "asker_phone" in self.errors
        if not contact_given and not contact_invalid:
            self.add_error(
                "asker_email", _("Ghi thư điện tử hoặc số điện thoại để cơ quan trả lời bạn.")
            )
        return cleaned


class StatusForm(forms.Form):
    ma = forms.CharField(
        label=_("Mã tra cứu"),
        max_length=40,
        help_text=_("Mã có dạng HD-XXXXX-XXXXX, nhận được khi gửi câu hỏi."),
        error_messages={"required": _("Vui lòng nhập mã tra cứu.")},
    )

    def clean_ma(self):
        code = reference_normalize(self.cleaned_data["ma"])
        if len(code) != 10:
            raise forms.ValidationError(_("Mã tra cứu gồm 10 chữ và số, dạng HD-XXXXX-XXXXX."))
        return code
