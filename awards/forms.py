from django import forms
from django.utils.translation import gettext_lazy as _


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp danh sách (.csv hoặc .xlsx)"),
        help_text=_(
            "Dòng đầu là tiêu đề, cần có cột “Loại” (Tập thể / Cá nhân) và “Họ và tên / Tên tập "
            "thể”; có thể thêm “STT”, “Chức vụ”, “Đơn vị”, “Nội dung thành tích”."
        ),
    )
    replace = forms.BooleanField(
        label=_("Thay thế toàn bộ danh sách hiện có"),
        required=False,
        help_text=_("Nếu không chọn, các dòng mới được thêm vào sau danh sách hiện có."),
    )
