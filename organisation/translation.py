"""Fields with an English version (NĐ 42/2022 Art. 7): ``<field>_vi`` and ``<field>_en``.

The change history of these models is registered here too, after their translation: see the end.
"""

import simple_history
from django.utils.translation import gettext_lazy as _
from modeltranslation.translator import TranslationOptions, register

from organisation.models import AgencyLink, IntroPage, Official, SiteContact, Unit


@register(IntroPage)
class IntroPageTranslation(TranslationOptions):
    fields = ("title", "summary", "body")


@register(Unit)
class UnitTranslation(TranslationOptions):
    fields = ("name", "functions", "address", "head_position")


@register(Official)
class OfficialTranslation(TranslationOptions):
    fields = ("position",)


@register(SiteContact)
class SiteContactTranslation(TranslationOptions):
    fields = ("agency_name", "responsible_person", "address", "licence")


@register(AgencyLink)
class AgencyLinkTranslation(TranslationOptions):
    fields = ("name",)


# Registered here rather than as ``history = HistoricalRecords()`` on the models (the other
# apps' way): a historical model copies the fields its model has when it is built, and on the
# model class that is before modeltranslation adds ``name_vi``/``name_en``, so the history
# would keep only the language-less column (django-simple-history's documented way with
# django-modeltranslation).
for model, verbose_name in [
    (IntroPage, _("lịch sử trang giới thiệu")),
    (Unit, _("lịch sử đơn vị")),
    (Official, _("lịch sử cán bộ đầu mối liên hệ")),
    (SiteContact, _("lịch sử thông tin liên hệ của cổng")),
    (AgencyLink, _("lịch sử liên kết cơ quan nhà nước")),
]:
    simple_history.register(model, verbose_name=verbose_name)
