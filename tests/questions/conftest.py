import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _vietnamese():
    """Start in Vietnamese: a request to /en/ leaves English active in the test's thread."""
    with translation.override("vi"):
        yield
