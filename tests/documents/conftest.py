"""Fixtures of the documents tests; the rows come from tests/factories.py."""

import pytest

from tests.factories import make_document


@pytest.fixture
def document(db):
    return make_document(number="42/2022/NĐ-CP", summary="Quy định về cung cấp thông tin")
