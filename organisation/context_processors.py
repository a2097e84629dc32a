from organisation.services import site_context


def site(request):
    """``site_contact`` and ``agency_links`` for the footer: from the cache, no query on a hit."""
    if request.path_info.startswith("/admin/"):
        return {}
    return site_context()
