import datetime

import pytest
from django import forms
from django.contrib.humanize.templatetags.humanize import intcomma
from django.template import Context, Template
from django.utils import translation
from django.utils.formats import date_format

from portal.templatetags.portal_tags import percent


class DateForm(forms.Form):
    day = forms.DateField()
    when = forms.DateTimeField()


@pytest.fixture
def vi():
    with translation.override("vi"):
        yield


def test_day_first_date_input(vi):
    form = DateForm({"day": "25/06/2021", "when": "25/06/2021 08:30"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == datetime.date(2021, 6, 25)
    assert form.cleaned_data["when"].day == 25


def test_ambiguous_date_is_read_day_first(vi):
    form = DateForm({"day": "05/06/2021", "when": "05/06/2021"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == datetime.date(2021, 6, 5)


def test_numbers_are_grouped_with_dots(vi):
    assert intcomma(642235) == "642.235"
    assert intcomma(67485482) == "67.485.482"


def test_decimals_use_a_comma(vi):
    rendered = Template("{{ value|floatformat:2 }}").render(Context({"value": 99.47}))
    assert rendered == "99,47"
    assert percent(99.47) == "99,47%"


def test_english_keeps_english_separators():
    with translation.override("en"):
        assert percent(99.47) == "99.47%"


def test_short_date_and_long_date(vi):
    day = datetime.date(2021, 6, 25)
    assert date_format(day, "SHORT_DATE_FORMAT") == "25/06/2021"
    assert date_format(day, "DATE_FORMAT") == "ngày 25 tháng 6 năm 2021"
    assert date_format(day, "l, d/m/Y") == "Thứ 6, 25/06/2021"


def test_english_admin_reads_dates_day_first_too():
    with translation.override("en"):
        form = DateForm({"day": "05/06/2021", "when": "05/06/2021 08:30"})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["day"] == datetime.date(2021, 6, 5)
        assert intcomma(642235) == "642,235"
