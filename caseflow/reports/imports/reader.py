"""Read an uploaded register (XLSX or CSV) into a header row and data rows of plain values."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from caseflow.core.text import fold, nfc


class UnreadableFile(ValueError):
    pass


@dataclass
class Table:
    headers: list[str]
    #: each row's values, with its 1-based row number in the file (the header is row 1)
    rows: list[tuple[int, list]]


def _clean(value):
    if isinstance(value, str):
        return nfc(value)
    return value


def read_table(filename: str, content: bytes) -> Table:
    name = filename.lower()
    if name.endswith(".xlsx"):
        try:
            from openpyxl import load_workbook  # heavy: imported when a workbook is read, not at start-up

            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            raise UnreadableFile(str(exc)) from exc
        raw = [list(r) for r in workbook.worksheets[0].iter_rows(values_only=True)]
        workbook.close()
    elif name.endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise UnreadableFile("not UTF-8") from exc
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t") if text.strip() else csv.excel
        raw = [list(r) for r in csv.reader(io.StringIO(text), dialect)]
    else:
        raise UnreadableFile("not .xlsx or .csv")
    if not raw:
        raise UnreadableFile("empty")
    headers = [str(_clean(h) or "").strip() for h in raw[0]]
    rows = []
    for number, values in enumerate(raw[1:], start=2):
        values = [_clean(v) for v in values] + [None] * (len(headers) - len(values))
        if any(v not in (None, "") for v in values):
            rows.append((number, values[: len(headers)]))
    return Table(headers, rows)


def match_headers(headers: list[str], names: dict[str, str]) -> dict[str, int]:
    """column key -> header index: each header folded (no diacritics, case, underscores or extra spaces) and
    looked up in `names` (folded spelling -> key); the first header naming a key wins."""
    mapping: dict[str, int] = {}
    for index, header in enumerate(headers):
        key = names.get(" ".join(fold(header).replace("_", " ").split()))
        if key and key not in mapping:
            mapping[key] = index
    return mapping
