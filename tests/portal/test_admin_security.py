import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(make_user):
    user = make_user("otp-staff", groups=["Biên tập viên"])
    user.set_password("Mat-khau-2021!")
    user.save()
    return user


def test_admin_requires_a_second_factor_when_enabled(client, settings, staff):
    settings.ADMIN_REQUIRE_OTP = True
    client.force_login(staff)  # password only: not verified
    response = client.get("/admin/")
    assert response.status_code == 302
    login_page = client.get("/admin/login/").content.decode()
    assert 'name="otp_token"' in login_page


def test_totp_code_opens_the_admin(client, settings, staff):
    settings.ADMIN_REQUIRE_OTP = True
    device = TOTPDevice.objects.create(user=staff, name="Điện thoại", confirmed=True)
    response = client.post(
        "/admin/login/",
        {
            "username": staff.username,
            "password": "Mat-khau-2021!",
            "otp_device": device.persistent_id,
            "otp_token": factories.wrong_totp_code(device),
        },
    )
    assert response.status_code == 200  # a wrong code is refused
    assert client.get("/admin/").status_code == 302
    device.refresh_from_db()
    device.throttle_reset()  # django-otp slows down guessing after a failure
    code = factories.totp_code(device)
    response = client.post(
        "/admin/login/",
        {
            "username": staff.username,
            "password": "Mat-khau-2021!",
            "otp_device": device.persistent_id,
            "otp_token": code,
        },
    )
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_password_only_when_disabled(client, settings, staff):
    settings.ADMIN_REQUIRE_OTP = False
    response = client.post(
        "/admin/login/", {"username": staff.username, "password": "Mat-khau-2021!"}
    )
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_repeated_failures_lock_the_account(client, settings, staff):
    settings.ADMIN_REQUIRE_OTP = False
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/admin/login/", {"username": staff.username, "password": "sai"})
    response = client.post(
        "/admin/login/", {"username": staff.username, "password": "Mat-khau-2021!"}
    )
    assert response.status_code == 429
    assert "tạm thời bị khóa" in response.content.decode()
    assert client.get("/admin/").status_code == 302
