"""The one rule for numbers typed by staff (README, "Numbers typed by staff")."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from portal.numbers import parse_count, parse_percentage, percentage


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("642.235", 642235),
        ("642 235", 642235),
        ("642\u00a0235", 642235),
        ("1.234.567", 1234567),
        ("1980", 1980),
        (" 07 ", 7),
        (1980, 1980),
        (1980.0, 1980),
        ("", None),
        (None, None),
    ],
)
def test_counts(raw, value):
    assert parse_count(raw) == value


@pytest.mark.parametrize(
    "raw", ["1,5", "1,234", "1.23", "12.3456", "1.234 567", "-5", "1e3", "abc", 1.5, -1, True]
)
def test_what_is_not_a_count_is_refused_in_vietnamese(raw):
    with pytest.raises(ValidationError) as info:
        parse_count(raw)
    assert "không phải số nguyên không âm" in info.value.messages[0]


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("99,47", Decimal("99.47")),
        ("99,470", Decimal("99.47")),
        ("99,475", Decimal("99.48")),
        ("99,47 %", Decimal("99.47")),
        ("100", Decimal("100.00")),
        (99.47, Decimal("99.47")),
        ("", None),
    ],
)
def test_percentages(raw, value):
    assert parse_percentage(raw) == value


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("99.470", "không rõ nghĩa"),
        ("99.47", "không rõ nghĩa"),
        ("101", "từ 0 đến 100"),
        ("-1", "không phải tỷ lệ"),
        ("abc", "không phải tỷ lệ"),
    ],
)
def test_ambiguous_or_impossible_percentages_are_refused(raw, message):
    with pytest.raises(ValidationError) as info:
        parse_percentage(raw)
    assert message in info.value.messages[0]


def test_one_rounding_half_up_to_two_places():
    assert percentage(1, 8) == Decimal("12.50")
    assert percentage(2, 3) == Decimal("66.67")
    assert percentage(1, 2) == Decimal("50.00")
    assert percentage(5, 0) is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("model_path", "field"),
    [
        ("awards.Decision", "declared_individuals"),
        ("elections.UnitResult", "voted"),
        ("elections.PollingArea", "registered"),
        ("elections.Candidate", "votes"),
    ],
)
def test_admin_count_fields_follow_the_rule(rf, make_user, model_path, field):
    from django.apps import apps
    from django.contrib import admin

    model = apps.get_model(model_path)
    request = rf.get("/")
    request.user = make_user("quantri", superuser=True)
    form_class = admin.site._registry[model].get_form(request)
    form_field = form_class.base_fields[field]
    assert form_field.clean("1.980") == 1980
    with pytest.raises(ValidationError, match="dấu phẩy là dấu thập phân"):
        form_field.clean("1,980")


def test_count_fields_show_grouped_numbers_and_read_them_back():
    from portal.numbers import CountField

    field = CountField()
    shown = field.prepare_value(642235)
    assert shown == "642.235"
    assert field.clean(shown) == 642235
    assert field.prepare_value(980) == "980"
    assert not field.has_changed(1980, field.prepare_value(1980))


@pytest.mark.django_db
def test_admin_change_form_shows_counts_grouped(client, make_user):
    from tests import factories

    area = factories.area(factories.election(), "01", registered=1980, voted=1975)
    client.force_login(make_user("quantri", superuser=True))
    html = client.get(f"/admin/elections/pollingarea/{area.pk}/change/").content.decode()
    assert 'value="1.980"' in html and 'value="1.975"' in html
