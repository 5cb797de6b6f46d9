"""Pure cores: how officials write money, years, areas, plates and names (no database)."""
import datetime as dt
from decimal import Decimal

import pytest

from tracker.assets import parsing as p
from tracker.formatting import date_vn, decimal_vn, money
from tracker.models import Arrangement
from tracker.text import compact, fold, normalize_plate


@pytest.mark.parametrize("written, amount", [
    (12500000, 12_500_000), (12500000.0, 12_500_000), ("12.500.000", 12_500_000), ("12,500,000", 12_500_000),
    ("12.500.000 đ", 12_500_000), ("12 500 000 VNĐ", 12_500_000), ("12.500.000,00", 12_500_000), ("0", 0),
])
def test_money_is_read_the_ways_lists_write_it(written, amount):
    assert p.parse_money(written) == amount


@pytest.mark.parametrize("written", ["-5", "-5.000", "12.5", 12.5, "mười triệu", True])
def test_money_that_is_negative_fractional_or_words_is_refused(written):
    with pytest.raises(ValueError):
        p.parse_money(written)


@pytest.mark.parametrize("written, year", [
    (2015, 2015), ("2015", 2015), (2015.0, 2015), ("05/07/2015", 2015), ("2015-07-05", 2015),
    (dt.date(2015, 7, 5), 2015), ("năm 2015", 2015),
])
def test_years_come_as_numbers_text_or_dates(written, year):
    assert p.parse_year(written, today=dt.date(2026, 11, 21)) == year


def test_a_year_in_the_future_is_refused_with_a_vietnamese_reason():
    with pytest.raises(ValueError, match="tương lai"):
        p.parse_year(2031, today=dt.date(2026, 11, 21))


@pytest.mark.parametrize("written, value", [
    ("1.234,5", Decimal("1234.50")), ("1234,5", Decimal("1234.50")), ("1,234.5", Decimal("1234.50")),
    ("1.000", Decimal("1000.00")), (250, Decimal("250.00")), ("250 m2", Decimal("250.00")),
])
def test_areas_and_metres_read_vietnamese_and_english_separators(written, value):
    assert p.parse_decimal(written) == value


def test_shelf_metres_keep_three_places():
    assert p.parse_decimal("0,125", places=3) == Decimal("0.125")


@pytest.mark.parametrize("written", ["chưa chỉnh lý", "chua chinh ly", "Chưa chỉnh lý ", "CHUA CHINH LY"])
def test_arrangement_with_or_without_diacritics(written):
    from tracker.assets.choices import ARRANGEMENT

    assert p.parse_choice(ARRANGEMENT, written) == Arrangement.UNSORTED


@pytest.mark.parametrize("written, label, how", [
    ("Tốt", "Tốt", "exact"), ("good", "Tốt", "exact"), ("Còn sử dụng được", "Đang sử dụng", "phrase"),
    ("Xuống cấp", "Cần sửa chữa", "phrase"), ("Hư hỏng nhẹ", "Cần sửa chữa", "phrase"),
    ("Hỏng", "Hư hỏng", "phrase"), ("Hỏng không sửa được", "Không sử dụng được", "phrase"),
    ("Bình thường", "Tốt", "phrase"), ("Đã cũ, xuống cấp nhiều", "Cần sửa chữa", "nearest"),
    ("Hỏng màn hình", "Hư hỏng", "nearest"), ("Đang chờ thanh lý", "Không sử dụng được", "nearest"),
])
def test_conditions_as_officials_write_them_map_to_the_nearest_condition(written, label, how):
    from tracker.assets.choices import CONDITION

    member, found = CONDITION.read(written)
    assert (member.label, found) == (label, how)


def test_free_text_current_use_is_not_read_as_a_condition_phrase():
    from tracker.assets.choices import CONDITION, PHRASE

    assert CONDITION.read("Đang làm trụ sở UBND phường")[1] != PHRASE
    assert CONDITION.read("Thanh lý") == (None, None)


@pytest.mark.parametrize("written", ["98A-811.18", "98a81118", "98A - 811.18", "98A-81118", " 98a 811 18 "])
def test_plates_are_normalised_to_the_official_form(written):
    assert normalize_plate(written) == "98A-811.18"


def test_four_digit_series_plate_and_non_plates():
    assert normalize_plate("20A12345") == "20A-123.45"
    assert normalize_plate("20A-1234") == "20A-1234"
    assert normalize_plate("không có") is None


def test_folding_finds_thang_loi_in_composed_and_decomposed_text():
    import unicodedata

    assert fold("Thắng Lợi") == "thang loi"
    assert fold(unicodedata.normalize("NFD", "  Thắng   Lợi ")) == "thang loi"
    assert fold("Đồng Hỷ") == "dong hy"
    assert compact("98A-811.18") == "98a81118"


def test_money_and_dates_look_as_officials_write_them():
    assert money(12_500_000) == "12.500.000 đ"
    assert date_vn(dt.date(2025, 7, 5)) == "05/07/2025"
    assert decimal_vn(Decimal("1234.50")) == "1.234,5"
