"""Build an admin form's POST data from the page the admin serves, as a browser would."""


def _value(bound_field):
    value = bound_field.value()
    widget = bound_field.field.widget
    if hasattr(widget, "widgets"):  # split date/time
        parts = widget.decompress(value) if not isinstance(value, list) else value
        return {
            f"{bound_field.html_name}{widget.widgets_names[i]}": "" if part is None else part
            for i, part in enumerate(parts)
        }
    if value is None:
        return {}
    if isinstance(value, bool):
        return {bound_field.html_name: "on"} if value else {}
    if isinstance(value, (list, tuple)):
        return {bound_field.html_name: [str(v) for v in value]}
    return {bound_field.html_name: str(value)}


def form_data(response, **overrides):
    """The values of the admin change form in ``response`` (with its inlines), then overrides.

    Overrides use field names (``number=3``) for the main form and full prefixed names for
    inline rows (``**{"memberships-0-person": 5}``).
    """
    context = response.context
    data = {}
    form = context["adminform"].form
    for bound_field in form:
        if not bound_field.field.disabled:
            data.update(_value(bound_field))
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        for bound_field in formset.management_form:
            data[bound_field.html_name] = str(bound_field.value())
        for row in formset.forms:
            if row.instance.pk is None:  # an empty extra row: left blank, it is ignored
                continue
            for bound_field in row:
                data.update(_value(bound_field))
    for name, value in overrides.items():
        field = form.fields.get(name)
        if field is not None and hasattr(field.widget, "widgets"):
            for suffix, part in zip(field.widget.widgets_names, value, strict=True):
                data[f"{name}{suffix}"] = part
        else:
            data[name] = value
    return {key: value for key, value in data.items() if value is not None}
