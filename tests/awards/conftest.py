import pytest

from awards.roles import AUDITORS, STAFF
from tests.factories import make_decision


@pytest.fixture
def decision(db):
    return make_decision()


@pytest.fixture
def staff_user(make_user):
    return make_user("canbo", groups=[STAFF])


@pytest.fixture
def auditor(make_user):
    return make_user("kiemtoan", groups=[AUDITORS])


@pytest.fixture
def plain_staff(make_user):
    return make_user("nhanvien")
