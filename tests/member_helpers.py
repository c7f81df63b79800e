"""A union membership list as the federation keeps it (XLSX, Vietnamese headers), for the member tests."""
from __future__ import annotations

import io
from datetime import date

from openpyxl import Workbook

HEADERS = ["STT", "Họ và tên", "Ngày sinh", "Số CCCD", "Mã CĐCS", "Ngày kết nạp", "Số thẻ đoàn viên", "Tình trạng"]
#: clean rows: (name, birth, citizen ID, unit code, admitted, card, status); the second CCCD is a number that
#: lost its leading zero in Excel, the third date is typed as text
GOOD = [
    ("Nguyễn Thị Hồng Nhung", date(1995, 3, 8), "052195001234", "CĐCS-MMQN", date(2019, 5, 1), "BĐ-0100001", "Đang sinh hoạt"),
    ("Trần Văn Đức", date(1988, 11, 20), 52188005678, "CĐCS-MMQN", date(2015, 9, 2), "BĐ-0100002", ""),
    ("Lê Thị Ánh", "02/01/1990", "052190009999", "CĐCS-GTĐ", "15/06/2022", "", "Đã chuyển sinh hoạt"),
]


def xlsx(rows: list[tuple], headers: list[str] = HEADERS) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for number, row in enumerate(rows, start=1):
        sheet.append([number, *row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
