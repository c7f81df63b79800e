"""Vietnamese formats of official documents: place and date line, number and symbol, money in words' digits.

Nghị định 30/2020/NĐ-CP, Phụ lục I: days under 10 and months 1 and 2 are written with a leading 0
("ngày 05 tháng 02 năm 2026", "ngày 15 tháng 3 năm 2026"); numbers of documents under 10 too ("Số: 05/QĐ-LĐLĐ")."""
from __future__ import annotations

from datetime import date, datetime

#: a draft carries no date yet: the clerk writes it in after signing
DRAFT_DATE = "ngày ... tháng ... năm ..."
#: a draft carries no number yet: it is given by the register after signing (NĐ 30, Art. 15)
DRAFT_NUMBER = "\u00a0" * 6


def as_date(value: date | datetime | str | None) -> date | None:
    """A date from a date, a datetime, an ISO string ("2026-02-05") or a Vietnamese one ("05/02/2026");
    None (or empty) stays None; anything else raises ValueError."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return datetime.strptime(text, "%d/%m/%Y").date()


def vi_date_words(value: date | datetime | str | None) -> str:
    """"ngày 05 tháng 02 năm 2026"; a missing date gives the dotted draft form."""
    day = as_date(value)
    if day is None:
        return DRAFT_DATE
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def vi_place_date(place: str | None, value: date | datetime | str | None) -> str:
    """"Bình Định, ngày 05 tháng 02 năm 2026" (NĐ 30, Phụ lục I, item 5)."""
    words = vi_date_words(value)
    return f"{place}, {words}" if place else words


def vi_short_date(value: date | datetime | str | None) -> str:
    """"05/02/2026", as dates are cited inside a text ("Quyết định số 12/QĐ-LĐLĐ ngày 05/02/2026"); a text that
    is no date is printed as given (a field is data, not a reason to fail the whole document)."""
    try:
        day = as_date(value)
    except ValueError:
        return str(value)
    return day.strftime("%d/%m/%Y") if day else "..../..../........"


def symbol(code: str | None, issuer_code: str, drafting_code: str | None = None) -> str:
    """The symbol after the number: type code and issuer ("QĐ-LĐLĐ"); a letter (công văn) has no type code and
    names the issuer and the drafting unit instead ("LĐLĐ-UBKT") (NĐ 30, Phụ lục I, item 3)."""
    parts = [code] if code else []
    parts.append(issuer_code)
    if not code and drafting_code:
        parts.append(drafting_code)
    return "-".join(p for p in parts if p)


def format_number(number: int | None) -> str:
    if number is None:
        return DRAFT_NUMBER
    return f"{int(number):02d}"


def number_line(number: int | None, code: str | None, issuer_code: str, drafting_code: str | None = None) -> str:
    """"Số: 05/QĐ-LĐLĐ"; a draft (no number yet) leaves the blank the register fills: "Số:      /QĐ-LĐLĐ"."""
    return f"Số: {format_number(number)}/{symbol(code, issuer_code, drafting_code)}"


def money(value: int | str | None) -> str:
    """Whole đồng with dots between thousands: 12500000 -> "12.500.000 đồng"."""
    if value is None or value == "":
        return ""
    try:
        amount = int(str(value).replace(".", "").replace(" ", "").removesuffix("đồng").strip()) \
            if not isinstance(value, int) else value
    except ValueError:
        return str(value)
    sign = "-" if amount < 0 else ""
    return f"{sign}{abs(amount):,} đồng".replace(",", ".")
