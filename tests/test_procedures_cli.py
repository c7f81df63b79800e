"""CLI: the enterprise register import and the organisation sync, with one-line errors and exit codes."""
from datetime import date

from openpyxl import Workbook
from sqlalchemy import select

from caseflow.core.models import Unit
from caseflow.extensions import db
from caseflow.union.models import Enterprise
from caseflow.union.org import record_change


def test_import_enterprises(runner, org, tmp_path):
    wb = Workbook()
    wb.active.append(["MST", "Tên doanh nghiệp", "Số lao động", "Công đoàn cấp trên"])
    wb.active.append(["4100000009", "Công ty CP Cảng Quy Nhơn", 420, "LĐLĐ-QN"])
    wb.active.append(["4100000010", "Công ty X", "nhiều", "LĐLĐ-QN"])
    path = tmp_path / "dn.xlsx"
    wb.save(path)
    result = runner.invoke(args=["procedures", "import-enterprises", str(path)])
    assert result.exit_code == 1 and "1 added" in result.output and "3" in result.output
    with runner.app.app_context():
        assert db.session.scalar(select(Enterprise.workers_count)) == 420
    (tmp_path / "bad.xlsx").write_text("not a workbook")
    result = runner.invoke(args=["procedures", "import-enterprises", str(tmp_path / "bad.xlsx")])
    assert result.exit_code == 2 and "error:" in result.output
    result = runner.invoke(args=["procedures", "import-enterprises", str(tmp_path / "missing.xlsx")])
    assert result.exit_code == 2


def test_org_sync_applies_a_change_entered_ahead(runner, org):
    with runner.app.app_context():
        province = db.session.get(Unit, org["units"]["province"])
        record_change(db.session, province, date(2025, 6, 12), None, "Nghị quyết 202/2025/QH15",
                      today=date(2025, 6, 1), name="Liên đoàn Lao động tỉnh Gia Lai", place="Gia Lai")
        db.session.commit()
        assert db.session.get(Unit, org["units"]["province"]).name == "Liên đoàn Lao động tỉnh Bình Định"
    result = runner.invoke(args=["org", "sync"])
    assert result.exit_code == 0 and "1 unit(s) changed" in result.output
    with runner.app.app_context():
        assert db.session.get(Unit, org["units"]["province"]).name == "Liên đoàn Lao động tỉnh Gia Lai"
    assert runner.invoke(args=["org", "sync", "--on", "hôm qua"]).exit_code == 2
