from organisation.services import agency_links, site_contact


def site(request):
    """``site_contact`` and ``agency_links`` for the footer.

    Templates call them, so a page that does not show them costs nothing; each is cached until
    staff change it (no query on a hit, one on a miss).
    """
    if request.path_info.startswith("/admin/"):
        return {}
    return {"site_contact": site_contact, "agency_links": agency_links}
