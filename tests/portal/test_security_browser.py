"""The staff log-in page in a real browser: two-factor in one step, Vietnamese, accessible."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests import factories
from tests.browser.helpers import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Mat-khau-2021!"


def test_staff_log_in_with_a_code_in_one_step(page, live_server, settings):
    settings.ADMIN_REQUIRE_OTP = True
    user = factories.user("quantri", superuser=True, password=PASSWORD)
    device = TOTPDevice.objects.create(user=user, name="Điện thoại", confirmed=True)

    page.goto(live_server.url + "/admin/login/?next=//evil.com/")
    assert page.locator("label[for=id_otp_token]").inner_text() == "Mã xác thực:"
    assert_accessible(page)

    page.fill("#id_username", "quantri")
    page.fill("#id_password", PASSWORD)
    page.fill("#id_otp_token", factories.wrong_totp_code(device))
    page.click("input[type=submit]")
    page.wait_for_selector(".errornote")
    assert "mã xác thực không đúng" in page.locator(".errornote").inner_text()
    assert page.input_value("#id_password") == ""  # the password is not sent back
    assert page.input_value("#id_username") == "quantri"

    device.refresh_from_db()
    device.throttle_reset()
    code = factories.totp_code(device)
    page.fill("#id_password", PASSWORD)
    page.fill("#id_otp_token", code)
    page.click("input[type=submit]")
    page.wait_for_url(live_server.url + "/admin/")  # not evil.com, not /accounts/profile/
    assert page.locator("#site-name").inner_text() == "Quản trị cổng thông tin"
    assert [e for e in page.console_errors if "Content Security Policy" in e] == []


def test_the_honeypot_is_invisible_and_skipped_by_the_keyboard(page, live_server):
    from django import forms

    from portal.publicforms import PublicFormMixin

    class AskForm(PublicFormMixin, forms.Form):
        name = forms.CharField(label="Họ và tên")
        question = forms.CharField(label="Câu hỏi", widget=forms.Textarea)

    page.goto(live_server.url + "/tin-tuc/")  # the site's own stylesheet and CSP
    page.evaluate(
        "html => { document.querySelector('main').innerHTML = html }",
        f'<form method="post">{AskForm().as_div()}<button>Gửi</button></form>',
    )
    # Clipped to nothing: no pixel of it can be seen or clicked.
    hidden = page.evaluate(
        """() => {
            const input = document.querySelector('input[name=website]');
            const box = input.getBoundingClientRect();
            const hit = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
            const style = getComputedStyle(input);
            return hit !== input && style.position === 'absolute'
                && style.clip === 'rect(0px, 0px, 0px, 0px)';
        }"""
    )
    assert hidden
    page.focus("#id_name")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "question"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.tagName") == "BUTTON"
    assert_accessible(page)
