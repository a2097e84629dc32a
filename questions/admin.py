from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from portal.admin_history import HistoryAdmin
from portal.text import fold_words
from questions.models import Question, Topic
from questions.services import needs_notification, question_notify, question_record_answer

PUBLISH_PERMISSION = "questions.publish_question"
PUBLISHER_STATUSES = {Question.Status.PUBLISHED, Question.Status.CLOSED}


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "order"]
    list_editable = ["order"]
    search_fields = ["name"]


class QuestionAdminForm(forms.ModelForm):
    can_publish = False

    class Meta:
        model = Question
        fields = ["topic", "title", "body", "status", "unit", "answer", "close_reason"]

    def clean_status(self):
        status = self.cleaned_data["status"]
        changed = status != self.initial.get("status")
        if changed and status in PUBLISHER_STATUSES and not self.can_publish:
            raise forms.ValidationError(
                _("Chỉ người có quyền công khai câu hỏi mới được công khai hoặc đóng câu hỏi.")
            )
        return status


@admin.register(Question)
class QuestionAdmin(HistoryAdmin):
    form = QuestionAdminForm
    list_display = ["formatted_reference", "title", "topic", "status", "unit", "created_at",
                    "notified"]  # fmt: skip
    list_filter = ["status", "topic", "unit"]
    list_select_related = ["topic", "unit"]
    search_fields = ["reference", "title", "asker_name", "asker_email", "asker_phone"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["unit"]
    readonly_fields = ["formatted_reference", "asker_name", "asker_email", "asker_phone",
                       "consent_at", "created_at", "answered_at", "answered_by", "published_at",
                       "notified_at", "notify_error"]  # fmt: skip
    fieldsets = [
        (_("Người hỏi (không công khai)"), {"fields": ["formatted_reference", "asker_name",
         "asker_email", "asker_phone", "consent_at", "created_at"]}),
        (_("Câu hỏi"), {"fields": ["topic", "title", "body"]}),
        (_("Xử lý"), {"fields": ["status", "unit", "answer", "close_reason"]}),
        (_("Theo dõi"), {"fields": ["answered_at", "answered_by", "published_at", "notified_at",
         "notify_error"]}),
    ]  # fmt: skip
    actions = ["publish_selected", "notify_again"]

    @admin.display(description=_("mã tra cứu"), ordering="reference")
    def formatted_reference(self, obj):
        return obj.formatted_reference

    @admin.display(description=_("đã báo người hỏi"), boolean=True)
    def notified(self, obj):
        return obj.notified_at is not None

    def has_add_permission(self, request):
        # Questions come from citizens through the public form (with their consent).
        return False

    def get_search_results(self, request, queryset, search_term):
        queryset, duplicates = super().get_search_results(request, queryset, search_term)
        folded = fold_words(search_term)
        if folded:
            queryset |= self.model.objects.filter(search_text__contains=folded)
        return queryset, duplicates

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.can_publish = request.user.has_perm(PUBLISH_PERMISSION)
        return form

    def save_model(self, request, obj, form, change):
        question_record_answer(question=obj, user=request.user)
        super().save_model(request, obj, form, change)
        if needs_notification(obj):
            self._notify(request, obj)

    def _notify(self, request, obj):
        if not obj.asker_email:
            self.message_user(
                request,
                gettext("%(ref)s: người hỏi không để lại thư điện tử; hãy báo qua số điện thoại.")
                % {"ref": obj.formatted_reference},
                messages.WARNING,
            )
            return
        sent, error = question_notify(question=obj, request=request)
        if sent:
            self.message_user(
                request,
                gettext("Đã gửi thư báo trả lời đến %(email)s.") % {"email": obj.asker_email},
                messages.SUCCESS,
            )
        else:
            self.message_user(
                request,
                gettext(
                    "Trả lời đã được lưu nhưng CHƯA gửi được thư cho người hỏi (%(error)s). "
                    "Dùng thao tác “Gửi lại thư trả lời” sau khi kiểm tra cấu hình thư."
                )
                % {"error": error},
                messages.ERROR,
            )

    @admin.action(description=_("Công khai câu hỏi đã trả lời"), permissions=["publish"])
    def publish_selected(self, request, queryset):
        done = skipped = 0
        for question in queryset.select_related(None):
            if not question.answer or question.status == Question.Status.CLOSED:
                skipped += 1
                continue
            question.status = Question.Status.PUBLISHED
            question_record_answer(question=question, user=request.user)
            question.save()
            done += 1
            if needs_notification(question):
                self._notify(request, question)
        self.message_user(
            request,
            ngettext("Đã công khai %(n)d câu hỏi.", "Đã công khai %(n)d câu hỏi.", done)
            % {"n": done},
            messages.SUCCESS,
        )
        if skipped:
            self.message_user(
                request,
                gettext("Bỏ qua %(n)d câu hỏi chưa có trả lời hoặc đã đóng.") % {"n": skipped},
                messages.WARNING,
            )

    @admin.action(description=_("Gửi lại thư trả lời cho người hỏi"), permissions=["change"])
    def notify_again(self, request, queryset):
        for question in queryset:
            if question.status in (Question.Status.ANSWERED, Question.Status.PUBLISHED):
                self._notify(request, question)

    def has_publish_permission(self, request):
        return request.user.has_perm(PUBLISH_PERMISSION)
