from django import template

register = template.Library()


@register.inclusion_tag("includes/picture.html")
def picture(image, sizes="100vw", alt=None, css_class="", loading="lazy", width=960):
    """A responsive ``<picture>`` from an image's renditions: WebP at every width, and one
    JPEG of about ``width`` pixels in ``<img>`` for the rare browser without WebP (a JPEG
    ``srcset`` as well doubled the markup of every picture, 97 of them on the home page)."""
    return {
        "image": image,
        "sizes": sizes,
        "alt": image.alt_text if alt is None and image else alt,
        "css_class": css_class,
        "loading": loading,
        "src": image.rendition_url(width) if image else "",
    }
