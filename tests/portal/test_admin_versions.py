"""No silent overwrite: two staff sessions against the real database (portal/admin_versions.py).

Each test drives two logged-in clients the way two browsers would: both open the change page,
both submit the form exactly as the page rendered it (lxml's form values), one after the other.
"""

import threading

import lxml.html
import pytest
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.db import connection
from django.test import Client

from articles.models import Article
from awards.models import Decision, Recipient
from elections.models import PollingArea
from portal.admin_versions import VERSION_FIELD, VersionCheckAdmin, VersionCheckInline
from tests import factories
from tests.factories import make_decision, make_recipients

pytestmark = pytest.mark.django_db

CONFLICT = "Chưa có gì được lưu"


def browser(user):
    client = Client()
    client.force_login(user)
    return client


def form_of(response):
    """What a browser would submit from the admin change form on ``response``."""
    assert response.status_code == 200, response.status_code
    doc = lxml.html.fromstring(response.content.decode())
    (form,) = [f for f in doc.forms if (f.get("id") or "").endswith("_form")]
    data = {}
    for name, value in form.form_values():
        data.setdefault(name, []).append(value)
    return data


def submit(client, url, data, **changes):
    data = {**data, **{k: [v] for k, v in changes.items()}}
    return client.post(url, data)


@pytest.fixture
def two_editors(make_user):
    return (
        make_user("nguyen.an", superuser=True),
        make_user("tran.binh", superuser=True),
    )


def article_url(article):
    return f"/admin/articles/article/{article.pk}/change/"


def test_second_save_from_an_old_form_is_refused_and_keeps_what_was_typed(two_editors):
    an, binh = two_editors
    an.first_name, an.last_name = "An", "Nguyễn Văn"
    an.save()
    article = factories.article(title="Hội nghị tổng kết công tác bầu cử")
    url = article_url(article)
    a, b = browser(an), browser(binh)
    form_a, form_b = form_of(a.get(url)), form_of(b.get(url))
    assert form_a[VERSION_FIELD] == form_b[VERSION_FIELD] != [""]

    assert submit(a, url, form_a, title="Tiêu đề do An sửa").status_code == 302
    response = submit(b, url, form_b, body="<p>Nội dung Bình gõ</p>")

    assert response.status_code == 200
    html = response.content.decode()
    assert CONFLICT in html
    assert "An Nguyễn Văn" in html or "Nguyễn Văn An" in html
    # The field that differs shows the stored value beside what Bình has on the screen.
    assert "Giá trị đang lưu: «Tiêu đề do An sửa»" in html
    assert "Nội dung Bình gõ" in html
    article.refresh_from_db()
    assert article.title == "Tiêu đề do An sửa"
    assert "Bình" not in article.body

    # Saving the returned form again is a deliberate choice: it goes through.
    again = form_of(response)
    assert again[VERSION_FIELD] != form_b[VERSION_FIELD]
    assert b.post(url, again).status_code == 302
    article.refresh_from_db()
    assert "Nội dung Bình gõ" in article.body
    assert article.title == "Hội nghị tổng kết công tác bầu cử"


def test_a_save_from_a_current_form_goes_through(two_editors):
    an, _binh = two_editors
    article = factories.article()
    url = article_url(article)
    a = browser(an)
    assert submit(a, url, form_of(a.get(url)), title="Lần một").status_code == 302
    assert submit(a, url, form_of(a.get(url)), title="Lần hai").status_code == 302
    article.refresh_from_db()
    assert article.title == "Lần hai"


def test_a_change_to_a_field_the_form_does_not_edit_does_not_refuse(two_editors):
    an, _binh = two_editors
    article = factories.article()
    url = article_url(article)
    a = browser(an)
    form_a = form_of(a.get(url))
    # updated_at is shown read-only: saving the form cannot overwrite it.
    Article.objects.filter(pk=article.pk).update(updated_at="2021-06-25T08:00:00+07:00")
    assert submit(a, url, form_a, title="Sửa tiêu đề").status_code == 302


def test_bulk_publish_in_between_is_not_overwritten(two_editors):
    an, binh = two_editors
    article = factories.article(published=False)
    assert article.status == Article.Status.DRAFT
    url = article_url(article)
    b = browser(binh)
    form_b = form_of(b.get(url))

    a = browser(an)
    response = a.post(
        "/admin/articles/article/",
        {"action": "publish_selected", "_selected_action": [article.pk]},
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED

    response = submit(b, url, form_b, summary="Sapo mới")
    html = response.content.decode()
    assert CONFLICT in html
    assert "nguyen.an đã thay đổi bản ghi này" in html
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED


def test_award_decision_and_its_recipient_rows(two_editors):
    an, binh = two_editors
    decision = make_decision()
    (recipient,) = make_recipients(decision, individuals=1, names=["Lê Thị Thủy"])
    url = f"/admin/awards/decision/{decision.pk}/change/"
    a, b = browser(an), browser(binh)
    form_b = form_of(b.get(url))

    # An corrects the recipient on its own page; Bình still has the old row in the inline.
    recipient_url = f"/admin/awards/recipient/{recipient.pk}/change/"
    assert (
        submit(a, recipient_url, form_of(a.get(recipient_url)), position="Tổ phó").status_code
        == 302
    )

    response = submit(b, url, form_b, title="Về việc tặng Bằng khen (sửa)")
    assert response.status_code == 200
    assert CONFLICT in response.content.decode()
    decision.refresh_from_db()
    recipient.refresh_from_db()
    assert decision.title != "Về việc tặng Bằng khen (sửa)"
    assert recipient.position == "Tổ phó"


def test_award_decision_edited_twice(two_editors):
    an, binh = two_editors
    decision = make_decision(title="Về việc tặng Bằng khen")
    url = f"/admin/awards/decision/{decision.pk}/change/"
    a, b = browser(an), browser(binh)
    form_a, form_b = form_of(a.get(url)), form_of(b.get(url))
    assert submit(a, url, form_a, title="Bản của An").status_code == 302
    response = submit(b, url, form_b, title="Bản của Bình")
    assert CONFLICT in response.content.decode()
    assert Decision.objects.get(pk=decision.pk).title == "Bản của An"


def test_a_change_without_a_user_is_named_as_automatic(two_editors):
    _an, binh = two_editors
    area = factories.area(factories.election(), "01", registered=1000, voted=900)
    url = f"/admin/elections/pollingarea/{area.pk}/change/"
    b = browser(binh)
    form_b = form_of(b.get(url))
    # An import or a command saves without a user; simple-history records it.
    area.name = area.name + " (đã nhập lại)"
    area.save()
    response = submit(b, url, form_b)
    html = response.content.decode()
    assert CONFLICT in html
    assert "tiến trình tự động" in html
    assert PollingArea.objects.get(pk=area.pk).name.endswith("(đã nhập lại)")


def test_every_model_admin_checks_versions():
    """New apps are covered by registering with the portal's admin site, nothing more."""
    assert len(admin.site._registry) > 10
    for model, model_admin in admin.site._registry.items():
        assert isinstance(model_admin, VersionCheckAdmin), model


def test_inline_instances_are_versioned(rf, make_user):
    decision = make_decision()
    request = rf.get("/")
    request.user = make_user("sa", superuser=True)
    inlines = admin.site._registry[Decision].get_inline_instances(request, decision)
    assert inlines and all(isinstance(i, VersionCheckInline) for i in inlines)
    assert Recipient in {i.model for i in inlines}


def test_a_view_only_user_sees_the_page_without_a_version(make_user):
    from awards.roles import AUDITORS

    decision = make_decision()
    auditor = browser(make_user("kiemtoan", groups=[AUDITORS]))
    response = auditor.get(f"/admin/awards/decision/{decision.pk}/change/")
    assert response.status_code == 200
    assert VERSION_FIELD not in response.content.decode()


def test_sqlite_transactions_take_the_write_lock_first():
    """On SQLite two saves at once queue instead of failing with "database is locked"."""
    from django.conf import settings

    if connection.vendor == "sqlite":
        assert settings.DATABASES["default"]["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    else:
        assert "transaction_mode" not in settings.DATABASES["default"].get("OPTIONS", {})


# The test database of SQLite lives in shared memory, where concurrent connections get table
# locks instead of waiting: the race itself runs on PostgreSQL (the second CI run).
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks: runs in the PostgreSQL CI run"
)
@pytest.mark.django_db(transaction=True)
def test_two_saves_at_the_same_moment_one_wins(make_user):
    """Both requests carry the same version and run at once: exactly one is saved."""
    an = make_user("nguyen.an", superuser=True)
    binh = make_user("tran.binh", superuser=True)
    article = factories.article(title="Ban đầu")
    url = article_url(article)
    a, b = browser(an), browser(binh)
    form_a, form_b = form_of(a.get(url)), form_of(b.get(url))
    results = {}
    start = threading.Barrier(2)

    def save(name, client, form):
        start.wait()
        try:
            results[name] = submit(client, url, form, title=f"Bản của {name}").status_code
        finally:
            connection.close()

    threads = [
        threading.Thread(target=save, args=("An", a, form_a)),
        threading.Thread(target=save, args=("Bình", b, form_b)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(results.values()) == [200, 302], results
    winner = next(name for name, code in results.items() if code == 302)
    article.refresh_from_db()
    assert article.title == f"Bản của {winner}"


# Rows edited directly in a changelist (list_editable) carry their versions too.

CATEGORIES = "/admin/articles/category/"


def changelist_form_of(response):
    """What a browser would submit with the changelist's *Lưu* button on ``response``."""
    assert response.status_code == 200, response.status_code
    doc = lxml.html.fromstring(response.content.decode())
    (form,) = [f for f in doc.forms if f.get("id") == "changelist-form"]
    data = {"_save": ["Lưu"]}
    for name, value in form.form_values():
        data.setdefault(name, []).append(value)
    return data


def row(data, obj):
    """The formset prefix of ``obj``'s row in a changelist submission."""
    (key,) = [k for k, v in data.items() if k.endswith("-id") and v == [str(obj.pk)]]
    return key.removesuffix("-id")


def edit_row(data, obj, **changes):
    prefix = row(data, obj)
    return {**data, **{f"{prefix}-{name}": [str(value)] for name, value in changes.items()}}


@pytest.fixture
def two_categories(db):
    return factories.category("Thời sự", order=1), factories.category("Kinh tế", order=2)


def test_changelist_rows_carry_their_versions(two_editors, two_categories):
    an, _binh = two_editors
    data = changelist_form_of(browser(an).get(CATEGORIES))
    for category in two_categories:
        assert data[f"{row(data, category)}-{VERSION_FIELD}"] != [""]


def test_changelist_save_of_an_old_version_is_refused(two_editors, two_categories):
    an, binh = two_editors
    thoi_su, kinh_te = two_categories
    a, b = browser(an), browser(binh)
    page_a, page_b = changelist_form_of(a.get(CATEGORIES)), changelist_form_of(b.get(CATEGORIES))

    # An moves "Thời sự" down; Bình, on the page opened before, moves it too and edits
    # "Kinh tế".
    assert a.post(CATEGORIES, edit_row(page_a, thoi_su, order=9)).status_code == 302
    page_b = edit_row(page_b, thoi_su, order=5)
    response = b.post(CATEGORIES, edit_row(page_b, kinh_te, order=7, show_in_menu=""))

    assert response.status_code == 200
    html = response.content.decode()
    assert CONFLICT in html
    assert "Khác với bản bạn đang sửa ở: thứ tự." in html
    assert "Giá trị đang lưu: «9»" in html
    # Nothing of Bình's is stored, An's order stays.
    thoi_su.refresh_from_db()
    kinh_te.refresh_from_db()
    assert (thoi_su.order, kinh_te.order, kinh_te.show_in_menu) == (9, 2, True)
    # The list comes back as Bình typed it, each row beside its own name, with the versions now
    # stored.
    again = changelist_form_of(response)
    assert again[f"{row(again, kinh_te)}-order"] == ["7"]
    assert f"{row(again, kinh_te)}-show_in_menu" not in again
    assert again[f"{row(again, thoi_su)}-order"] == ["5"]
    names = {str(c.pk): c.name for c in two_categories}
    rows = lxml.html.fromstring(html).xpath("//table[@id='result_list']/tbody/tr")
    # The message stands on a line of its own just above the row it is about.
    (message,) = [tr for tr in rows if tr.xpath("./td[@colspan]")]
    assert "nguyen.an đã thay đổi bản ghi này lúc" in message.text_content()
    assert message.getnext().xpath("string(./th)").strip() == "Thời sự"
    for tr in rows:
        if tr is message:
            continue
        # (each cell also carries the value the page showed: "initial-…")
        (order_input,) = tr.xpath(".//input[contains(@name, '-order')][not(@type='hidden')]")
        prefix = order_input.get("name").removesuffix("-order")
        assert tr.xpath("string(./th)").strip() == names[again[f"{prefix}-id"][0]]
    version = f"{row(again, thoi_su)}-{VERSION_FIELD}"
    assert again[version] != page_b[version]

    # A page loaded now is current: Bình's edit goes through and leaves An's alone.
    current = changelist_form_of(b.get(CATEGORIES))
    assert b.post(CATEGORIES, edit_row(current, kinh_te, order=7)).status_code == 302
    thoi_su.refresh_from_db()
    kinh_te.refresh_from_db()
    assert (thoi_su.order, kinh_te.order) == (9, 7)


def test_changelist_row_changed_by_someone_else_and_left_alone_is_kept(two_editors, two_categories):
    """Bình edits one row; another row of his page is out of date, but he did not touch it:
    his edit is saved and the other row keeps An's change (the page submits every row)."""
    an, binh = two_editors
    thoi_su, kinh_te = two_categories
    a, b = browser(an), browser(binh)
    page_a, page_b = changelist_form_of(a.get(CATEGORIES)), changelist_form_of(b.get(CATEGORIES))
    assert (
        a.post(CATEGORIES, edit_row(page_a, thoi_su, order=9, show_in_menu="")).status_code == 302
    )
    response = b.post(CATEGORIES, edit_row(page_b, kinh_te, order=7))
    assert response.status_code == 302  # not refused
    thoi_su.refresh_from_db()
    kinh_te.refresh_from_db()
    assert (thoi_su.order, thoi_su.show_in_menu, kinh_te.order) == (9, False, 7)
    assert list(LogEntry.objects.filter(user=binh).values_list("object_id", flat=True)) == [
        str(kinh_te.pk)
    ]


def test_changelist_saving_a_refused_list_again_writes_only_the_edited_rows(
    two_editors, two_categories
):
    """Refused for a row Bình edited, saved again on purpose: his row is written, and a row he
    left alone that An changed keeps An's change (it used to be written back as the page
    showed it)."""
    an, binh = two_editors
    thoi_su, kinh_te = two_categories
    a, b = browser(an), browser(binh)
    page_a, page_b = changelist_form_of(a.get(CATEGORIES)), changelist_form_of(b.get(CATEGORIES))
    page_a = edit_row(page_a, thoi_su, order=9)
    assert a.post(CATEGORIES, edit_row(page_a, kinh_te, order=8)).status_code == 302
    response = b.post(CATEGORIES, edit_row(page_b, thoi_su, order=5))
    assert CONFLICT in response.content.decode()
    assert b.post(CATEGORIES, changelist_form_of(response)).status_code == 302
    thoi_su.refresh_from_db()
    kinh_te.refresh_from_db()
    assert (thoi_su.order, kinh_te.order) == (5, 8)


def test_changelist_saving_the_refused_list_again_is_deliberate(two_editors, two_categories):
    an, binh = two_editors
    thoi_su, _kinh_te = two_categories
    a, b = browser(an), browser(binh)
    page_a, page_b = changelist_form_of(a.get(CATEGORIES)), changelist_form_of(b.get(CATEGORIES))
    assert a.post(CATEGORIES, edit_row(page_a, thoi_su, order=9)).status_code == 302
    response = b.post(CATEGORIES, edit_row(page_b, thoi_su, order=5))
    assert CONFLICT in response.content.decode()
    assert b.post(CATEGORIES, changelist_form_of(response)).status_code == 302
    thoi_su.refresh_from_db()
    assert thoi_su.order == 5


def test_changelist_stale_row_typed_as_now_stored_does_not_refuse(two_editors, two_categories):
    """A row changed by someone else that the submission would not change cannot be overwritten."""
    an, binh = two_editors
    thoi_su, kinh_te = two_categories
    a, b = browser(an), browser(binh)
    page_a, page_b = changelist_form_of(a.get(CATEGORIES)), changelist_form_of(b.get(CATEGORIES))
    assert a.post(CATEGORIES, edit_row(page_a, thoi_su, order=9)).status_code == 302
    page_b = edit_row(page_b, thoi_su, order=9)
    assert b.post(CATEGORIES, edit_row(page_b, kinh_te, order=7)).status_code == 302
    thoi_su.refresh_from_db()
    kinh_te.refresh_from_db()
    assert (thoi_su.order, kinh_te.order) == (9, 7)
    # The version is bookkeeping: the log records only what was edited, for one row.
    entry = LogEntry.objects.filter(user=binh).get()
    assert entry.object_id == str(kinh_te.pk)
    assert VERSION_FIELD not in entry.change_message


def test_changelist_change_to_a_column_not_in_the_list_does_not_refuse(two_editors, two_categories):
    an, binh = two_editors
    thoi_su, _kinh_te = two_categories
    b = browser(binh)
    page_b = changelist_form_of(b.get(CATEGORIES))
    url = f"/admin/articles/category/{thoi_su.pk}/change/"
    a = browser(an)
    assert submit(a, url, form_of(a.get(url)), description="Mô tả mới").status_code == 302
    assert b.post(CATEGORIES, edit_row(page_b, thoi_su, order=4)).status_code == 302
    thoi_su.refresh_from_db()
    assert (thoi_su.order, thoi_su.description) == (4, "Mô tả mới")


def test_every_list_editable_changelist_checks_versions(rf, make_user):
    """Categories, document types, issuers, agency links, intro pages, topics, and any new one."""
    from portal.admin_versions import VersionedChangelistFormSet

    request = rf.get("/")
    request.user = make_user("sa", superuser=True)
    editable = {
        model: model_admin
        for model, model_admin in admin.site._registry.items()
        if model_admin.list_editable
    }
    assert len(editable) >= 6
    for model, model_admin in editable.items():
        formset = model_admin.get_changelist_formset(request)
        assert issubclass(formset, VersionedChangelistFormSet), model
        assert VERSION_FIELD in formset.form.base_fields, model
