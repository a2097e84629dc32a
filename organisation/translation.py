"""Fields with an English version (NĐ 42/2022 Art. 7): ``<field>_vi`` and ``<field>_en``."""

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
