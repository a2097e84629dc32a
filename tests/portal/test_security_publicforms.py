"""Honeypot, signed start time and consent for public forms (portal/publicforms.py)."""

import time

import pytest
from django import forms
from django.core import signing
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from portal import publicforms
from portal.publicforms import (
    HONEYPOT_FIELD,
    STARTED_FIELD,
    PublicFormMixin,
    consent_field,
    protection_data,
    start_token,
)


class QuestionForm(PublicFormMixin, forms.Form):
    name = forms.CharField()
    consent = consent_field(_("trả lời câu hỏi của tôi"))


def data(**overrides):
    return {"name": "Nguyễn Văn An", "consent": "on", **protection_data(), **overrides}


def test_a_person_who_took_a_minute_gets_through():
    form = QuestionForm(data())
    assert form.is_valid(), form.errors
    assert form.cleaned_data["name"] == "Nguyễn Văn An"


def test_the_fields_render_without_javascript_and_hidden_from_people():
    html = str(QuestionForm())
    assert 'name="website"' in html
    honeypot = html[html.index('name="website"') - 200 : html.index('name="website"') + 200]
    for attribute in ('class="visually-hidden"', 'aria-hidden="true"', 'tabindex="-1"'):
        assert attribute in honeypot
    assert 'autocomplete="off"' in honeypot
    assert "Để trống ô này" not in html  # rendered with the hidden fields: no label
    assert f'type="hidden" name="{STARTED_FIELD}"' in html
    assert "<script" not in html


def test_each_render_carries_a_fresh_signed_start_time():
    form = QuestionForm()
    value = form[STARTED_FIELD].value()
    assert value
    assert value != start_token(time.time() - 100)


def test_a_filled_honeypot_is_refused():
    form = QuestionForm(data(**{HONEYPOT_FIELD: "http://spam.example"}))
    assert not form.is_valid()
    assert form.non_field_errors().as_data()[0].code == "honeypot"


@pytest.mark.parametrize(
    ("seconds_ago", "code"),
    [(0, "too_fast"), (1, "too_fast"), (25 * 3600, "expired")],
)
def test_too_fast_or_too_old_is_refused_and_keeps_what_was_typed(seconds_ago, code):
    sent = QueryDict(mutable=True)
    sent.update(data(**protection_data(seconds_ago=seconds_ago)))
    form = QuestionForm(sent)
    assert not form.is_valid()
    assert form.non_field_errors().as_data()[0].code == code
    html = str(form)
    assert 'value="Nguyễn Văn An"' in html
    # ...and a fresh start time, so the same form sent again a few seconds later is accepted.
    renewed = signing.loads(form[STARTED_FIELD].value(), salt=publicforms._SALT)
    assert abs(renewed - time.time()) < 2
    again = QuestionForm({**data(), STARTED_FIELD: start_token(time.time() - 5)})
    assert again.is_valid()


def test_min_and_max_follow_the_settings(settings):
    settings.PORTAL_FORM_MIN_SECONDS = 0
    assert QuestionForm(data(**protection_data(seconds_ago=0))).is_valid()
    settings.PORTAL_FORM_MAX_AGE_HOURS = 1
    form = QuestionForm(data(**protection_data(seconds_ago=2 * 3600)))
    assert not form.is_valid()


@pytest.mark.parametrize("token", ["", "12345", "abc:def", start_token() + "x"])
def test_a_missing_or_forged_start_time_is_refused(token):
    form = QuestionForm(data(**{STARTED_FIELD: token}))
    assert not form.is_valid()
    assert form.non_field_errors().as_data()[0].code == "invalid"


def test_messages_are_vietnamese_and_translated():
    form = QuestionForm(data(**protection_data(seconds_ago=0)))
    form.is_valid()
    assert "quá nhanh" in form.non_field_errors()[0]
    with override("en"):
        form = QuestionForm(data(**protection_data(seconds_ago=0)))
        form.is_valid()
        assert "too quickly" in form.non_field_errors()[0]


def test_consent_is_required_and_names_the_decree_and_purpose():
    form = QuestionForm(data(consent=""))
    assert not form.is_valid()
    assert "đồng ý" in form.errors["consent"][0]
    label = str(form.fields["consent"].label)
    assert "Nghị định 13/2023/NĐ-CP" in label
    assert "trả lời câu hỏi của tôi" in label
    assert "không được công khai" in label


@pytest.mark.django_db
def test_works_with_a_prefix_and_a_model_form():
    from django.contrib.auth.models import Group

    class GroupForm(PublicFormMixin, forms.ModelForm):
        class Meta:
            model = Group
            fields = ["name"]

    sent = {"g-name": "Ban biên tập"}
    sent.update({f"g-{k}": v for k, v in protection_data().items()})
    form = GroupForm(sent, prefix="g")
    assert form.is_valid(), form.errors
    assert form.instance.name == "Ban biên tập"
    sent["g-" + HONEYPOT_FIELD] = "x"
    assert not GroupForm(sent, prefix="g").is_valid()
