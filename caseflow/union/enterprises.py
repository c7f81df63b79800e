"""The enterprise register imported from an XLSX sheet (openpyxl): one row per enterprise, matched by
tax code; headers in Vietnamese or English, diacritics ignored. Bad rows are reported by number."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import BinaryIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseflow.core.i18n import _
from caseflow.core.models import Unit
from caseflow.core.text import fold, nfc
from caseflow.union.models import CdcsFoundingDetail, Enterprise, UnitFounding

#: folded header -> column
HEADERS = {
    "ma so thue": "tax_code", "mst": "tax_code", "tax code": "tax_code",
    "ten doanh nghiep": "name", "doanh nghiep": "name", "name": "name", "enterprise": "name",
    "so lao dong": "workers_count", "so cnld": "workers_count", "workers": "workers_count",
    "dia chi": "address", "address": "address",
    "cong doan cap tren": "superior", "cong doan cap tren truc tiep": "superior", "superior union": "superior",
    "ma cdcs": "cdcs", "cdcs": "cdcs", "grassroots union": "cdcs",
}
TAX_CODE = re.compile(r"^\d{10}(-\d{3})?$")


class RegisterImportError(ValueError):
    """The sheet cannot be read at all."""


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: list[str] = field(default_factory=list)


def _units_by_code(session: Session) -> dict[str, Unit]:
    return {fold(u.code): u for u in session.scalars(select(Unit))}


def import_xlsx(session: Session, stream: BinaryIO) -> ImportResult:
    try:
        from openpyxl import load_workbook  # heavy (~0.2 s): imported when a file is read, not at start-up

        workbook = load_workbook(stream, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several kinds for a file that is not XLSX
        raise RegisterImportError(_("not a readable XLSX file")) from exc
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None)
    columns = {i: HEADERS.get(" ".join(fold(str(h or "")).split())) for i, h in enumerate(header or [])}
    if not {"tax_code", "name", "workers_count"} <= set(columns.values()):
        raise RegisterImportError(_("the first row must name at least: Mã số thuế, Tên doanh nghiệp, Số lao động"))
    units = _units_by_code(session)
    existing = {e.tax_code: e for e in session.scalars(select(Enterprise))}
    result = ImportResult()
    for number, values in enumerate(rows, start=2):
        row = {columns[i]: v for i, v in enumerate(values) if columns.get(i)}
        if not any(v not in (None, "") for v in row.values()):
            continue
        tax_code = nfc(str(row.get("tax_code") or ""))
        if not TAX_CODE.match(tax_code):
            result.errors.append(_("Row %(n)d: tax code “%(code)s” is not 10 digits (or 10-3).", n=number, code=tax_code))
            continue
        try:
            workers = int(row.get("workers_count") or 0)
            if workers < 0:
                raise ValueError
        except (TypeError, ValueError):
            result.errors.append(_("Row %(n)d: number of workers “%(v)s” is not a number.", n=number,
                                   v=row.get("workers_count")))
            continue
        superior = cdcs = None
        if row.get("superior"):
            superior = units.get(fold(str(row["superior"]).strip()))
            if superior is None:
                result.errors.append(_("Row %(n)d: unknown unit code “%(code)s”.", n=number, code=row["superior"]))
                continue
        if row.get("cdcs"):
            cdcs = units.get(fold(str(row["cdcs"]).strip()))
            if cdcs is None:
                result.errors.append(_("Row %(n)d: unknown unit code “%(code)s”.", n=number, code=row["cdcs"]))
                continue
        enterprise = existing.get(tax_code)
        if enterprise is None:
            enterprise = Enterprise(tax_code=tax_code)
            session.add(enterprise)
            existing[tax_code] = enterprise
            result.created += 1
        else:
            result.updated += 1
        enterprise.name = nfc(str(row.get("name") or ""))[:255]
        enterprise.workers_count = workers
        enterprise.address = nfc(str(row.get("address") or ""))
        if superior is not None:
            enterprise.superior_unit_id = superior.id
        if cdcs is not None:
            enterprise.cdcs_unit_id = cdcs.id
    workbook.close()
    _link_founded(session, existing)
    return result


def _link_founded(session: Session, enterprises: dict[str, Enterprise]) -> None:
    """An enterprise whose union was founded through caseflow before the register listed it gets its link."""
    founded = {code: unit_id for code, unit_id in session.execute(
        select(CdcsFoundingDetail.enterprise_tax_code, UnitFounding.unit_id)
        .join(UnitFounding, UnitFounding.case_id == CdcsFoundingDetail.case_id)
        .where(CdcsFoundingDetail.enterprise_tax_code.is_not(None)))}
    for enterprise in enterprises.values():
        if enterprise.cdcs_unit_id is None and enterprise.tax_code in founded:
            enterprise.cdcs_unit_id = founded[enterprise.tax_code]
