"""Sort keys for recipient names that the database can order by.

``portal.text.person_sort_key`` returns nested tuples, which only Python can compare: sorting
100,000 recipients that way means loading them all. This module encodes the same order as a
plain string of hex digits (stored on each recipient), so ``ORDER BY sort_key`` gives the
Vietnamese name order and an export can stream rows straight from the database.
"""

from portal.text import nfc, person_sort_key, vietnamese_sort_key

SORT_KEY_MAX_LENGTH = 1000

# Codes: "00" ends a component, "01" ends a word, "02".. are letters and tones. A letter code
# outside the Vietnamese alphabet is "ff" + six hex digits of its code point, so codes stay
# prefix-free and byte order equals the order of the tuples they encode.
_END_COMPONENT = "00"
_END_WORD = "01"


def _letter(rank, codepoint):
    if codepoint == 0:
        return f"{rank + 2:02x}"
    return f"ff{min(codepoint, 0xFFFFFF):06x}"


def _encode_base(words):
    letters = ("".join(_letter(rank, cp) for rank, cp in word) for word in words)
    return "".join(word + _END_WORD for word in letters) + _END_COMPONENT


def _encode_tones(words):
    marks = ("".join(f"{tone + 2:02x}" for tone in word) for word in words)
    return "".join(word + _END_WORD for word in marks) + _END_COMPONENT


def _encode(key):
    base, tones = key  # letters per word, then tone marks per word
    return _encode_base(base) + _encode_tones(tones)


def name_sort_key(name, *, person=True):
    """A string that sorts like :func:`portal.text.person_sort_key` (people) or
    :func:`portal.text.vietnamese_sort_key` (collectives), compared byte by byte."""
    if person:
        given, full = person_sort_key(name)
        encoded = _encode(given) + _encode(full)
    else:
        encoded = _encode(vietnamese_sort_key(nfc(name or "")))
    return encoded[:SORT_KEY_MAX_LENGTH]
