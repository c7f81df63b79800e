"""CSV and XLSX downloads of any report or case list, with spreadsheet formulas neutralised.

A cell whose text starts with = + - @ (or a tab / carriage return) would be run as a formula by
spreadsheet programs (CSV/formula injection): it is written as text with a leading apostrophe."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(DANGEROUS_PREFIXES):
        return "'" + value
    return value


def _plain(value: Any) -> Any:
    if isinstance(value, bool):
        return "x" if value else ""
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return "" if value is None else value


def to_csv(headers: list[str], rows: Iterable[Iterable[Any]]) -> bytes:
    """UTF-8 with a BOM, so that Excel opens Vietnamese text correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([neutralise(h) for h in headers])
    for row in rows:
        writer.writerow([neutralise(_plain(v)) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(headers: list[str], rows: Iterable[Iterable[Any]], sheet_title: str = "caseflow") -> bytes:
    from openpyxl import Workbook  # heavy (~0.2 s): imported by the first download, not at start-up

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    sheet.append([_text_cell(sheet, h) for h in headers])
    for row in rows:
        sheet.append([_text_cell(sheet, v) if isinstance(v, str) else v for v in (_plain(x) for x in row)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _text_cell(sheet, value: str) -> Any:
    """Always a string cell (an openpyxl WriteOnlyCell): openpyxl would otherwise store "=..." as a formula."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", neutralise(value)))
    cell.data_type = "s"
    return cell
