"""Import the union's membership list (XLSX/CSV) into the member register: the legal-aid register import's
reader, date parsing and dry-run results, with the register's own columns; a dry run reports every row's
problems (row, column, reason in Vietnamese), and a commit writes all rows or none, each member's arrival
in its history (members.record)."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date

from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.orm import Session

from caseflow.core.clock import local_today
from caseflow.core.i18n import _
from caseflow.core.models import Unit, User
from caseflow.core.policy import roles_on
from caseflow.core.text import fold, nfc
from caseflow.reports.imports.legal_aid import ImportResult, RowError, parse_date
from caseflow.reports.imports.reader import Table, match_headers
from caseflow.union import members
from caseflow.union.models import Member

#: column key -> (Vietnamese header, required)
COLUMNS = {
    "full_name": ("Họ và tên", True),
    "birth_date": ("Ngày sinh", True),
    "citizen_id": ("Số CCCD", True),
    "unit": ("Mã CĐCS", True),
    "admitted_date": ("Ngày kết nạp", True),
    "card_number": ("Số thẻ đoàn viên", False),
    "status": ("Tình trạng", False),
}
#: header spellings seen in membership lists, folded -> column key
ALIASES = {"ho ten": "full_name", "ho va ten": "full_name", "ten doan vien": "full_name", "ngay thang nam sinh": "birth_date",
           "nam sinh": "birth_date", "cccd": "citizen_id", "so cccd": "citizen_id", "can cuoc cong dan": "citizen_id",
           "so can cuoc": "citizen_id", "so can cuoc cong dan": "citizen_id", "cong doan co so": "unit",
           "ma cong doan co so": "unit", "cdcs": "unit", "ngay vao cong doan": "admitted_date",
           "so the": "card_number", "the doan vien": "card_number", "trang thai": "status"}
#: who may import members into a unit's register
IMPORT_ROLES = ("organiser", "leader", "admin")
PROGRESS_EVERY = 500


def guess_mapping(headers: list[str]) -> dict[str, int]:
    """column key -> header index, from the Vietnamese headers, the keys and common spellings."""
    names = dict(ALIASES)
    for key, (header, _required) in COLUMNS.items():
        names[fold(header)] = key
        names[key.replace("_", " ")] = key
    return match_headers(headers, names)


def _blank(raw) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def _citizen_id(raw) -> str:
    """A spreadsheet that stored the number as a number lost its leading zeros (every CCCD has 12 digits, and
    the province codes begin with 0): a numeric cell is padded back; a text cell must be exact."""
    if isinstance(raw, int) and not isinstance(raw, bool) or (isinstance(raw, float) and raw.is_integer()):
        text = str(int(raw)).zfill(12)
    else:
        text = str(raw).strip()
    problem = members.citizen_id_problem(text)
    if problem:
        raise ValueError(problem)
    return text


def _status(raw) -> str:
    wanted = fold(str(raw)).strip()
    for key, text in members.statuses().items():
        if wanted in (key, fold(text)):
            return key
    with force_locale("en"):
        english = members.statuses()
    for key, text in english.items():
        if wanted == fold(text):
            return key
    raise ValueError(_("“%(value)s” is not one of: %(choices)s.", value=raw,
                       choices=", ".join(members.statuses().values())))


class MemberImporter:
    """One membership list, one actor. `check()` is the dry run; `commit()` writes all rows or none."""

    def __init__(self, session: Session, actor: User, table: Table, source: str = "",
                 mapping: dict[str, int] | None = None):
        self.session, self.actor, self.table, self.source = session, actor, table, source
        self.mapping = mapping if mapping is not None else guess_mapping(table.headers)

    def _header(self, key: str) -> str:
        index = self.mapping.get(key)
        return self.table.headers[index] if index is not None else COLUMNS[key][0]

    def check(self, progress: Callable[[int, int], None] | None = None) -> ImportResult:
        """The dry run; progress(done, total) every PROGRESS_EVERY rows (a job's bar; raising from it stops)."""
        with force_locale("vi"):  # the list's keepers read Vietnamese, whatever the UI language
            return self._check(progress)

    def _check(self, progress: Callable[[int, int], None] | None = None) -> ImportResult:
        result = ImportResult(total=len(self.table.rows))
        result.errors = [RowError(1, header, _("This required column is not mapped."))
                         for key, (header, required) in COLUMNS.items() if required and key not in self.mapping]
        if result.errors:
            return result
        units = {fold(u.code): u for u in self.session.scalars(select(Unit))}
        allowed: dict[int, bool] = {}
        ids_in_file: dict[str, int] = {}
        cards_in_file: dict[str, int] = {}
        cells_of = [(n, {k: (v[i] if i < len(v) else None) for k, i in self.mapping.items()}) for n, v in self.table.rows]
        known_ids = self._existing(Member.citizen_id, [c.get("citizen_id") for _n, c in cells_of], pad=True)
        known_cards = self._existing(Member.card_number, [c.get("card_number") for _n, c in cells_of])
        today = local_today()
        for done, (number, cells) in enumerate(cells_of, 1):
            if progress and done % PROGRESS_EVERY == 0:
                progress(done, result.total)
            row, problems = self._cells(cells, today)
            problems += self._across(row, units, allowed, ids_in_file, cards_in_file, known_ids, known_cards, number)
            if problems:
                result.errors.extend(RowError(number, self._header(k), reason) for k, reason in problems)
            else:
                result.prepared[number] = row
        return result

    def _existing(self, column, raw_values, pad: bool = False) -> set[str]:
        values = []
        for raw in raw_values:
            if _blank(raw):
                continue
            try:
                values.append(_citizen_id(raw) if pad else nfc(str(raw)))
            except ValueError:
                continue
        found: set[str] = set()
        for start in range(0, len(values), 900):
            found.update(self.session.scalars(select(column).where(column.in_(values[start:start + 900]))))
        return found

    def _cells(self, cells: dict, today: date) -> tuple[dict, list[tuple[str, str]]]:
        """Each cell typed and checked alone: every cell's problem at once."""
        row: dict = {}
        problems: list[tuple[str, str]] = []
        readers: dict[str, Callable] = {"full_name": lambda r: nfc(str(r)), "birth_date": parse_date,
                                        "citizen_id": _citizen_id, "unit": lambda r: nfc(str(r)),
                                        "admitted_date": parse_date, "card_number": lambda r: nfc(str(r)),
                                        "status": _status}
        for key, (_header, required) in COLUMNS.items():
            raw = cells.get(key)
            if _blank(raw):
                if required:
                    problems.append((key, _("This field is required.")))
                continue
            try:
                row[key] = readers[key](raw)
            except ValueError as exc:
                problems.append((key, str(exc)))
        for key, limit in (("full_name", members.NAME_LENGTH), ("card_number", members.CARD_LENGTH)):
            if len(row.get(key) or "") > limit:
                problems.append((key, _("At most %(n)d characters.", n=limit)))
                row.pop(key)
        for key in ("birth_date", "admitted_date"):
            if row.get(key) and row[key] > today:
                problems.append((key, _("The date cannot be in the future.")))
        if row.get("birth_date") and row.get("admitted_date") and row["admitted_date"] < row["birth_date"]:
            problems.append(("admitted_date", _("The admission date is before the date of birth.")))
        return row, problems

    def _across(self, row: dict, units: dict, allowed: dict, ids_in_file: dict, cards_in_file: dict,
                known_ids: set, known_cards: set, number: int) -> list[tuple[str, str]]:
        """What needs the database or other rows: the grassroots union exists and is the actor's; the citizen ID
        and the card number are new, in the register and in the file."""
        problems: list[tuple[str, str]] = []
        if row.get("unit") is not None:
            unit = units.get(fold(row["unit"]).strip())
            if unit is None:
                problems.append(("unit", _("No unit has the code “%(code)s”.", code=row["unit"])))
            elif unit.kind != members.GRASSROOTS:
                problems.append(("unit", _("%(unit)s is not a grassroots union (CĐCS).", unit=unit.name)))
            else:
                if unit.id not in allowed:
                    allowed[unit.id] = bool(roles_on(self.session, self.actor, unit) & set(IMPORT_ROLES))
                if not allowed[unit.id]:
                    problems.append(("unit", _("You may not import members into this union.")))
                row["unit_row"] = unit
        for key, in_file, known, taken, repeated in (
                ("citizen_id", ids_in_file, known_ids, _("This citizen ID is already in the register."),
                 _("This citizen ID is repeated (row %(row)d).")),
                ("card_number", cards_in_file, known_cards, _("This card number is already in the register."),
                 _("This card number is repeated (row %(row)d)."))):
            value = row.get(key)
            if not value:
                continue
            if value in known:
                problems.append((key, taken))
            elif value in in_file:
                problems.append((key, repeated % {"row": in_file[value]}))
            else:
                in_file[value] = number
        return problems

    def commit(self, progress: Callable[[int, int], None] | None = None) -> ImportResult:
        """Dry-run again, then write every member in ONE transaction; any error writes nothing."""
        result = self.check()
        if not result.ok:
            return result
        total = len(result.prepared)
        try:
            for done, (number, row) in enumerate(sorted(result.prepared.items()), start=1):
                source = f"{self.source}#{number}"
                member = members.new_member(
                    self.session, full_name=row["full_name"], birth_date=row["birth_date"],
                    citizen_id=row["citizen_id"], unit=row["unit_row"], admitted_date=row["admitted_date"],
                    card_number=row.get("card_number"), status=row.get("status") or "active", source=source)
                members.record(self.session, member, "imported", self.actor, source)
                if progress and (done % PROGRESS_EVERY == 0 or done == total):
                    progress(done, total)
            self.session.commit()
        except Exception:
            self.session.rollback()
            raise
        result.imported = total
        return result

