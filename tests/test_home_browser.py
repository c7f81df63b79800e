"""The home page in a real browser (issue 18): every demo role holding a procedure role logs in, lands on
"Việc của tôi", finds an item it can act on, takes it from there, and the item leaves its list. Then every
main page is photographed at 1366 px and 390 px wide into artifacts/screenshots/ (kept by CI), failing on
a page wider than a 390 px phone's screen."""
from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from caseflow import PROJECT_ROOT
from caseflow.core import engine
from caseflow.core.clock import local_today
from caseflow.core.models import Case
from caseflow.demo import seed_demo
from caseflow.documents.models import DocumentDetail
from caseflow.extensions import db
from tests.browser_helpers import DESKTOP, browser_page, log_in

pytestmark = pytest.mark.browser

SCREENSHOTS = PROJECT_ROOT / "artifacts" / "screenshots"
PHONE_390 = {"width": 390, "height": 844}
#: the demo user of each procedure role (admin holds none: its home page has no case to act on); those with
#: the one case the demo leaves for them first, before a province role that also covers it takes it
ROLE_USERS = {"organiser": "tochuc", "legal_officer of a district": "quynhon", "legal_officer": "tuvan1",
              "leader": "lanhdao", "inspector": "kiemtra", "clerk": "vanthu"}
TEXT = "Đã xem xét, xử lý theo quy định."


def _seed(app) -> dict:
    """The demo as `seed-demo` makes it (it leaves work waiting for every procedure role); the main pages'
    case of each workflow."""
    with app.app_context():
        seed_demo(db.session, cases=12, seed=7)
        pages = {"case_" + w: db.session.scalar(select(Case.id).where(Case.workflow == w).order_by(Case.id))
                 for w in sorted({d.name for d in engine.get_registry()})}
        pages["document_issued"] = db.session.scalar(select(DocumentDetail.case_id).where(
            DocumentDetail.number.is_not(None)))
        db.session.remove()
    return pages


@pytest.fixture
def served(app):
    cases = _seed(app)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", cases
    server.shutdown()
    thread.join(5)


def fill_open_form(page, trigger: str) -> None:
    """Whatever the opened action's form asks: every box ticked, every choice its first, dates today, numbers
    and texts filled (the home page's items are steps a role may take; the test takes them as given)."""
    form = page.locator(f"#form-{trigger}")
    for box in form.locator("input[type=checkbox]").all():
        box.check()
    for select_el in form.locator("select").all():
        values = [v for v in select_el.locator("option").evaluate_all("os => os.map(o => o.value)") if v]
        if values:
            select_el.select_option(values[0])
    for field in form.locator("input[data-date=dmy]").all():  # date fields are typed dd/mm/yyyy
        field.fill(local_today().strftime("%d/%m/%Y"))
    for field in form.locator("input[type=number]").all():
        field.fill("12")
    for field in form.locator("input[type=text], textarea").all():
        if field.is_visible() and not field.input_value():
            field.fill(TEXT)


def test_each_role_lands_on_its_home_page_takes_an_item_and_it_leaves_the_list(served):
    base, _cases = served
    with browser_page(DESKTOP) as page:
        for role, username in ROLE_USERS.items():
            log_in(page, base, username)
            assert page.inner_text("#home-h") == "Việc của tôi", username
            act = page.locator("a.home-act").first
            assert act.count() == 1, f"{username} ({role}) has nothing to act on"
            case_id = act.locator("xpath=ancestor::li").get_attribute("data-case-id")
            trigger = act.get_attribute("data-trigger")
            item = f"li[data-case-id='{case_id}'] a.home-act[data-trigger='{trigger}']"
            act.click()
            page.wait_for_url(f"{base}/cases/{case_id}?act={trigger}#form-{trigger}")
            assert page.locator(f"#form-{trigger}.show").count() == 1  # one click: its form is open
            assert page.locator("#next-step").inner_text().startswith("Bước tiếp theo:")
            fill_open_form(page, trigger)
            with page.expect_navigation():
                page.click(f"#submit-{trigger}")
            assert page.locator(".alert-success").count() == 1, (username, trigger, page.inner_text("main")[:800])
            page.click("#nav-home")
            page.wait_for_url(f"{base}/")
            assert page.locator(item).count() == 0, f"{username}: {trigger} on case {case_id} still listed"
            page.click("#logout")
            page.wait_for_url(f"{base}/login")
        log_in(page, base, "admin")  # no procedure role: told so, nothing to act on
        assert "Không có vụ việc nào chờ bạn xử lý." in page.inner_text("#home-cases")
        assert page.outside_requests == [] and page.console_errors == []


def _main_pages(cases: dict) -> dict[str, tuple[str, str]]:
    """name -> (user, path) of the main pages of the app."""
    pages = {"home": ("lanhdao", "/"), "case_list": ("lanhdao", "/cases/"),
             "legal_aid_form": ("vanthu", "/legal-aid/new"), "desk": ("vanthu", "/inspection/desk"),
             "union_form": ("tochuc", "/procedures/cdcs_founding/new"), "document_form": ("vanthu", "/documents/new"),
             "deadlines": ("tuvan1", "/deadlines/"), "report_legal_aid": ("lanhdao", "/reports/legal-aid"),
             "report_centre": ("lanhdao", "/reports/legal-aid/centre"), "inspection_stats": ("kiemtra", "/inspection/stats"),
             "register": ("vanthu", "/documents/register"), "handbook": ("tuvan1", "/procedures/standards/"),
             "portal": ("", "/cong-khai/"), "portal_legal_help": ("", "/cong-khai/yeu-cau-tu-van"),
             "portal_letter": ("", "/cong-khai/gui-don")}
    viewer = {"legal_aid": "tuvan1", "letter_intake": "kiemtra", "complaint": "kiemtra", "denunciation": "kiemtra",
              "document_issuance": "lanhdao", "document_issued": "lanhdao"}
    for name, case_id in cases.items():
        if case_id is not None:
            workflow = name.removeprefix("case_")
            pages[name] = (viewer.get(workflow, "lanhdao" if workflow != "cdcs_founding" else "tochuc"),
                           f"/cases/{case_id}")
    return pages


OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def test_main_pages_photographed_at_desktop_and_phone_width_none_wider_than_the_phone(served):
    base, cases = served
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pages = _main_pages(cases)
    overflowing = {}
    for width, viewport in (("1366", DESKTOP), ("390", PHONE_390)):
        with browser_page(viewport) as page:
            signed_in = None
            for name, (username, path) in pages.items():
                if username != signed_in:
                    if signed_in:
                        # signed out by dropping the session (the logout button is the daily-use test's; a
                        # scripted form.submit() on the phone layout raced the page's own load)
                        page.context.clear_cookies()
                        page.goto(f"{base}/login")
                    if username:
                        log_in(page, base, username)
                    signed_in = username
                response = page.goto(f"{base}{path}")
                assert response.status == 200, (name, path, response.status)
                page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)
                if width == "390":
                    extra = page.evaluate(OVERFLOW)
                    if extra > 0:
                        overflowing[name] = extra
            assert page.outside_requests == [] and page.console_errors == []
    (SCREENSHOTS / "index.json").write_text(json.dumps(sorted(pages), ensure_ascii=False))
    assert not overflowing, f"wider than a 390 px screen (px too wide): {overflowing}"
    assert all((SCREENSHOTS / f"{n}-{w}.png").stat().st_size for n in pages for w in ("1366", "390"))


def test_the_screenshots_folder_is_ignored_by_git_and_named_by_the_readme():
    assert "artifacts/" in (PROJECT_ROOT / ".gitignore").read_text().split()
    assert "artifacts/screenshots/" in (PROJECT_ROOT / "README.md").read_text()
    assert Path(SCREENSHOTS).relative_to(PROJECT_ROOT) == Path("artifacts/screenshots")
