"""Organisation roles (groups synced after every migrate by ``portal.roles``)."""

EDITORS = "Biên tập thông tin tổ chức"

_MODELS = ["intropage", "unit", "official", "sitecontact", "agencylink"]

ROLES = {
    EDITORS: [
        f"organisation.{action}_{model}"
        for model in _MODELS
        for action in ("view", "add", "change", "delete")
        if not (model == "sitecontact" and action == "delete")
    ]
    + [f"organisation.view_historical{model}" for model in _MODELS]
    # Inline images in the introduction pages come from the image library.
    + ["articles.view_image", "articles.add_image"],
}
