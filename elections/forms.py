from decimal import ROUND_HALF_UP, Decimal

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from elections.models import Election, Membership, TurnoutSummary
from portal.text import nfc

IMPORT_SALT = "elections.polling-area-import"


class TitlesField(forms.CharField):
    """The ordered titles of a member, typed one per line and stored as a JSON list."""

    widget = forms.Textarea(attrs={"rows": 4, "cols": 60})

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(value)
        return value

    def to_python(self, value):
        if isinstance(value, list):
            return value
        text = nfc(super().to_python(value) or "")
        return [line.strip(" -–\t") for line in text.splitlines() if line.strip(" -–\t")]

    def has_changed(self, initial, data):
        return self.to_python(initial or []) != self.to_python(data)


class MembershipForm(forms.ModelForm):
    titles = TitlesField(
        label=_("chức vụ khi đó"),
        required=False,
        help_text=Membership._meta.get_field("titles").help_text,
    )

    class Meta:
        model = Membership
        fields = ["person", "role", "titles", "order"]


class TurnoutSummaryForm(forms.ModelForm):
    percentage = forms.DecimalField(
        label=_("tỷ lệ cử tri đi bầu (%)"),
        required=False,
        max_digits=12,
        decimal_places=3,
        localize=True,
        help_text=TurnoutSummary._meta.get_field("percentage").help_text,
    )

    class Meta:
        model = TurnoutSummary
        fields = ["registered", "voted", "percentage", "areas_total", "areas_full", "source"]

    def clean_percentage(self):
        # Localised input reads "99.470" as 99470: say so instead of a generic digits error.
        value = self.cleaned_data.get("percentage")
        if value is not None and not (0 <= value <= 100):
            raise forms.ValidationError(
                _(
                    "Tỷ lệ phải từ 0 đến 100 (bạn nhập %(value)s). Dùng dấu phẩy cho phần "
                    "thập phân, ví dụ 99,47."
                ),
                params={"value": value},
            )
        if value is not None:
            value = value.quantize(Decimal("0.01"), ROUND_HALF_UP)
        return value


class PollingAreaImportForm(forms.Form):
    election = forms.ModelChoiceField(
        label=_("Cuộc bầu cử"), queryset=Election.objects.all(), empty_label=None
    )
    file = forms.FileField(
        label=_("Tệp số liệu (.csv hoặc .xlsx)"),
        help_text=_(
            "Theo mẫu biên bản kết quả kiểm phiếu: mỗi dòng một khu vực bỏ phiếu. Xem các cột "
            "ở bên dưới."
        ),
    )


class PollingAreaConfirmForm(forms.Form):
    payload = forms.CharField(widget=forms.HiddenInput)

    def clean_payload(self):
        try:
            return signing.loads(self.cleaned_data["payload"], salt=IMPORT_SALT, max_age=60 * 60)
        except signing.BadSignature as exc:
            raise forms.ValidationError(
                _("Phiên xem trước đã hết hạn hoặc không hợp lệ; hãy tải tệp lên lại.")
            ) from exc


def import_payload(*, election, rows):
    return signing.dumps({"election": election.pk, "rows": rows}, salt=IMPORT_SALT, compress=True)
