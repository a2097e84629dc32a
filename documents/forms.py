from django import forms
from django.utils.translation import gettext_lazy as _

from documents.models import Document
from portal.publicforms import PublicFormMixin, consent_field
from portal.text import nfc

STATUS_CHOICES = [
    ("", _("Tất cả")),
    (Document.Status.IN_FORCE, _("Còn hiệu lực")),
    (Document.NOT_YET, _("Chưa có hiệu lực")),
    (Document.Status.PARTLY_EXPIRED, _("Hết hiệu lực một phần")),
    (Document.Status.EXPIRED, _("Hết hiệu lực toàn bộ")),
]


class DocumentFilterForm(forms.Form):
    """The list's filters. A bad value is dropped with a message, never a server error."""

    q = forms.CharField(label=_("Từ khóa hoặc số, ký hiệu"), required=False, max_length=200)
    type = forms.ChoiceField(label=_("Hình thức"), required=False)
    issuer = forms.ChoiceField(label=_("Cơ quan ban hành"), required=False)
    field = forms.ChoiceField(label=_("Lĩnh vực"), required=False)
    year = forms.TypedChoiceField(label=_("Năm ban hành"), required=False, coerce=int)
    status = forms.ChoiceField(label=_("Hiệu lực"), required=False, choices=STATUS_CHOICES)

    def __init__(self, data, *, types, issuers, fields, years):
        super().__init__(data)
        everything = [("", _("Tất cả"))]
        self.fields["type"].choices = everything + [(t.slug, t.name) for t in types]
        self.fields["issuer"].choices = everything + [(i.slug, i.name) for i in issuers]
        self.fields["field"].choices = everything + [(f.slug, str(f)) for f in fields]
        self.fields["year"].choices = everything + [(y, y) for y in years]
        for name in ("q",):
            self.fields[name].widget.attrs["autocomplete"] = "off"

    def clean_q(self):
        return nfc(self.cleaned_data["q"]).strip()

    def selected(self):
        """The valid filters only: each bad field is dropped, the good ones still apply."""
        self.is_valid()
        return {
            name: self.cleaned_data.get(name)
            for name in self.fields
            if name not in self.errors and self.cleaned_data.get(name) not in (None, "")
        }

    def messages(self):
        labels = {name: self.fields[name].label for name in self.fields}
        return [
            _("Bỏ qua bộ lọc “%(label)s”: giá trị không hợp lệ.") % {"label": labels[name]}
            for name in self.errors
        ]


class CommentForm(PublicFormMixin, forms.Form):
    """A citizen's comment on an open draft. Works without JavaScript.

    The honeypot, the minimum fill time and the consent wording come from portal.publicforms.
    """

    name = forms.CharField(label=_("Họ và tên"), max_length=150)
    organisation = forms.CharField(
        label=_("Cơ quan, tổ chức (nếu có)"), max_length=200, required=False
    )
    email = forms.EmailField(
        label=_("Thư điện tử (không công khai)"), required=False, max_length=254
    )
    phone = forms.RegexField(
        label=_("Điện thoại (không công khai)"),
        required=False,
        max_length=30,
        regex=r"^\+?[0-9 .()-]{6,30}$",
        error_messages={"invalid": _("Số điện thoại chỉ gồm chữ số, dấu cách, dấu chấm, gạch.")},
    )
    article_ref = forms.CharField(
        label=_("Điều, khoản góp ý"),
        max_length=100,
        required=False,
        help_text=_("Ví dụ “Điều 5, khoản 2”. Để trống nếu góp ý chung."),
    )
    body = forms.CharField(
        label=_("Nội dung góp ý"), max_length=5000, widget=forms.Textarea(attrs={"rows": 8})
    )
    consent = consent_field(_("tiếp nhận, trả lời góp ý của tôi về dự thảo"))

    def clean(self):
        cleaned = super().clean()
        for key, value in cleaned.items():
            if isinstance(value, str):
                cleaned[key] = nfc(value).strip()
        if "body" in cleaned and not cleaned["body"]:
            self.add_error("body", _("Hãy nhập nội dung góp ý."))
        return cleaned


class DocumentImportForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp danh sách văn bản (.csv hoặc .xlsx)"),
        help_text=_("Mỗi dòng một văn bản. Xem các cột ở bên dưới."),
    )
