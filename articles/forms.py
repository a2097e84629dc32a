from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from articles.models import Article, Image
from articles.services import allowed_statuses
from portal.images import process_upload


class ImageUploadForm(forms.ModelForm):
    """Admin form for the image library: the upload is validated and re-encoded in clean()."""

    upload = forms.FileField(
        label=_("Tệp ảnh"),
        required=False,
        help_text=_("JPEG, PNG hoặc WebP; tối đa 10 MB và 40 megapixel. Ảnh được xử lý lại và "
                    "xóa thông tin EXIF/GPS."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )  # fmt: skip

    class Meta:
        model = Image
        fields = ["upload", "alt_text", "caption", "credit"]

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if upload:
            return process_upload(upload)
        if not self.instance.pk:
            raise ValidationError(_("Hãy chọn một tệp ảnh."), code="required")
        return None


class ArticleAdminForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = [
            "title",
            "slug",
            "category",
            "summary",
            "body",
            "cover",
            "status",
            "publish_at",
            "unpublish_at",
            "is_featured",
            "source",
        ]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if user is not None and "status" in self.fields:
            allowed = allowed_statuses(user)
            self.fields["status"].choices = [(s.value, s.label) for s in allowed]

    def clean_status(self):
        status = self.cleaned_data["status"]
        if self.user is not None and status not in allowed_statuses(self.user):
            raise ValidationError(
                _("Bạn không có quyền xuất bản. Hãy chuyển bài sang “Chờ duyệt”."),
                code="permission",
            )
        return status


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Từ khóa"), max_length=200, required=False, strip=True)

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and "q" in data:
            data = data.copy()
            data["q"] = data.get("q", "")[:200]
        super().__init__(data, *args, **kwargs)
