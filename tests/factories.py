"""Small helpers that create valid rows for tests; each takes overrides as keywords."""

import datetime
import io
import itertools

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image as PILImage

from articles.models import Article, ArticlePhoto, Category
from articles.services import image_create
from awards.models import Authority, AwardForm, Decision, Recipient
from documents.models import Document, DocumentFile, DocumentType, Draft, DraftComment, Issuer
from elections.models import (
    Body,
    Candidate,
    Contest,
    Election,
    ElectoralUnit,
    Membership,
    Person,
    PollingArea,
    UnitResult,
)
from questions.models import Question
from schedule.models import Entry
from tests.samples import pdf_upload

_counter = itertools.count(1)


def user(username="user", *, groups=(), staff=True, superuser=False, password="pw-Test-123"):
    User = get_user_model()
    obj = User.objects.create_user(
        username=username, password=password, is_staff=staff, is_superuser=superuser
    )
    if groups:
        obj.groups.set(Group.objects.filter(name__in=groups))
        assert obj.groups.count() == len(groups), f"unknown group in {groups}"
    return obj


def category(name=None, **fields):
    name = name or f"Chuyên mục {next(_counter)}"
    return Category.objects.create(name=name, **fields)


def article(*, category=None, title=None, published=True, **fields):
    n = next(_counter)
    fields.setdefault("summary", f"Tóm tắt bài {n}.")
    fields.setdefault("body", f"<p>Nội dung bài {n}.</p>")
    if published:
        fields.setdefault("status", Article.Status.PUBLISHED)
        fields.setdefault("publish_at", timezone.now() - timezone.timedelta(hours=n))
    return Article.objects.create(
        title=title or f"Bài viết số {n}",
        category=category or globals()["category"](),
        **fields,
    )


def image_bytes(fmt="JPEG", size=(800, 500), colour=(200, 30, 30), **save_kwargs):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, colour).save(buffer, fmt, **save_kwargs)
    return buffer.getvalue()


def upload(data=None, name="anh.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data if data is not None else image_bytes(), content_type)


def image(alt_text="Ảnh thử nghiệm", **fields):
    return image_create(upload=upload(), alt_text=alt_text, **fields)


def photo(article, *, caption="Chú thích ảnh", order=0, **fields):
    return ArticlePhoto.objects.create(
        article=article, image=fields.pop("image", None) or image(), caption=caption, order=order
    )


# --- Elections ----------------------------------------------------------------------------


def election(**fields):
    n = next(_counter)
    fields.setdefault("name", f"Cuộc bầu cử thử {n}")
    fields.setdefault("election_day", datetime.date(2021, 5, 23))
    fields.setdefault("is_published", True)
    return Election.objects.create(**fields)


def contest(election_obj=None, kind=Contest.Kind.PROVINCIAL_COUNCIL, term="nhiệm kỳ 2021 - 2026"):
    return Contest.objects.create(election=election_obj or election(), kind=kind, term=term)


def unit(contest_obj=None, *, seats=3, number=None, **fields):
    contest_obj = contest_obj or contest()
    number = number or contest_obj.units.count() + 1
    return ElectoralUnit.objects.create(contest=contest_obj, number=number, seats=seats, **fields)


def candidate(unit_obj, votes, *, born=None, name=None):
    n = next(_counter)
    return Candidate.objects.create(
        unit=unit_obj,
        full_name=name or f"Người ứng cử {n}",
        votes=votes,
        birth_date=born or datetime.date(1970, 1, 1) + datetime.timedelta(days=n),
    )


_UNSET = object()


def result(unit_obj, *, valid, registered=1000, voted=_UNSET, invalid=0, **fields):
    # Valid rows only: the ballots received never exceed the voters (a database constraint).
    if voted is _UNSET:
        voted = max(900, valid + invalid)
        registered = max(registered, voted)
    return UnitResult.objects.create(
        unit=unit_obj,
        registered=registered,
        voted=voted,
        ballots_issued=fields.pop("issued", valid + invalid),
        ballots_received=valid + invalid,
        valid_ballots=valid,
        invalid_ballots=invalid,
        **fields,
    )


def area(election_obj, code, registered, voted, **fields):
    fields.setdefault("name", f"Khu vực {code}")
    return PollingArea.objects.create(
        election=election_obj, code=code, registered=registered, voted=voted, **fields
    )


def body(election_obj, *, name="Ban Chỉ đạo bầu cử tỉnh", type=Body.Type.STEERING_BOARD, **fields):
    return Body.objects.create(election=election_obj, name=name, type=type, **fields)


def member(body_obj, name, role=Membership.Role.MEMBER, titles=(), order=0):
    person = Person.objects.create(full_name=name)
    return Membership.objects.create(
        body=body_obj, person=person, role=role, titles=list(titles), order=order
    )


# --- Awards -------------------------------------------------------------------------------

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


# --- Documents and drafts -----------------------------------------------------------------

_documents_n = itertools.count(1)


def make_document(*, doc_type="Nghị định", issuer="Chính phủ", number=None, **fields):
    n = next(_documents_n)
    kind = DocumentType.objects.get_or_create(name=doc_type)[0]
    body = Issuer.objects.get_or_create(name=issuer)[0]
    fields.setdefault("issued_on", datetime.date(2022, 6, 24))
    fields.setdefault("summary", f"Quy định thử số {n} về cổng thông tin điện tử")
    doc = Document(doc_type=kind, issuer=body, number=number or f"{n}/2022/NĐ-CP", **fields)
    doc.full_clean()
    doc.save()
    return doc


def attach_pdf(owner, **fields):
    """A PDF file of a document or of a draft."""
    key = "draft" if isinstance(owner, Draft) else "document"
    item = DocumentFile(**{key: owner}, file=pdf_upload(), **fields)
    item.full_clean()
    item.save()
    return item


def make_draft(*, open_for=datetime.timedelta(days=10), **fields):
    now = timezone.now()
    kind = DocumentType.objects.get_or_create(name="Quyết định")[0]
    fields.setdefault("title", f"Dự thảo Quy chế thử {next(_documents_n)}")
    fields.setdefault("opens_at", now - datetime.timedelta(days=1))
    fields.setdefault("closes_at", now + open_for)
    draft = Draft(doc_type=kind, drafting_unit="Sở Tư pháp", **fields)
    draft.full_clean()
    draft.save()
    return draft


def make_comment(draft, **fields):
    fields.setdefault("name", "Nguyễn Thị Lan")
    fields.setdefault("body", "Đề nghị sửa Điều 5.")
    fields.setdefault("email", "lan.nguyen@example.com")
    fields.setdefault("phone", "0912 345 678")
    return DraftComment.objects.create(draft=draft, consent=True, **fields)


# --- Questions (Hỏi đáp) ------------------------------------------------------------------


def make_question(topic, *, status=Question.Status.RECEIVED, answer="", **fields):
    values = {
        "asker_name": "Nguyễn Văn Hỏi",
        "asker_email": "nguoihoi@example.com",
        "asker_phone": "0912345678",
        "title": "Thủ tục tách thửa",
        "body": "Tôi muốn hỏi về thủ tục tách thửa đất ở.",
        "consent_at": timezone.now(),
        "status": status,
        "answer": answer,
    }
    values.update(fields)
    return Question.objects.create(topic=topic, **values)


# --- Work schedule ------------------------------------------------------------------------


def make_entry(date=None, **fields):
    values = {
        "date": date or timezone.localdate(),
        "start_time": datetime.time(8, 0),
        "content": "Họp giao ban đầu tuần",
        "chair": "Chủ tịch UBND tỉnh",
        "attendees": "Các Phó Chủ tịch",
        "place": "Phòng họp số 1",
        "preparing_unit": "Văn phòng UBND tỉnh",
    }
    values.update(fields)
    return Entry.objects.create(**values)


def totp_code(device, drift=0):
    """The device's two-factor code now (``drift`` steps of 30 s away), as typed."""
    from django_otp.oath import totp

    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift)
    return f"{code:0{device.digits}d}"


def wrong_totp_code(device):
    """A code the device refuses: django-otp also accepts the codes one step either side."""
    valid = {totp_code(device, drift) for drift in (-1, 0, 1)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in valid)
