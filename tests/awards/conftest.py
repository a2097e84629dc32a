import datetime
import itertools

import pytest

from awards.models import Authority, AwardForm, Decision, Recipient
from awards.roles import AUDITORS, STAFF

_n = itertools.count(1)


def make_decision(*, authority=None, form=None, **fields):
    n = next(_n)
    if authority is None:
        authority = Authority.objects.get_or_create(
            name="Ủy ban nhân dân tỉnh", defaults={"kind": Authority.Kind.STATE}
        )[0]
    if form is None:
        form = AwardForm.objects.get_or_create(name="Bằng khen")[0]
    status = fields.setdefault("status", Decision.Status.DECIDED)
    if status == Decision.Status.DECIDED:
        fields.setdefault("number", f"{1000 + n}/QĐ-UBND")
        fields.setdefault("date", datetime.date(2021, 6, 22))
    else:
        fields.setdefault("proposal_number", f"{n}/TTr-UBND")
        fields.setdefault("proposal_date", datetime.date(2021, 6, 24))
    fields.setdefault("title", f"Về việc tặng Bằng khen đợt {n}")
    decision = Decision(authority=authority, form=form, **fields)
    decision.full_clean()
    decision.save()
    return decision


def make_recipients(decision, *, collectives=0, individuals=0, names=None):
    objs = []
    for i in range(collectives):
        objs.append(Recipient(decision=decision, kind="collective", name=f"Ban bầu cử xã {i + 1}",
                              order=i + 1))  # fmt: skip
    for i in range(individuals):
        name = names[i] if names else f"Nguyễn Văn Người {i + 1}"
        objs.append(Recipient(decision=decision, kind="individual", name=name, order=i + 1,
                              position="Tổ trưởng", unit="Xã Thanh Hà"))  # fmt: skip
    for obj in objs:
        obj.save()
    return objs


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
