"""Import the legal-aid centre's existing case register (XLSX/CSV): map columns, dry-run every row
(row, column, reason in Vietnamese), then commit all rows or none, each through engine.import_case."""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.orm import Session

from caseflow.core import engine
from caseflow.core.clock import local_today
from caseflow.core.engine import get_registry
from caseflow.core.engine.definition import FieldDef
from caseflow.core.engine.fire import atomic, import_spec
from caseflow.core.i18n import _, label
from caseflow.core.models import Case, Unit, User
from caseflow.core.policy import roles_on
from caseflow.core.text import fold, nfc
from caseflow.legal_aid.hooks import imported_fact_problems
from caseflow.reports.imports.reader import Table, match_headers
from caseflow.reports.imports.row import BASE_REQUIRED, row_model, validate_row

WORKFLOW = "legal_aid"
LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
#: columns that are not workflow fields: key -> (vi, en) label, required
BASE_COLUMNS = {
    "code": ({"vi": "Mã vụ việc", "en": "Case code"}, False),
    "received_date": ({"vi": "Ngày tiếp nhận", "en": "Date received"}, True),
    "unit": ({"vi": "Đơn vị (mã)", "en": "Unit (code)"}, True),
    "worker_name": ({"vi": "Họ tên người yêu cầu", "en": "Requester's name"}, True),
    "worker_phone": ({"vi": "Điện thoại", "en": "Phone"}, False),
    "state": ({"vi": "Trạng thái", "en": "State"}, True),
    "closed_date": ({"vi": "Ngày kết thúc", "en": "Date closed"}, False),
}
#: header spellings seen in registers, folded -> column key
ALIASES = {"ma": "code", "ma ho so": "code", "so ho so": "code", "ngay nhan": "received_date",
           "don vi": "unit", "ho ten": "worker_name", "ho va ten": "worker_name", "nguoi lao dong": "worker_name",
           "sdt": "worker_phone", "so dien thoai": "worker_phone", "tinh trang": "state", "ket thuc": "closed_date"}
PROGRESS_EVERY = 500
#: values used when the register has no such column (registers seldom note the channel)
DEFAULTS = {"channel": "walk_in", "is_collective": False}


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    reason: str


@dataclass
class ImportResult:
    total: int
    errors: list[RowError] = field(default_factory=list)
    imported: int = 0
    #: row number -> prepared arguments of engine.import_case (only when the row is clean)
    prepared: dict[int, dict] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def columns() -> dict[str, tuple[dict, bool]]:
    """Every column the register may map to: key -> (labels, required)."""
    spec = import_spec(get_registry().get(WORKFLOW))
    cols = dict(BASE_COLUMNS)
    for f in spec.fields:
        cols[f.name] = (dict(f.label), f.required and f.name not in DEFAULTS)
    return cols


def guess_mapping(headers: list[str]) -> dict[str, int]:
    """column key -> header index, from the labels (vi/en), keys and common spellings, ignoring diacritics."""
    names: dict[str, str] = dict(ALIASES)
    for key, (labels, _req) in columns().items():
        names[fold(key).replace("_", " ")] = key
        for text in labels.values():
            names[fold(text)] = key
    return match_headers(headers, names)


#: id(field) -> (field, {folded value or label: value}): folded once per field, not once per cell
_FOLDED_CHOICES: dict[int, tuple[FieldDef, dict[str, str]]] = {}


def _folded_choices(f: FieldDef) -> dict[str, str]:
    kept = _FOLDED_CHOICES.get(id(f))
    if kept is None or kept[0] is not f:
        table: dict[str, str] = {}
        for value, labels in f.choices.items():  # first match wins, as the loop over the choices did
            for text in (value, *labels.values()):
                table.setdefault(fold(text), value)
        kept = _FOLDED_CHOICES[id(f)] = (f, table)
    return kept[1]


def _choice(f: FieldDef, raw: str) -> str:
    found = _folded_choices(f).get(fold(raw).strip())
    if found is not None:
        return found
    raise ValueError(_("“%(value)s” is not one of: %(choices)s.", value=raw,
                       choices=", ".join(label(lab, "vi") for lab in f.choices.values())))


_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


def parse_date(raw) -> date:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = str(raw).strip()
    match = _DMY.match(text)
    try:
        if match:
            day, month, year = (int(x) for x in match.groups())
            return date(year, month, day)
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(_("“%(value)s” is not a valid date (dd/mm/yyyy).", value=text)) from None


def _typed(f: FieldDef, raw):
    """A register value to what the engine's field expects (labels to keys, dd/mm/yyyy to dates)."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if f.type == "select":
        return _choice(f, str(raw))
    if f.type == "date":
        return parse_date(raw)
    if f.type == "bool":
        text = fold(str(raw)).strip()
        if text in ("x", "co", "1", "true", "yes", "dung"):
            return True
        if text in ("", "0", "khong", "false", "no", "sai"):
            return False
        raise ValueError(_("“%(value)s” is not yes/no (có/không).", value=raw))
    if f.type == "money":
        if isinstance(raw, (int, float)):
            if raw < 0:
                raise ValueError(_("Must not be negative."))
            return int(raw)
        text = str(raw).replace(".", "").replace(",", "").replace(" ", "").replace("đ", "")
        if not text.isdigit():
            raise ValueError(_("“%(value)s” is not an amount in VND.", value=raw))
        return int(text)
    return nfc(str(raw))


class Importer:
    """One register file, one mapping, one actor. `check()` is the dry run; `commit()` writes all or none."""

    def __init__(self, session: Session, actor: User, table: Table, mapping: dict[str, int], source: str = ""):
        self.session, self.actor, self.table, self.mapping, self.source = session, actor, table, mapping, source
        self.definition = get_registry().get(WORKFLOW)
        self.spec = import_spec(self.definition)
        self.fields = {f.name: f for f in self.spec.fields}

    def _header(self, key: str) -> str:
        index = self.mapping.get(key)
        return self.table.headers[index] if index is not None else label(columns()[key][0], "vi")

    def mapping_errors(self) -> list[RowError]:
        return [RowError(1, label(labels, "vi"), _("This required column is not mapped."))
                for key, (labels, required) in columns().items() if required and key not in self.mapping]

    def check(self, progress: Callable[[int, int], None] | None = None) -> ImportResult:
        """The dry run; progress(done, total) every PROGRESS_EVERY rows (a job's bar; raising from it stops)."""
        with force_locale("vi"):  # the register's keepers read Vietnamese, whatever the UI language
            return self._check(progress)

    def _check(self, progress: Callable[[int, int], None] | None = None) -> ImportResult:
        result = ImportResult(total=len(self.table.rows), errors=self.mapping_errors())
        if result.errors:
            return result
        units = {fold(u.code): u for u in self.session.scalars(select(Unit))}
        states = {}
        for name, state in self.definition.states.items():
            states[fold(name)] = name
            for text in state.label.values():
                states[fold(text)] = name
        codes_in_file: dict[str, int] = {}
        raw_codes = [nfc(str(v[self.mapping["code"]])) for _n, v in self.table.rows
                     if "code" in self.mapping and v[self.mapping["code"]] not in (None, "")]
        existing = set()
        for start in range(0, len(raw_codes), 900):
            existing.update(self.session.scalars(select(Case.code).where(Case.code.in_(raw_codes[start:start + 900]))))
        allowed_units: dict[int, bool] = {}
        today = local_today()
        model = row_model(self.fields, _typed, parse_date, DEFAULTS)
        keys = [*self.fields, *BASE_REQUIRED]
        for done, (number, values) in enumerate(self.table.rows, 1):
            if progress and done % PROGRESS_EVERY == 0:
                progress(done, result.total)
            # an unmapped column is an empty cell (a field's default applies, e.g. the channel)
            cells = {k: values[self.mapping[k]] if self.mapping.get(k) is not None else None for k in keys}
            typed, problems = validate_row(model, cells)
            problems += self._across_cells(typed, {k for k, _r in problems}, units, states, allowed_units,
                                           existing, codes_in_file, number, today)
            if problems:
                result.errors.extend(RowError(number, self._header(k), reason) for k, reason in problems)
                continue
            data = {name: typed.get(name) for name in self.fields}
            result.prepared[number] = {"data": data, "received_date": typed["received_date"],
                                       "closed_date": typed.get("closed_date"), "unit": typed["unit_row"],
                                       "state": typed["state_key"], "code": typed.get("code"),
                                       "name": typed["worker_name"], "phone": typed.get("worker_phone")}
        return result

    def _across_cells(self, row: dict, bad: set[str], units: dict, states: dict, allowed_units: dict,
                      existing: set, codes_in_file: dict, number: int, today: date) -> list[tuple[str, str]]:
        """What needs several cells or the database: the date is past, the unit exists and is the actor's,
        the state belongs to the procedure and its closing date fits, the code is new. Fills in
        row["unit_row"] and row["state_key"]."""
        problems: list[tuple[str, str]] = []
        received, closed = row.get("received_date"), row.get("closed_date")
        if received and received > today:
            problems.append(("received_date", _("The date cannot be in the future.")))
        if row.get("unit") is not None:
            unit = units.get(fold(row["unit"]).strip())
            if unit is None:
                problems.append(("unit", _("No unit has the code “%(code)s”.", code=row["unit"])))
            else:
                if unit.id not in allowed_units:
                    allowed_units[unit.id] = bool(roles_on(self.session, self.actor, unit) & set(self.spec.roles))
                if not allowed_units[unit.id]:
                    problems.append(("unit", _("You may not import cases into this unit.")))
                row["unit_row"] = unit
        if row.get("state") is not None:
            state = states.get(fold(row["state"]).strip())
            if state is None or state not in self.spec.states:
                problems.append(("state", _("“%(value)s” is not a state of this procedure.", value=row["state"])))
            else:
                row["state_key"] = state
                problems += self._closing_problems(state, closed, received, "closed_date" in bad, today)
                data = {name: row.get(name) for name in self.fields if name not in bad}
                problems += imported_fact_problems(data, state)
        code = row.get("code")
        if code:
            if code in existing:
                problems.append(("code", _("The case code %(code)s already exists.", code=code)))
            elif code in codes_in_file:
                problems.append(("code", _("The case code %(code)s is repeated (row %(row)d).", code=code,
                                           row=codes_in_file[code])))
            else:
                codes_in_file[code] = number
        return problems

    def _closing_problems(self, state: str, closed: date | None, received: date | None, unreadable: bool,
                          today: date) -> list[tuple[str, str]]:
        final = self.definition.is_final(state)
        problems = []
        if final and closed is None and not unreadable:
            problems.append(("closed_date", _("A closed case needs the date it was closed.")))
        if closed and not final:
            problems.append(("closed_date", _("Only a closed case has a closing date.")))
        if closed and received and closed < received:
            problems.append(("closed_date", _("The closing date is before the date received.")))
        if closed and closed > today:
            problems.append(("closed_date", _("The date cannot be in the future.")))
        return problems

    def commit(self, progress: Callable[[int, int], None] | None = None) -> ImportResult:
        """Dry-run again, then import every row in ONE transaction; any error writes nothing."""
        result = self.check()
        if not result.ok:
            return result
        dispute = self.fields["dispute_type"]
        rows = []
        for number, row in sorted(result.prepared.items()):
            data = row["data"]
            is_org = data.get("party_status") == "union_org"
            party = {"role": "union_org" if is_org else "worker", "kind": "organisation" if is_org else "person",
                     "full_name": row["name"], "phone": row["phone"],
                     "is_union_member": data.get("party_status") == "member", "confidential": False}
            closed_dt = (datetime.combine(row["closed_date"], time(12), LOCAL_TZ) if row["closed_date"] else None)
            title = f"{row['name']} – {label(dispute.choices.get(data.get('dispute_type'), {}), 'vi')}"
            rows.append(engine.ImportRow(row["unit"], data, row["state"], title, row["received_date"], [party],
                                         row["code"], closed_dt, f"{self.source}#{number}"))
        try:
            # every case through the engine, PROGRESS_EVERY rows written at a time, progress after each batch;
            # a refusal, a clash or the callback raising (a cancelled job) undoes every batch
            with atomic(self.session, rollback=False):  # a clash is a Conflict
                engine.import_cases(self.session, WORKFLOW, self.actor, rows, batch=PROGRESS_EVERY,
                                    progress=progress)
                self.session.flush()
            self.session.commit()
        except BaseException:
            self.session.rollback()
            raise
        result.imported = len(rows)
        return result
