import re

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from organisation.models import AgencyLink, IntroPage, Official, SiteContact, Unit
from organisation.roles import EDITORS
from organisation.services import agency_links, site_contact
from tests.budgets import PUBLIC_PAGE_QUERIES

pytestmark = pytest.mark.django_db


def make_contact(**fields):
    values = {
        "agency_name_vi": "Ủy ban nhân dân tỉnh",
        "responsible_person_vi": "Chánh Văn phòng",
        "address_vi": "Số 1 đường Trần Phú",
        "hotline": "1900 1234",
        "licence_vi": "Giấy phép số 12/GP-TTĐT",
    }
    values.update(fields)
    return SiteContact.objects.create(**values)


def make_units(n):
    root = Unit.objects.create(name_vi="Ủy ban nhân dân tỉnh", kind=Unit.Kind.LEADERSHIP)
    units = [root]
    for i in range(n):
        unit = Unit.objects.create(
            name_vi=f"Sở thứ {i}", parent=root, address_vi=f"Số {i}", phone="0226 385 000"
        )
        Official.objects.create(name=f"Cán bộ {i}", position_vi="Chánh Văn phòng", unit=unit)
        units.append(unit)
    return units


# --- models ------------------------------------------------------------------------------


def test_intro_page_body_sanitised_in_both_languages_and_slug_from_vietnamese():
    page = IntroPage.objects.create(
        title_vi="Giới thiệu chung",
        title_en="Overview",
        body_vi='<p onclick="x()">Tỉnh<script>alert(1)</script></p>',
        body_en='<p>Province<img src="https://evil.example/x.png"></p>',
    )
    page.refresh_from_db()
    assert page.slug == "gioi-thieu-chung"
    assert page.body_vi == "<p>Tỉnh</p>"
    assert page.body_en.startswith("<p>Province") and "evil.example" not in page.body_en


def test_saving_in_english_never_copies_the_vietnamese_fallback():
    page = IntroPage.objects.create(title_vi="Lịch sử", body_vi="<p>Nội dung</p>")
    with translation.override("en"):
        page = IntroPage.objects.get(pk=page.pk)
        assert page.title == "Lịch sử"  # fallback while reading
        page.order = 3
        page.save()
    page.refresh_from_db()
    assert page.title_en in (None, "")
    assert page.body_en in (None, "")


def test_decomposed_text_is_stored_composed():
    import unicodedata

    unit = Unit.objects.create(name_vi=unicodedata.normalize("NFD", "Sở Nội vụ"))
    unit.refresh_from_db()
    assert unit.name_vi == unicodedata.normalize("NFC", "Sở Nội vụ")


def test_tree_rules_give_vietnamese_messages():
    a = IntroPage.objects.create(title_vi="A")
    b = IntroPage.objects.create(title_vi="B", parent=a)
    c = IntroPage.objects.create(title_vi="C", parent=b)
    d = IntroPage(title_vi="D", parent=c)
    with pytest.raises(ValidationError, match="tối đa ba cấp"):
        d.clean()
    a.parent = c
    with pytest.raises(ValidationError, match="chính nó"):
        a.clean()
    root = Unit.objects.create(name_vi="Gốc")
    child = Unit.objects.create(name_vi="Con", parent=root)
    root.parent = child
    with pytest.raises(ValidationError, match="chính nó"):
        root.clean()


def test_site_contact_is_a_single_record():
    make_contact()
    SiteContact(agency_name_vi="Khác", responsible_person_vi="X", address_vi="Y").save()
    assert SiteContact.objects.get().agency_name_vi == "Khác"  # the one record, replaced
    with pytest.raises(IntegrityError), transaction.atomic():
        SiteContact.objects.bulk_create([SiteContact(id=2, agency_name_vi="x", address_vi="y")])


# --- public pages --------------------------------------------------------------------------


def test_intro_tree_and_page(client):
    top = IntroPage.objects.create(title_vi="Giới thiệu chung", summary_vi="Tóm tắt")
    child = IntroPage.objects.create(
        title_vi="Lịch sử hình thành", parent=top, body_vi="<p>Mốc</p>"
    )
    hidden = IntroPage.objects.create(title_vi="Bản nháp", is_published=False)
    under_hidden = IntroPage.objects.create(title_vi="Con của bản nháp", parent=hidden)
    deep = IntroPage.objects.create(title_vi="Cháu của bản nháp", parent=under_hidden)
    html = client.get(reverse("organisation:intro")).content.decode()
    assert "Giới thiệu chung" in html and "Lịch sử hình thành" in html
    assert "Bản nháp" not in html and "Con của bản nháp" not in html
    response = client.get(child.get_absolute_url())
    assert response.status_code == 200
    assert "Mốc" in response.content.decode()
    assert client.get(hidden.get_absolute_url()).status_code == 404
    assert client.get(under_hidden.get_absolute_url()).status_code == 404
    assert client.get(deep.get_absolute_url()).status_code == 404
    assert "Cháu của bản nháp" not in html
    assert client.get("/gioi-thieu/khong-co-trang-nay/").status_code == 404


def test_english_pages_show_english_text_and_mark_the_fallback(client):
    translated = IntroPage.objects.create(
        title_vi="Chức năng", title_en="Functions", body_vi="<p>Việt</p>", body_en="<p>English</p>"
    )
    untranslated = IntroPage.objects.create(title_vi="Lịch sử", body_vi="<p>Chỉ tiếng Việt</p>")
    translated_url, untranslated_url = (
        translated.get_absolute_url(),
        untranslated.get_absolute_url(),
    )
    html = client.get(f"/en{translated_url}").content.decode()
    assert '<h1 lang="en">Functions</h1>' in html
    assert "<p>English</p>" in html and "Việt" not in html.split("<main")[1].split("org-side")[0]
    html = client.get(f"/en{untranslated_url}").content.decode()
    assert '<h1 lang="vi">Lịch sử</h1>' in html
    assert re.search(r'<div class="article-body" lang="vi"><p>Chỉ tiếng Việt</p>', html)
    html = client.get(translated_url).content.decode()
    assert '<h1 lang="vi">Chức năng</h1>' in html


def test_organisation_chart_is_nested_lists_with_contact_details(client):
    _root, first, *_ = make_units(2)
    first.email = "so@example.gov.vn"
    first.fax = "0226 111"
    first.save()
    html = client.get(reverse("organisation:units")).content.decode()
    outer = html.index('<ul class="org-units">')
    assert html.index("Ủy ban nhân dân tỉnh", outer) < html.index(
        '<ul class="org-units">', outer + 1
    )
    assert "mailto:so@example.gov.vn" in html and "0226 111" in html
    assert "Cán bộ 0" in html and "Chánh Văn phòng" in html


def test_english_chart_falls_back_per_field(client):
    unit = Unit.objects.create(name_vi="Sở Nội vụ", name_en="Department of Home Affairs")
    Official.objects.create(
        name="Nguyễn Văn A", position_vi="Giám đốc", position_en="Director", unit=unit
    )
    Unit.objects.create(name_vi="Sở Xây dựng")
    html = client.get("/en/co-cau-to-chuc/").content.decode()
    assert '<span lang="en">Department of Home Affairs</span>' in html
    assert '<span lang="vi">Sở Xây dựng</span>' in html
    assert '<td lang="en">Director</td>' in html


def test_contact_page(client):
    html = client.get(reverse("organisation:contact")).content.decode()
    assert "Thông tin liên hệ đang được cập nhật." in html
    make_contact(email="lienhe@example.gov.vn", address_en="1 Tran Phu Street")
    unit = Unit.objects.create(name_vi="Văn phòng")
    Official.objects.create(name="Trần Thị B", position_vi="Chuyên viên", unit=unit)
    html = client.get(reverse("organisation:contact")).content.decode()
    assert "Ủy ban nhân dân tỉnh" in html and "Giấy phép số 12/GP-TTĐT" in html
    assert "mailto:lienhe@example.gov.vn" in html and "Trần Thị B" in html
    html = client.get("/en/lien-he/").content.decode()
    assert '<dd lang="en">1 Tran Phu Street</dd>' in html
    assert '<dd lang="vi">Ủy ban nhân dân tỉnh</dd>' in html


@pytest.mark.parametrize("url_name", ["intro", "page", "units", "contact"])
def test_public_pages_run_a_fixed_number_of_queries(client, url_name):
    def build(n):
        IntroPage.objects.filter(parent__isnull=False).delete()
        IntroPage.objects.all().delete()
        Official.objects.all().delete()
        Unit.objects.filter(parent__isnull=False).delete()
        Unit.objects.all().delete()
        top = IntroPage.objects.create(title_vi="Trang gốc")
        for i in range(n):
            IntroPage.objects.create(title_vi=f"Trang {i}", parent=top)
        make_units(n)
        return {
            "intro": reverse("organisation:intro"),
            "page": top.get_absolute_url(),
            "units": reverse("organisation:units"),
            "contact": reverse("organisation:contact"),
        }[url_name]

    make_contact()
    AgencyLink.objects.create(name_vi="Chính phủ", url="https://chinhphu.vn/")
    counts = []
    for n in (1, 12):
        url = build(n)
        cache.clear()
        from django.db import connection

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
    assert counts[1] <= PUBLIC_PAGE_QUERIES


def test_a_warm_organisation_chart_reads_only_the_generation_and_follows_every_change(
    client, django_assert_num_queries
):
    make_units(3)
    url = reverse("organisation:units")
    first = client.get(url)
    # Warm (the page cache is off here): the chart is a cached fragment.
    with django_assert_num_queries(1):
        again = client.get(url)
    assert again.content == first.content
    root = Unit.objects.get(parent__isnull=True)
    Unit.objects.create(name_vi="Sở Nội vụ", parent=root)
    assert "Sở Nội vụ" in client.get(url).content.decode()
    # Each language has its own copy: the English chart is in English where it can be.
    english = client.get("/en" + url).content.decode()
    assert "<h1>Organisation</h1>" in english
    assert '<span lang="vi">Sở Nội vụ</span>' in english  # no English name: marked Vietnamese


# --- footer data (context processor) --------------------------------------------------------


@pytest.fixture
def redis_cache(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/8",
            "KEY_PREFIX": "test-h8-organisation",
        }
    }
    # Django's setting_changed handler rebuilds the cache connections.
    cache.clear()
    yield
    cache.clear()


def test_footer_data_cached_in_redis_and_invalidated_on_change(
    redis_cache, django_assert_num_queries
):
    contact = make_contact()
    AgencyLink.objects.create(name_vi="Chính phủ", name_en="Government", url="https://chinhphu.vn/")
    with django_assert_num_queries(2):
        assert site_contact().agency_name == "Ủy ban nhân dân tỉnh"
        assert [link.name for link in agency_links()] == ["Chính phủ"]
    with django_assert_num_queries(0):
        assert site_contact().hotline == "1900 1234"
        assert len(agency_links()) == 1
    with translation.override("en"), django_assert_num_queries(2):
        data = site_contact()
        assert data.langs["agency_name"] == "vi"  # no English name: fallback, marked
        assert [link.name for link in agency_links()] == ["Government"]
    contact.hotline = "1900 9999"
    contact.save()
    AgencyLink.objects.create(name_vi="Bộ Nội vụ", url="https://moha.gov.vn/", order=5)
    with django_assert_num_queries(2):
        assert site_contact().hotline == "1900 9999"
        assert [link.name for link in agency_links()] == ["Chính phủ", "Bộ Nội vụ"]
    SiteContact.objects.all().delete()
    assert site_contact() is None


def test_context_processor_gives_footer_data_to_templates(rf):
    from django.template import Context, Template

    from organisation.context_processors import site

    make_contact()
    AgencyLink.objects.create(name_vi="Chính phủ", url="https://chinhphu.vn/")
    context = site(rf.get("/"))
    html = Template(
        "{% if site_contact %}{{ site_contact.agency_name }}|{{ site_contact.licence }}{% endif %}"
        "{% for link in agency_links %}|{{ link.name }}={{ link.url }}{% endfor %}"
    ).render(Context(context))
    assert html == "Ủy ban nhân dân tỉnh|Giấy phép số 12/GP-TTĐT|Chính phủ=https://chinhphu.vn/"
    assert site(rf.get("/admin/")) == {}


def test_footer_data_costs_nothing_once_cached(client, django_assert_num_queries):
    """Every page's footer shows the contact record: read once, then from the cache."""
    make_contact()
    client.get("/gioi-thieu/")  # fills the footer's cache (and the menu's)
    from django.db import connection

    with CaptureQueriesContext(connection) as ctx:
        html = client.get("/gioi-thieu/").content.decode()
    assert not any("organisation_sitecontact" in q["sql"] for q in ctx.captured_queries)
    assert not any("organisation_agencylink" in q["sql"] for q in ctx.captured_queries)
    assert "site-footer" in html or "<footer" in html


def test_english_footer_marks_the_vietnamese_fallback_only(client):
    make_contact(agency_name_en="Provincial People's Committee")
    AgencyLink.objects.create(name_vi="Chính phủ", name_en="Government", url="https://chinhphu.vn/")
    AgencyLink.objects.create(name_vi="Bộ Nội vụ", url="https://moha.gov.vn/")
    html = client.get("/en/").content.decode()
    footer = html[html.index('<footer class="site-footer">') :]
    assert '<p class="footer-name" lang="en">Provincial People&#x27;s Committee</p>' in footer
    assert '<span lang="vi">Số 1 đường Trần Phú</span>' in footer  # no English address
    assert 'rel="external noopener" lang="en">Government</a>' in footer
    assert 'rel="external noopener" lang="vi">Bộ Nội vụ</a>' in footer
    html = client.get("/").content.decode()
    footer = html[html.index('<footer class="site-footer">') :]
    assert 'rel="external noopener" lang="vi">Chính phủ</a>' in footer


# --- admin and roles ------------------------------------------------------------------------


ADMIN_URLS = [
    "admin:organisation_intropage_changelist",
    "admin:organisation_intropage_add",
    "admin:organisation_unit_changelist",
    "admin:organisation_unit_add",
    "admin:organisation_official_changelist",
    "admin:organisation_sitecontact_changelist",
    "admin:organisation_agencylink_changelist",
    "admin:organisation_agencylink_add",
]


@pytest.mark.parametrize("url_name", ADMIN_URLS)
def test_admin_permission_ladder(client, make_user, url_name):
    url = reverse(url_name)
    assert client.get(url).status_code == 302  # anonymous: to the log-in page
    client.force_login(make_user("writer", groups=["Biên tập viên"]))
    assert client.get(url).status_code == 403
    client.force_login(make_user("org", groups=[EDITORS]))
    assert client.get(url).status_code == 200


def test_admin_edits_both_languages_and_logs_the_change(client, make_user):
    from django.contrib.admin.models import LogEntry

    client.force_login(make_user("org", groups=[EDITORS]))
    response = client.post(
        reverse("admin:organisation_intropage_add"),
        {
            "title_vi": "Giới thiệu chung",
            "title_en": "Overview",
            "summary_vi": "",
            "summary_en": "",
            "body_vi": "<p>Nội dung<script>x</script></p>",
            "body_en": "",
            "order": "0",
            "is_published": "on",
            "slug": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    page = IntroPage.objects.get()
    assert (page.title_vi, page.title_en, page.body_vi) == (
        "Giới thiệu chung",
        "Overview",
        "<p>Nội dung</p>",
    )
    assert LogEntry.objects.filter(object_id=str(page.pk)).exists()


def test_admin_refuses_a_second_site_contact_and_deleting_it(client, make_user):
    client.force_login(make_user("org", groups=[EDITORS]))
    assert client.get(reverse("admin:organisation_sitecontact_add")).status_code == 200
    make_contact()
    assert client.get(reverse("admin:organisation_sitecontact_add")).status_code == 403
    assert client.get(reverse("admin:organisation_sitecontact_delete", args=[1])).status_code == 403


def test_admin_bad_input_gets_a_vietnamese_message(client, make_user):
    client.force_login(make_user("org", groups=[EDITORS]))
    root = Unit.objects.create(name_vi="Gốc")
    child = Unit.objects.create(name_vi="Con", parent=root)
    data = {
        "name_vi": "Gốc", "name_en": "", "slug": root.slug, "kind": "department",
        "parent": str(child.pk), "functions_vi": "", "functions_en": "", "address_vi": "",
        "address_en": "", "phone": "", "fax": "", "email": "khong-phai-email", "website": "",
        "head_name": "", "head_position_vi": "", "head_position_en": "", "order": "0",
        "officials-TOTAL_FORMS": "0", "officials-INITIAL_FORMS": "0",
    }  # fmt: skip
    response = client.post(reverse("admin:organisation_unit_change", args=[root.pk]), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Đơn vị không thể trực thuộc chính nó." in html
    assert "Nhập địa chỉ email." in html


def test_admin_requires_the_vietnamese_text_only(client, make_user):
    client.force_login(make_user("org", groups=[EDITORS]))
    data = {"name_vi": "", "name_en": "Department", "url": "https://moha.gov.vn/", "order": "0"}
    response = client.post(reverse("admin:organisation_agencylink_add"), data)
    assert response.status_code == 200
    assert "Trường này là bắt buộc." in response.content.decode()
    data.update(name_vi="Bộ Nội vụ", name_en="")
    assert client.post(reverse("admin:organisation_agencylink_add"), data).status_code == 302
    link = AgencyLink.objects.get()
    assert (link.name_vi, link.name_en) == ("Bộ Nội vụ", None)


# --- change history -------------------------------------------------------------------------


def history_objects():
    unit = Unit.objects.create(name_vi="Văn phòng")
    return {
        "intropage": IntroPage.objects.create(title_vi="Giới thiệu chung"),
        "unit": unit,
        "official": Official.objects.create(name="Trần Thị B", position_vi="Chánh", unit=unit),
        "sitecontact": make_contact(),
        "agencylink": AgencyLink.objects.create(name_vi="Chính phủ", url="https://chinhphu.vn/"),
    }


def test_every_model_keeps_its_history_in_both_languages():
    objects = history_objects()
    for obj in objects.values():
        assert obj.history.count() == 1
    link = objects["agencylink"]
    link.name_en = "Government"
    link.save()
    record = link.history.first()
    assert (record.history_type, record.name_vi, record.name_en) == ("~", "Chính phủ", "Government")
    assert record.prev_record.name_en is None
    assert [change.field for change in record.diff_against(record.prev_record).changes] == [
        "name_en"
    ]


@pytest.mark.parametrize("model", ["intropage", "unit", "official", "sitecontact", "agencylink"])
def test_history_pages_permission_ladder(client, make_user, model):
    obj = history_objects()[model]
    url = reverse(f"admin:organisation_{model}_history", args=[obj.pk])
    assert client.get(url).status_code == 302
    client.force_login(make_user("writer", groups=["Biên tập viên"]))
    assert client.get(url).status_code == 403
    client.force_login(make_user("org", groups=[EDITORS]))
    assert client.get(url).status_code == 200


def test_editors_may_read_the_history_models():
    from django.contrib.auth.models import Group

    names = set(Group.objects.get(name=EDITORS).permissions.values_list("codename", flat=True))
    for model in ["intropage", "unit", "official", "sitecontact", "agencylink"]:
        assert f"view_historical{model}" in names


def test_admin_change_of_the_english_name_is_in_the_history_in_vietnamese(client, make_user):
    link = AgencyLink.objects.create(name_vi="Chính phủ", url="https://chinhphu.vn/")
    user = make_user("org", groups=[EDITORS])
    client.force_login(user)
    data = {"name_vi": "Chính phủ", "name_en": "Government", "url": "https://chinhphu.vn/"}
    data["order"] = "0"
    response = client.post(reverse("admin:organisation_agencylink_change", args=[link.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    record = link.history.first()
    assert (record.name_vi, record.name_en, record.history_user) == (
        "Chính phủ",
        "Government",
        user,
    )
    url = reverse("admin:organisation_agencylink_history", args=[link.pk])
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "Lịch sử thay đổi" in html and "Government" in html
    assert "Change history" not in html and "Changed by" not in html
    revert = reverse(
        "admin:organisation_agencylink_simple_history", args=[link.pk, record.prev_record.pk]
    )
    html = client.get(revert).content.decode()
    assert 'name="name_en"' in html and 'value="Government"' not in html  # the older version
    # Reading the history is not reverting it: a view-only user's POST is refused.
    viewer = make_user("viewer", groups=[])
    from django.contrib.auth.models import Permission

    viewer.user_permissions.add(Permission.objects.get(codename="view_agencylink"))
    client.force_login(viewer)
    assert client.post(revert, {}).status_code == 403
    assert link.history.count() == 2


# --- Vietnamese name order ------------------------------------------------------------------

NAMES = ["Lê Thị Thủy", "Trương Quốc Huy", "Đinh Thị Lụa"]
VIETNAMESE_ORDER = ["Trương Quốc Huy", "Đinh Thị Lụa", "Lê Thị Thủy"]


def test_officials_name_column_sorts_in_vietnamese_name_order(client, make_user):
    unit = Unit.objects.create(name_vi="Văn phòng")
    for name in NAMES:
        Official.objects.create(name=name, position_vi="Chuyên viên", unit=unit)
    client.force_login(make_user("org", groups=[EDITORS]))
    url = reverse("admin:organisation_official_changelist")
    names = [o.name for o in client.get(url, {"o": "1"}).context["cl"].result_list]
    assert names == VIETNAMESE_ORDER
    names = [o.name for o in client.get(url, {"o": "-1"}).context["cl"].result_list]
    assert names == VIETNAMESE_ORDER[::-1]


def test_sort_key_migration_fills_existing_officials():
    from importlib import import_module

    from django.apps import apps

    from portal.text import name_sort_key

    unit = Unit.objects.create(name_vi="Văn phòng")
    official = Official.objects.create(name="Đinh Thị Lụa", position_vi="Chánh", unit=unit)
    Official.objects.filter(pk=official.pk).update(sort_key="")
    migration = import_module("organisation.migrations.0002_history_and_official_sort_key")
    migration.fill_sort_keys(apps, None)
    official.refresh_from_db()
    assert official.sort_key == name_sort_key("Đinh Thị Lụa") != ""


def test_history_page_shows_an_empty_value_as_empty_not_none(client, make_user):
    link = history_objects()["agencylink"]
    link.name_en = "Government"
    link.save()
    client.force_login(make_user("org", groups=[EDITORS]))
    html = client.get(reverse("admin:organisation_agencylink_history", args=[link.pk])).content
    text = re.sub(r"\s+", " ", html.decode())
    assert "&nbsp;&rarr;&nbsp;&nbsp;Government" in text
    assert "None" not in text
