from django import forms
from django.utils.translation import gettext_lazy as _

from elections.models import Election, Membership, TurnoutSummary
from portal.numbers import CountField, PercentageField
from portal.text import nfc


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
    # The portal's one number rule: "99,47"; "99.470" is refused as ambiguous.
    percentage = PercentageField(
        label=_("tỷ lệ cử tri đi bầu (%)"),
        required=False,
        help_text=TurnoutSummary._meta.get_field("percentage").help_text,
    )

    class Meta:
        model = TurnoutSummary
        fields = ["registered", "voted", "percentage", "areas_total", "areas_full", "source"]
        field_classes = {
            "registered": CountField,
            "voted": CountField,
            "areas_total": CountField,
            "areas_full": CountField,
        }


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
