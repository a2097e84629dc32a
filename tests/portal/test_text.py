import unicodedata

import pytest

from portal.text import (
    clean_person_name,
    fold,
    nfc,
    normalize_document_number,
    person_sort_key,
    slugify_vi,
    unique_slug,
    vietnamese_sort_key,
)


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Điểm cầu Đồng Văn", "diem-cau-dong-van"),
        ("Đảng bộ tỉnh Hà Nam", "dang-bo-tinh-ha-nam"),
        ("Nguyễn Văn Đức", "nguyen-van-duc"),
        ("Bầu cử ĐBQH và HĐND", "bau-cu-dbqh-va-hdnd"),
        ("Chỉ thị 45-CT/TW", "chi-thi-45-ct-tw"),
        (unicodedata.normalize("NFD", "Hà Nam Đồng"), "ha-nam-dong"),
    ],
)
def test_slugify_keeps_d_with_stroke(text, slug):
    assert slugify_vi(text) == slug


def test_slug_is_cut_at_a_word_boundary():
    slug = slugify_vi(
        "Hội nghị tổng kết việc thực hiện Chỉ thị số 45 về bầu cử đại biểu Quốc hội", 40
    )
    assert len(slug) <= 40
    assert slug == "hoi-nghi-tong-ket-viec-thuc-hien-chi-thi"
    assert not slug.endswith("-")


@pytest.mark.django_db
def test_unique_slug_appends_a_number(category):
    from articles.models import Category

    Category.objects.create(name="Bầu cử địa phương", slug="bau-cu-dia-phuong")
    assert unique_slug(Category, "Bầu cử địa phương") == "bau-cu-dia-phuong-2"


@pytest.mark.django_db
def test_numbered_slug_is_still_cut_at_a_word_boundary():
    from articles.models import Category

    title = "Hội nghị tổng kết việc thực hiện Chỉ thị số 45 về bầu cử đại biểu Quốc hội"
    first = unique_slug(Category, title, max_length=40)
    assert first == "hoi-nghi-tong-ket-viec-thuc-hien-chi-thi"
    Category.objects.create(name=title, slug=first)
    assert unique_slug(Category, title, max_length=40) == "hoi-nghi-tong-ket-viec-thuc-hien-chi-2"


def test_nfc_composes_decomposed_input():
    decomposed = unicodedata.normalize("NFD", "Tiếng Việt")
    assert len(decomposed) == 14
    assert nfc(decomposed) == "Tiếng Việt"
    assert len(nfc(decomposed)) == 10
    assert nfc(None) is None


@pytest.mark.parametrize(
    "variant",
    ["bầu cử", "BẦU CỬ", "bau cu", "Bau  Cu", unicodedata.normalize("NFD", "bầu cử")],
)
def test_fold_ignores_accents_case_and_form(variant):
    assert fold(variant) == "bau cu"


def test_fold_maps_d_with_stroke_and_tone_placement():
    assert fold("Đảng bộ Đồng Văn") == "dang bo dong van"
    assert fold("Hòa") == fold("Hoà") == "hoa"


@pytest.mark.parametrize("variant", ["45-CT/TW", "45/CT-TW", "45 CT/TW", "45-ct/tw"])
def test_document_number_variants_agree(variant):
    assert normalize_document_number(variant) == "45CTTW"


def test_document_number_folds_d():
    assert normalize_document_number("1234/QĐ-UBND") == normalize_document_number("1234/QD-UBND")


def test_vietnamese_alphabet_order():
    words = [
        "Zung",
        "Ông",
        "Ánh",
        "Đỗ",
        "Dương",
        "Ăn",
        "Anh",
        "Ân",
        "Bình",
        "Ơn",
        "Ong",
        "Ư",
        "Uyên",
    ]
    assert sorted(words, key=vietnamese_sort_key) == [
        "Anh", "Ánh", "Ăn", "Ân", "Bình", "Dương", "Đỗ", "Ong", "Ông", "Ơn", "Uyên", "Ư", "Zung",
    ]  # fmt: skip


def test_tone_order_within_a_syllable():
    assert sorted(["Hạ", "Hà", "Ha", "Hả"], key=vietnamese_sort_key) == ["Ha", "Hà", "Hả", "Hạ"]


def test_people_sort_by_given_name_then_full_name():
    names = [
        "Trần Văn Chiến",
        "Phạm Văn Ân",
        "Ông Nguyễn Văn Chiến (Nguyễn Chiến)",
        "Đỗ Văn An",
        "Vũ Thị Ăn",
        "Lê Thị Ánh",
    ]
    assert sorted(names, key=person_sort_key) == [
        "Đỗ Văn An",
        "Lê Thị Ánh",
        "Vũ Thị Ăn",
        "Phạm Văn Ân",
        "Ông Nguyễn Văn Chiến (Nguyễn Chiến)",
        "Trần Văn Chiến",
    ]


def test_clean_person_name():
    assert clean_person_name("Bà  Lê Thị Thủy") == "Lê Thị Thủy"
    assert clean_person_name("Ông Đặng Minh Châu (Hòa thượng Thích Bảo Nghiêm)") == "Đặng Minh Châu"


def test_document_numbers_in_text_are_found_and_stop_at_the_word_after():
    from portal.text import document_number_words, document_numbers, search_words

    text = "Chỉ thị số 45-CT/TW ngày 20/6/2020 và Nghị định 42/2022/NĐ-CP, ngày 25 tháng 6"
    assert document_numbers(text) == ["45CTTW", "2062020", "422022NDCP"]
    assert "45cttw" in document_number_words(text)
    assert search_words("chỉ thị 45/CT-TW") == ["45cttw", "chi", "thi"]
    assert search_words("45 CT/TW") == search_words("45-ct/tw") == ["45cttw"]
    assert search_words("25 tháng 6") == ["25", "thang", "6"]
