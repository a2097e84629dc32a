import pytest

from tests import factories
from tests import factories as election_helpers
from tests.factories import make_decision

pytestmark = pytest.mark.django_db


def test_sitemap_lists_every_public_section(client):
    article = factories.article()
    draft = factories.article(published=False)
    election = election_helpers.election(is_published=True)
    hidden = election_helpers.election(is_published=False)
    unit = election_helpers.unit(election_helpers.contest(election))
    hidden_unit = election_helpers.unit(election_helpers.contest(hidden))
    decision = make_decision()
    xml = client.get("/sitemap.xml").content.decode()
    for url in ["/tin-tuc/", "/bau-cu/", "/khen-thuong/", article.get_absolute_url()]:
        assert f"http://testserver{url}<" in xml, url
    assert election.get_absolute_url() in xml
    assert decision.get_absolute_url() in xml
    assert draft.get_absolute_url() not in xml
    assert hidden.get_absolute_url() not in xml
    assert f"/bau-cu/{election.slug}/don-vi/{unit.pk}/<" in xml
    assert f"/don-vi/{hidden_unit.pk}/" not in xml
