from django import template

from organisation.services import lang_of as _lang_of

register = template.Library()


@register.filter
def lang_of(obj, field_name):
    """``<h1 lang="{{ page|lang_of:'title' }}">``: ``vi`` where the English text falls back."""
    return _lang_of(obj, field_name)
