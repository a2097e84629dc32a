"""Rich text: the editor widget and the server-side sanitiser, behind one module.

The editor is django-ckeditor's widget (CKEditor 4) without its uploader. Nothing the editor
sends is trusted: every value is cleaned with nh3 when it is saved, so swapping the editor
means changing :func:`editor_widget` only.
"""

import html
import re

import nh3
from django.conf import settings
from django.db import models
from django.forms import Textarea

ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "strong", "b", "em", "i", "u", "s", "sub", "sup",
    "a", "ul", "ol", "li", "blockquote", "hr",
    "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
    "figure", "img", "figcaption",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "figure": {"class"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto"}
# What follows MEDIA_URL in an upload's URL (``images/ab/<hex>-960.jpg``): plain segments only.
# No ``..`` (also not as ``%2e%2e``) and no backslash, which browsers read as ``/``: either
# would turn ``/media/../admin/...`` into a request for any page of the site.
_MEDIA_PATH = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9_.-]*(?:/[A-Za-z0-9_-][A-Za-z0-9_.-]*)*")


def _is_upload_url(value):
    media_url = settings.MEDIA_URL
    return value.startswith(media_url) and bool(_MEDIA_PATH.fullmatch(value[len(media_url) :]))


def _filter_attribute(element, attribute, value):
    # Inline images may only come from the portal's own validated uploads.
    if element == "img" and attribute == "src":
        return value if _is_upload_url(value) else None
    if element == "figure" and attribute == "class":
        return "image" if "image" in value.split() else None
    return value


def sanitize_html(value):
    """Keep the markup news needs; drop scripts, styles, frames, handlers and unsafe URLs."""
    if not value:
        return ""
    return nh3.clean(
        value,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        attribute_filter=_filter_attribute,
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()


def html_to_text(value):
    """Plain text of an HTML fragment, for search and summaries."""
    text = nh3.clean(value or "", tags=set(), strip_comments=True)
    return html.unescape(text)


def feed_text(value):
    """Text for a feed's ``<description>``: readers treat that element as HTML, so plain
    text goes in with any markup stripped and ``<``/``&`` escaped, and shows as text."""
    return html.escape(html_to_text(value), quote=False)


def editor_widget():
    from ckeditor.widgets import CKEditorWidget

    return CKEditorWidget(config_name="default")


def is_editor_widget(widget):
    """Whether ``widget`` is the rich-text editor (its admin page then needs inline script)."""
    from ckeditor.widgets import CKEditorWidget

    return isinstance(widget, CKEditorWidget)


class RichTextField(models.TextField):
    """A text field edited with the rich-text editor and sanitised on every save."""

    def pre_save(self, model_instance, add):
        value = sanitize_html(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value

    def formfield(self, **kwargs):
        # The admin maps every TextField to its plain textarea; rich text keeps the editor.
        widget = kwargs.get("widget")
        widget_class = widget if isinstance(widget, type) else type(widget)
        if widget is None or issubclass(widget_class, Textarea):
            kwargs["widget"] = editor_widget()
        return super().formfield(**kwargs)
