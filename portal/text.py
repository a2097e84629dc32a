"""Vietnamese text helpers: normalisation, folding for search, slugs and name order.

Every write goes through :func:`nfc`, because Windows' built-in Vietnamese keyboard and
macOS produce decomposed (NFD) text that compares unequal to the composed form.
"""

import re
import unicodedata

from django.utils.text import slugify as django_slugify

_WHITESPACE = re.compile(r"\s+")
_HONORIFIC = re.compile(r"^(ông|bà|anh|chị|đồng chí|đ/c)\s+", re.IGNORECASE)
_PARENTHESES = re.compile(r"\([^)]*\)")
_DOC_NUMBER_NOISE = re.compile(r"[\s\-/.]+")


def nfc(value):
    """Return ``value`` in Unicode NFC; non-strings pass through unchanged."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    return value


def fold(value):
    """Fold text for accent-, case- and form-insensitive matching.

    ``đ`` becomes ``d`` first: it has no Unicode decomposition, so stripping combining
    marks alone would keep it (and ``NFKD`` + ASCII would drop it entirely).
    """
    if not value:
        return ""
    text = unicodedata.normalize("NFC", str(value))
    text = text.replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _WHITESPACE.sub(" ", text.casefold()).strip()


def slugify_vi(value, max_length=100):
    """A URL slug that keeps ``đ`` as ``d`` and is cut at a word boundary.

    "/" separates words, so a document number keeps its parts: ``15/QĐ-UBND`` gives
    ``15-qd-ubnd``, not Django's ``15qd-ubnd``.
    """
    text = nfc(str(value)).replace("đ", "d").replace("Đ", "D").replace("/", " ")
    return _cut_at_word(django_slugify(text), max_length)


def _cut_at_word(slug, max_length):
    if len(slug) <= max_length:
        return slug
    cut = slug[:max_length]
    if slug[max_length] != "-" and "-" in cut:
        cut = cut.rsplit("-", 1)[0]
    return cut.strip("-")


def unique_slug(model, value, *, instance=None, field="slug", max_length=100):
    """A slug for ``value`` that no other row of ``model`` uses (``-2``, ``-3``... added)."""
    base = slugify_vi(value, max_length=max_length) or "muc"
    others = model._default_manager.all()
    if instance is not None and instance.pk is not None:
        others = others.exclude(pk=instance.pk)
    candidate, n = base, 2
    while others.filter(**{field: candidate}).exists():
        suffix = f"-{n}"
        candidate = _cut_at_word(base, max_length - len(suffix)) + suffix
        n += 1
    return candidate


def normalize_document_number(value):
    """Canonical form of a document number: ``45/CT-TW``, ``45 CT/TW`` and ``45-CT/TW`` agree."""
    return _DOC_NUMBER_NOISE.sub("", fold(value)).upper()


# A document number inside free text: a number, then parts joined by "-", "/" or "." (a space
# is allowed only after the leading number, as in "45 CT/TW"). Each part must end a word, so
# "45-CT/TW ngày" stops before "ngày".
_DOCUMENT_NUMBER_IN_TEXT = re.compile(
    r"(?<![\w/-])\d+(?:\s?[-/.]\s?|\s)[0-9a-zđ]+(?!\w)(?:\s?[-/.]\s?[0-9a-zđ]+(?!\w))*",
    re.IGNORECASE,
)


_DOCUMENT_NUMBER_IN_CAPITALS = re.compile(r"\b\d+(?:[\s/.\-]*[A-ZĐ][A-ZĐ0-9]*|[\s/.\-]+\d+\b)+")


def document_numbers(text):
    """The document numbers written in ``text``, normalised (see normalize_document_number).

    Two shapes count: a number joined to its parts by ``-``, ``/`` or ``.`` in any case
    (``45/ct-tw``, ``42/2022/NĐ-CP``), and a number followed by groups in capitals with or
    without separators (``45CT/TW``, ``45 CT TW``). Capitals only for the second, so that
    "25 tháng 6" stays words.
    """
    text = nfc(text or "")
    found = []
    for match in _DOCUMENT_NUMBER_IN_TEXT.finditer(text):
        if "/" in match.group() or "-" in match.group():
            found.append(normalize_document_number(match.group()))
    for match in _DOCUMENT_NUMBER_IN_CAPITALS.finditer(text):
        if any(ch.isalpha() for ch in match.group()):
            found.append(normalize_document_number(match.group()))
    return list(dict.fromkeys(found))


def search_words(query, limit=12):
    """The words a row's folded search column must all contain for ``query`` to match it:
    ``45/CT-TW``, ``45-CT/TW`` and ``45 CT/TW`` become the same word."""
    numbers = []

    def keep_number(match):
        if "/" in match.group() or "-" in match.group():
            numbers.append(normalize_document_number(match.group()).lower())
            return " "
        return match.group()

    rest = _DOCUMENT_NUMBER_IN_TEXT.sub(keep_number, nfc(query or ""))
    return (numbers + fold(rest).split())[:limit]


_NOT_WORD = re.compile(r"[\W_]+")


def fold_words(value):
    """Folded text as space-separated words with a space at each end, for phrase search.

    Punctuation becomes a space, so " bau cu " is found by ``LIKE '% bau cu %'`` and by
    PostgreSQL's ``phraseto_tsquery('simple', 'bau cu')`` alike, and never inside "cuoc".
    """
    words = _NOT_WORD.sub(" ", fold(value)).split()
    return f" {' '.join(words)} " if words else ""


def document_number_words(value):
    """Each document number in ``value`` as one lower-case word (``45cttw``), for the folded
    search columns: the same rule as :func:`document_numbers`."""
    return [number.lower() for number in document_numbers(value)]


# Vietnamese alphabet order. Each base letter gets a rank; tone marks break ties after it.
_ALPHABET = "a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y".split()
_LETTER_RANK = {letter: i for i, letter in enumerate(_ALPHABET)}
# Tone order used by dictionaries: level, grave, hook, tilde, acute, dot.
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def _letter_key(char):
    decomposed = unicodedata.normalize("NFD", char.lower())
    base, marks = decomposed[0], decomposed[1:]
    tone = 0
    letter = base
    for mark in marks:
        if mark in _TONES:
            tone = _TONES[mark]
        elif mark == "\u0306":
            letter = "ă"
        elif mark == "\u0302":
            letter = {"a": "â", "e": "ê", "o": "ô"}.get(base, base)
        elif mark == "\u031b":
            letter = {"o": "ơ", "u": "ư"}.get(base, base)
    if char.lower() == "đ":
        letter = "đ"
    rank = _LETTER_RANK.get(letter)
    if rank is None:
        # Digits, f, j, w, z and anything else: after the Vietnamese letters, by code point.
        return (len(_ALPHABET), ord(letter), tone)
    return (rank, 0, tone)


def _word_key(word):
    letters = tuple(_letter_key(ch) for ch in word if ch.isalnum())
    tones = tuple(key[2] for key in letters)
    return (tuple(key[:2] for key in letters), tones)


def clean_person_name(name):
    """Strip honorifics (``Ông``, ``Bà``) and parenthesised aliases from a name."""
    text = _PARENTHESES.sub(" ", nfc(name or ""))
    text = _HONORIFIC.sub("", text.strip())
    return _WHITESPACE.sub(" ", text).strip()


def vietnamese_sort_key(text):
    """Order strings in the Vietnamese alphabet (``Đ`` after ``D``, ``Ă Â`` after ``A``)."""
    words = nfc(text or "").split()
    base = tuple(_word_key(w)[0] for w in words)
    tones = tuple(_word_key(w)[1] for w in words)
    return (base, tones)


def person_sort_key(name):
    """Order people the Vietnamese way: given name (last word) first, then the full name."""
    cleaned = clean_person_name(name)
    words = cleaned.split()
    given = words[-1] if words else ""
    return (vietnamese_sort_key(given), vietnamese_sort_key(cleaned))


# --- Sort keys the database can order by --------------------------------------------------
# person_sort_key returns nested tuples, which only Python can compare: sorting 100,000 names
# that way means loading them all. name_sort_key encodes the same order as a plain string of
# hex digits, stored on each row, so ``ORDER BY sort_key`` gives the Vietnamese name order on
# SQLite and PostgreSQL alike (hex digits sort the same in every collation).

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
