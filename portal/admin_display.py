"""Admin list columns shared by the apps, so staff pages read like the public ones."""

from django.contrib import admin
from django.contrib.humanize.templatetags.humanize import intcomma


def vi_number(value):
    """A count printed the Vietnamese way (``1.980``), ``—`` when missing: the same
    ``intcomma`` the public templates use, for staff pages built in Python."""
    return "—" if value is None else intcomma(value)


def number_column(model, field):
    """A column that prints a count the Vietnamese way (``1.980``), as the public pages do:
    the admin's own display leaves integers ungrouped (``1980``)."""

    @admin.display(description=model._meta.get_field(field).verbose_name, ordering=field)
    def column(obj):
        return vi_number(getattr(obj, field))

    column.__name__ = f"{field}_display"
    return column


def name_column(model, field):
    """A name column sorted in Vietnamese name order (given name first) by the row's stored
    ``sort_key`` (see portal.text.name_sort_key) instead of by the raw text."""

    @admin.display(description=model._meta.get_field(field).verbose_name, ordering="sort_key")
    def column(obj):
        return getattr(obj, field)

    column.__name__ = f"{field}_display"
    return column
