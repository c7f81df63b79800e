"""The authorisation table (issue 17): every route of the app x every demo role x a case of every workflow, in
and out of the role's procedures and units -> the expected status, the expectation derived from the policy's
data (caseflow.core.policy.read_table: the workflows' transition roles plus READ_GRANTS), checked against the
app. A route missing from ROUTES fails the table: a new route must be declared here (and in the identity
crawl, tests/test_inspection_identity.py CRAWL).

The demo's data is built once for the module (`caseflow seed-demo`'s generator); GET requests only, plus a
few firing checks (a case outside the need to know cannot be acted on either)."""
from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

import pytest
from sqlalchemy import func, select, update
from werkzeug.exceptions import MethodNotAllowed

from caseflow import create_app
from caseflow.core.engine import get_registry
from caseflow.core.models import Attachment, Case, RoleAssignment, Unit, User
from caseflow.core.policy import READ_GRANTS, read_table
from caseflow.documents.hooks import SECRET_ROLES
from caseflow.documents.models import DocumentDetail
from caseflow.extensions import db
from caseflow.inspection.identity import PROTECTED_KINDS
from caseflow.inspection.models import ConflictDeclaration, IdentityGrant, ProtectedScan
from caseflow.union.member_import import IMPORT_ROLES
from caseflow.union.members import MEMBER_ROLES
from caseflow.union.models import Member
from tests.conftest import app_settings, clean_database, csrf_token, login

#: one user per demo role, plus a legal officer of a district (Quy Nhơn): units as well as procedures differ
USERS = ["admin", "lanhdao", "tuvan1", "kiemtra", "vanthu", "tochuc", "quynhon"]
ANON = "anon"


# --- what each route is -------------------------------------------------------------------------------
@dataclass(frozen=True)
class CaseRoute:
    """A page of one case: `ok` when the policy lets the user see the case (and its kind is one of `kinds`),
    else 404 (a case outside the need to know does not exist for the user)."""

    url: str
    kinds: frozenset | None = None
    #: a signed-out visitor: sent to the sign-in page (a JSON client gets 401)
    anon: int = 302
    #: rendering is slow (a draft PDF): of the cases the user may see, only the first is fetched
    costly: bool = False

    def expect(self, sees: bool, case, user) -> int:
        if not sees or (self.kinds is not None and case.kind not in self.kinds):
            return 404
        return 200


@dataclass(frozen=True)
class ScanRoute(CaseRoute):
    """A protected scan: seen by the holder of a grant on a case he may see; 403 for any other who sees it."""

    def expect(self, sees: bool, case, user) -> int:
        status = super().expect(sees, case, user)
        return status if status != 200 else (200 if case.scan_id and user.id in case.grantees else 403)


@dataclass(frozen=True)
class Page:
    """A page of no case: 200 for the holders of `roles` (every signed-in user if None), `other` for the rest."""

    url: str
    roles: frozenset | None = None
    other: int = 403
    anon: int = 302


@dataclass(frozen=True)
class Public:
    """Open to anyone: `status` signed out, `signed_in` (same if None) signed in."""

    url: str
    status: int = 200
    signed_in: int | None = None


@dataclass(frozen=True)
class PostOnly:
    """Changes something: its GET is refused (405); the firing checks below and the crawl post to it."""

    url: str
    #: the status of a GET when the URL also matches a page of another shape (/procedures/standards/<workflow>)
    get: int | None = None


@dataclass(frozen=True)
class OwnedRoute:
    """A background job's page: its owner (`JOB_OWNER`) sees it, every other user gets 404 (administrators
    included: the job's result was read with its owner's need to know)."""

    url: str
    anon: int = 302


#: the world's background job (done, with a result file) belongs to this demo user
JOB_OWNER = "tuvan1"

STAFF = None  # every signed-in user
ADMIN = frozenset({"admin"})
UBKT = frozenset({"inspector", "leader", "clerk"})
REPORTS = frozenset({"leader", "legal_officer", "admin"})
DOCS = frozenset({"document"})
MEMBER_READERS = frozenset(MEMBER_ROLES)

ROUTES: dict[str, object] = {
    "static": Public("/static/caseflow.css"),
    "health.healthz": Public("/healthz"), "health.readyz": Public("/readyz"),  # probes: no case, no user
    "home.index": Page("/"), "auth.login": Public("/login", 200, signed_in=302), "auth.logout": PostOnly("/logout"),
    "auth.logout_everywhere": PostOnly("/logout-everywhere"), "auth.set_language": PostOnly("/lang/en"),
    # the second factor's pages belong to a sign-in under way: anyone else is sent back to the sign-in form
    "twofactor.verify": Public("/login/two-factor", 302), "twofactor.enrol": Public("/login/two-factor/enrol", 302),
    "cases.list_cases": Page("/cases/"), "cases.show_case": CaseRoute("/cases/{case}"),
    "cases.fire_trigger": PostOnly("/cases/{case}/fire/close"),
    "api.get_case": CaseRoute("/api/cases/{case}", anon=401), "api.fire": PostOnly("/api/cases/{case}/fire"),
    "portal_staff.answer": PostOnly("/cases/{case}/portal/answer"),
    "legal_aid.new_case": Page("/legal-aid/new", frozenset({"clerk", "legal_officer", "leader"})),
    "inspection.desk": Page("/inspection/desk", UBKT), "inspection.board": Page("/inspection/board", UBKT),
    "inspection.stats": Page("/inspection/stats", frozenset({"inspector", "leader"})),
    "inspection.stats_csv": Page("/inspection/stats.csv", frozenset({"inspector", "leader"})),
    "inspection.classify_letter": PostOnly("/inspection/desk/{case}/classify"),
    "inspection.identity_page": CaseRoute("/inspection/cases/{case}/identity", frozenset(PROTECTED_KINDS)),
    "inspection.identity_scan": ScanRoute("/inspection/cases/{case}/identity/scans/{scan}",
                                          frozenset(PROTECTED_KINDS)),
    "inspection.reveal_identity": PostOnly("/inspection/cases/{case}/identity/reveal"),
    "inspection.grant_identity": PostOnly("/inspection/cases/{case}/identity/grant"),
    "inspection.revoke_identity": PostOnly("/inspection/cases/{case}/identity/grants/1/revoke"),
    "documents.index": Public("/documents/", 302),  # the register, or the sign-in form
    "documents.register": Page("/documents/register"), "documents.export_register": Page("/documents/register.xlsx"),
    "documents.new_document": Page("/documents/new", frozenset({"clerk", "leader", "inspector", "legal_officer"})),
    "documents.edit_document": CaseRoute("/documents/{case}/edit", DOCS),
    "documents.preview": CaseRoute("/documents/{case}/preview", DOCS),
    "documents.download_pdf": CaseRoute("/documents/{case}/pdf", DOCS, costly=True),
    "documents.powers": Page("/documents/powers", ADMIN), "documents.end_power": PostOnly("/documents/powers/1/end"),
    # a notice is its addressee's alone: any other id does not exist for the user
    "deadlines.open_notice": Public("/deadlines/notifications/999999", 302, signed_in=404),
    "deadlines.queue": Page("/deadlines/"), "deadlines.mark_read": PostOnly("/deadlines/notifications/read"),
    "deadlines.calendar_admin": Page("/deadlines/calendar", ADMIN),
    "deadlines.rules_admin": Page("/deadlines/rules", ADMIN),
    "reports.dashboard": Page("/reports/legal-aid", REPORTS),
    "reports.export_dashboard": Page("/reports/legal-aid.csv", REPORTS),
    "reports.export_breakdown": Page("/reports/legal-aid/breakdown/unit.csv", REPORTS),
    "reports.drilldown": Page("/reports/legal-aid/cases", REPORTS),
    "reports.export_drilldown": Page("/reports/legal-aid/cases.csv", REPORTS),
    "reports.export_cases": Page("/reports/cases.csv"),
    "reports.centre": Page("/reports/legal-aid/centre", REPORTS),
    "reports.export_centre": Page("/reports/legal-aid/centre.csv", REPORTS),
    "reports.targets": Page("/reports/targets", frozenset({"leader", "admin"})),
    "reports.conflict_links": Page("/reports/conflict-links", frozenset({"leader", "admin"})),
    "reports.import_upload": Page("/reports/import", frozenset({"leader", "legal_officer"})),
    "reports.import_check": PostOnly("/reports/import/x"),
    "org.tree": Page("/org/", ADMIN), "org.show_unit": Page("/org/units/{unit}", ADMIN),
    "org.new_unit": PostOnly("/org/units/new"), "org.change_unit": PostOnly("/org/units/{unit}/change"),
    "org.close": PostOnly("/org/units/{unit}/close"), "org.add_officer": PostOnly("/org/units/{unit}/officers"),
    "org.end_officer": PostOnly("/org/officers/1/end"),
    "union.index": Page("/procedures/"),
    "members.list_members": Page("/procedures/members/", MEMBER_READERS),
    "members.show_member": Page("/procedures/members/{member}", MEMBER_READERS),
    "members.import_upload": Page("/procedures/members/import", frozenset(IMPORT_ROLES)),
    "members.import_commit": PostOnly("/procedures/members/import/x"),
    "union.new_case": Page("/procedures/cdcs_founding/new", frozenset({"organiser", "clerk", "leader"})),
    "union.upload": PostOnly("/procedures/cases/{case}/dossier"),
    "union.download": CaseRoute("/procedures/attachments/{attachment}"),
    "union.settings": Page("/procedures/settings", ADMIN),
    "union.rounds": Page("/procedures/rounds", frozenset({"admin", "organiser"})),
    "union.targets": Page("/procedures/targets", frozenset({"admin", "leader", "inspector", "clerk", "organiser"})), "union.import_enterprises": PostOnly("/procedures/enterprises/import"),
    "handbook.index": Page("/procedures/standards/"), "handbook.procedure": Page("/procedures/standards/legal_aid"),
    "handbook.diagram": Page("/procedures/standards/legal_aid/diagram?format=svg"),
    "handbook.draft_handbook": PostOnly("/procedures/standards/handbook", get=404),  # no workflow "handbook"
    "admin.list_users": Page("/admin/users", ADMIN), "admin.show_user": Page("/admin/users/{user}", ADMIN),
    "admin.create_user": PostOnly("/admin/users"), "admin.disable_user": PostOnly("/admin/users/{user}/disable"),
    "admin.enable_user": PostOnly("/admin/users/{user}/enable"),
    "admin.reset_password": PostOnly("/admin/users/{user}/password"),
    "admin.grant_role": PostOnly("/admin/users/{user}/roles"),
    "admin.withdraw_role": PostOnly("/admin/users/{user}/roles/1/withdraw"),
    "admin.unlock_user": PostOnly("/admin/users/{user}/unlock"),
    "jobs.outbox_page": Page("/admin/outbox", ADMIN), "jobs.retry_message": PostOnly("/admin/outbox/1/retry"),
    "background.list_jobs": Page("/jobs/"), "background.show_job": OwnedRoute("/jobs/{job}"),
    "background.job_status": OwnedRoute("/jobs/{job}.json"),
    "background.download_result": OwnedRoute("/jobs/{job}/download"),
    "background.cancel_job": PostOnly("/jobs/{job}/cancel"), "background.retry_job": PostOnly("/jobs/{job}/retry"),
    "documents.render_batch_job": PostOnly("/documents/batch"),
    "portal.home": Public("/cong-khai/"), "portal.privacy": Public("/cong-khai/quyen-rieng-tu"),
    "portal.legal_help": Public("/cong-khai/yeu-cau-tu-van"), "portal.letter": Public("/cong-khai/gui-don"),
    "portal.receipt": Public("/cong-khai/bien-nhan", 302), "portal.receipt_pdf": PostOnly("/cong-khai/bien-nhan.pdf"),
    "portal.lookup": Public("/cong-khai/tra-cuu"), "portal.matter": Public("/cong-khai/ho-so", 302),
    "portal.post_message": PostOnly("/cong-khai/ho-so/tin-nhan"),
    "portal.document_pdf": Public("/cong-khai/ho-so/van-ban/1", 302), "portal.leave": PostOnly("/cong-khai/thoat"),
}


# --- the data: the demo, built once --------------------------------------------------------------------
@dataclass
class Sample:
    """One case of the table, with what the expectation needs (plain values: the ORM objects die)."""

    id: int
    code: str
    kind: str
    workflow: str
    unit_path: str
    source: Sample | None = None
    secret: bool = False
    conflicted: frozenset = frozenset()
    grantees: frozenset = frozenset()
    scan_id: int = 0
    attachment_id: int = 0
    label: str = ""


@dataclass
class World:
    app: object
    cases: list[Sample]
    users: dict[str, User]
    role_paths: dict[str, list[tuple[str, str]]]
    table: dict
    extra: dict = field(default_factory=dict)


def _move_to(session, case_ids, unit) -> None:
    """Out of every demo user's units: the case is moved above the province (test data only; the audit chain
    is not what this module checks)."""
    session.execute(update(Case).where(Case.id.in_(case_ids)).values(unit_id=unit.id))


def _sample(session, case: Case, label: str, samples: dict) -> Sample:
    detail = session.get(DocumentDetail, case.id) if case.kind == "document" else None
    source = None
    if detail is not None and detail.source_case_id:
        parent = session.get(Case, detail.source_case_id)
        source = samples.get(parent.id) or _sample(session, parent, f"source of {label}", samples)
    conflicted = frozenset(session.scalars(select(ConflictDeclaration.user_id).where(
        ConflictDeclaration.case_id.in_([case.id] + ([source.id] if source else [])))))
    grantees = frozenset(session.scalars(select(IdentityGrant.user_id).where(
        IdentityGrant.case_id == case.id, IdentityGrant.revoked_dt.is_(None))))
    sample = Sample(case.id, case.code, case.kind, case.workflow, case.unit.path, source,
                    bool(detail and detail.secret), conflicted, grantees,
                    session.scalar(select(func.min(ProtectedScan.id)).where(ProtectedScan.case_id == case.id)) or 0,
                    session.scalar(select(func.min(Attachment.id)).where(Attachment.case_id == case.id)) or 0, label)
    samples[case.id] = sample
    return sample


@pytest.fixture(scope="module")
def world(template_db, tmp_path_factory, translations_dir, shipped_registry):
    from caseflow.demo import seed_demo
    from tests.factories import INTAKE

    base = tmp_path_factory.mktemp("authorisation")
    app = create_app({**app_settings(clean_database(template_db, base), base, translations_dir),
                      "WORKFLOW_REGISTRY": shipped_registry})
    from caseflow.core import engine

    with app.app_context():
        session = db.session
        seed_demo(session, cases=8)
        units = {u.code: u for u in session.scalars(select(Unit))}
        users = {u.username: u for u in session.scalars(select(User))}
        # a legal-aid matter in Quy Nhơn (the district legal officer's unit), and one at the top of the tree
        qn = engine.open_case(session, "legal_aid", units["LĐLĐ-QN"], users["quynhon"], dict(INTAKE),
                              title="Vụ việc tại Quy Nhơn", received_date=None)
        top = engine.open_case(session, "legal_aid", units["LĐLĐ-QN"], users["quynhon"], dict(INTAKE),
                               title="Vụ việc ngoài đơn vị", received_date=None)
        picked: dict[str, Case] = {}
        for case in session.scalars(select(Case).order_by(Case.id)):
            key = case.workflow
            if case.kind == "document":
                detail = session.get(DocumentDetail, case.id)
                src = session.get(Case, detail.source_case_id) if detail.source_case_id else None
                key = f"document of {src.workflow if src else 'no case'}{' (secret)' if detail.secret else ''}"
            picked.setdefault(key, case)
        # out of every demo user's units: a second case of each family, above the province
        outside = {}
        for workflow in ("letter_intake", "cdcs_founding", "discipline"):
            second = session.scalars(select(Case).where(Case.workflow == workflow, Case.id != picked[workflow].id)
                                     .order_by(Case.id)).first()
            if second is not None:
                outside[f"{workflow} outside the units"] = second
        lone_doc = picked.get("document of no case")
        outside["legal_aid outside the units"] = top
        _move_to(session, [c.id for c in outside.values()], units["TLĐ"])
        session.commit()
        picked["legal_aid in Quy Nhơn"] = qn
        picked.update(outside)
        session.expire_all()
        samples: dict[int, Sample] = {}
        cases = [_sample(session, session.get(Case, c.id), label, samples) for label, c in sorted(picked.items())]
        role_paths = {name: [(ra.unit.path, ra.role) for ra in session.scalars(
            select(RoleAssignment).where(RoleAssignment.user_id == u.id))] for name, u in users.items()}
        table = read_table(get_registry())
        extra = {"unit": units["LĐLĐ-QN"].id, "user": users["lanhdao"].id, "lone_doc": lone_doc.id if lone_doc else 0,
                 "member": session.scalars(select(Member.id).order_by(Member.id)).first()}
        extra["job"] = _owned_job(session, app, users[JOB_OWNER])
        plain_users = {n: _Plain(u.id, u.username, u.active) for n, u in users.items()}
        session.remove()
    yield World(app, cases, plain_users, role_paths, table, extra)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _owned_job(session, app, owner) -> int:
    """A finished background job of JOB_OWNER's, with its result file."""
    from pathlib import Path

    from caseflow.jobs.models import BackgroundJob

    job = BackgroundJob(kind="export", owner_id=owner.id, params={}, status="done", done=1, total=1,
                        errors_sample=[], result_path="jobs/world/result", result_name="x.csv", result_mime="text/csv")
    session.add(job)
    session.commit()
    path = Path(app.config["STORAGE_DIR"]) / "jobs" / "world" / "result"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"x\n")
    return job.id


@dataclass(frozen=True)
class _Plain:
    id: int
    username: str
    active: bool


# --- the expectation, from the policy's data alone -----------------------------------------------------
def reads(world: World, username: str, workflow: str, unit_path: str, which: str = "cases") -> bool:
    roles = world.table.get(workflow, {}).get(which, set())
    return any(unit_path.startswith(p) and r in roles for p, r in world.role_paths[username])


def expected_sees(world: World, username: str, case: Sample) -> bool:
    user = world.users[username]
    if not user.active or user.id in case.conflicted:
        return False
    if case.secret and not any(case.unit_path.startswith(p) and r in SECRET_ROLES
                               for p, r in world.role_paths[username]):
        return False
    if case.source is None:
        return reads(world, username, case.workflow, case.unit_path)
    return expected_sees(world, username, case.source) or \
        reads(world, username, case.source.workflow, case.unit_path, "documents")


# --- the table -----------------------------------------------------------------------------------------
def test_every_route_is_declared(world):
    endpoints = {rule.endpoint for rule in world.app.url_map.iter_rules()}
    assert endpoints - set(ROUTES) == set(), "declare the new routes in ROUTES (and in the identity crawl)"
    assert set(ROUTES) - endpoints == set(), "ROUTES names routes the app no longer has"


def test_every_workflow_and_both_sides_are_sampled(world):
    """The table covers a case of every workflow, documents of cases, and cases outside the users' units."""
    with world.app.app_context():
        workflows = set(get_registry().latest)
    assert workflows <= {c.workflow for c in world.cases}
    assert any(c.source is not None for c in world.cases) and any(c.kind == "document" and c.source is None
                                                                  for c in world.cases)
    for username in USERS:
        if username == "admin":
            assert not any(expected_sees(world, username, c) for c in world.cases)  # admins see no case file
            continue
        sees = [expected_sees(world, username, c) for c in world.cases]
        assert any(sees) and not all(sees), username


def test_read_grants_have_reasons():
    assert READ_GRANTS and all(len(g.reason) > 40 for g in READ_GRANTS)


def _client(world, username):
    client = world.app.test_client()
    if username != ANON:
        login(client, username)
    return client


def _url(world, route, case: Sample | None = None) -> str:
    values = {"unit": world.extra["unit"], "user": world.extra["user"], "member": world.extra["member"],
              "job": world.extra["job"]}
    if case is not None:
        values.update(case=case.id, scan=case.scan_id or 0, attachment=case.attachment_id)
    return route.url.format(**values)


def _expected_page(world, route, username) -> int:
    if isinstance(route, Public):
        return route.status if username == ANON or route.signed_in is None else route.signed_in
    if isinstance(route, PostOnly) and route.get is not None:
        return route.get if username != ANON else 302
    if isinstance(route, PostOnly):
        try:  # its URL may also be a page's (POST /admin/users creates, GET lists): then the page's status
            endpoint, _args = world.app.url_map.bind("localhost").match(route.url.split("?")[0].format(
                case=1, unit=1, user=1, member=1, job=1), method="GET")
        except MethodNotAllowed:
            return 405
        return _expected_page(world, ROUTES[endpoint], username)
    if username == ANON:
        return route.anon
    if isinstance(route, OwnedRoute):
        return 200 if username == JOB_OWNER else 404
    if route.roles is None:
        return 200
    held = {r for _p, r in world.role_paths[username]}
    return 200 if held & route.roles else route.other


@pytest.mark.parametrize("username", USERS + [ANON])
def test_the_table(world, username):
    client = _client(world, username)
    mismatches = []
    for endpoint, route in sorted(ROUTES.items()):
        if isinstance(route, CaseRoute):
            fetched_ok = False
            for case in world.cases:
                if endpoint == "union.download" and not case.attachment_id:
                    continue
                if username == ANON:
                    expected = route.anon
                else:
                    expected = route.expect(expected_sees(world, username, case), case, world.users[username])
                if route.costly and expected == 200:
                    if fetched_ok:
                        continue
                    fetched_ok = True
                got = client.get(_url(world, route, case)).status_code
                if got != expected:
                    mismatches.append(f"{endpoint} {case.label} {case.code}: expected {expected}, got {got}")
            continue
        if isinstance(route, PostOnly) and "{case}" in route.url:
            urls = [_url(world, route, case) for case in world.cases[:1]]
        else:
            urls = [_url(world, route)]
        for url in urls:
            expected = _expected_page(world, route, username)
            got = client.get(url).status_code
            if got != expected:
                mismatches.append(f"{endpoint} {url}: expected {expected}, got {got}")
    assert not mismatches, "\n".join(mismatches)


#: pages searched for each case's code, and pages listing cases whatever the query: a case outside the need
#: to know never appears on them
SEARCHES = ["/cases/?q={code}", "/documents/register?q={code}", "/documents/register.xlsx?q={code}",
            "/reports/cases.csv?q={code}"]
LISTINGS = ["/cases/", "/documents/register", "/deadlines/?scope=unit", "/inspection/board?kind=letter",
            "/inspection/board?kind=complaint", "/inspection/board?kind=denunciation", "/inspection/desk",
            "/reports/legal-aid/cases", "/reports/legal-aid/cases.csv", "/reports/cases.csv", "/inspection/stats.csv",
            "/procedures/standards/legal_aid", "/procedures/"]


def _readable(response) -> str:
    if "spreadsheet" in (response.mimetype or ""):
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(response.get_data()), read_only=True)
        return "\n".join(str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row)
    return response.get_data(as_text=True)


def _shows(body: str, code: str) -> bool:
    """The code on the page, not counting the search box echoing the query."""
    body = re.sub(r'value="[^"]*"|[?&]q=[^"&\s]*', "", body)
    return re.search(re.escape(code) + r"(?!\d)", body) is not None


@pytest.mark.parametrize("username", USERS)
def test_lists_searches_and_exports_show_only_what_the_user_needs_to_know(world, username):
    client = _client(world, username)
    wrong = []
    pages = {url: _readable(client.get(url)) for url in LISTINGS}
    for case in world.cases:
        sees = expected_sees(world, username, case)
        # a document's title names the case that produced it (“Giấy ủy quyền – TV-2026-0001”): whoever reads
        # a procedure's documents under a grant reads that code too, never the case
        named = sees or (case.source is None and reads(world, username, case.workflow, case.unit_path, "documents"))
        for search in SEARCHES:
            body = _readable(client.get(search.format(code=case.code)))
            if _shows(body, case.code) and not named:
                wrong.append(f"{search}: {case.code} ({case.label}) shown")
            if search.startswith("/cases/") and sees and not _shows(body, case.code):
                wrong.append(f"/cases/?q={case.code} ({case.label}): needed to know, not found")
        wrong += [f"{url}: {case.code} ({case.label}) shown" for url, body in pages.items()
                  if not named and _shows(body, case.code)]
    assert not wrong, "\n".join(wrong)


# --- a few firing checks: outside the need to know, no action either ------------------------------------
@pytest.mark.parametrize("username", ["tuvan1", "kiemtra", "tochuc", "admin"])
def test_firing_on_a_case_outside_the_need_to_know_is_404(world, username):
    client = _client(world, username)
    token = csrf_token(client, "/cases/")
    hidden = [c for c in world.cases if not expected_sees(world, username, c)]
    assert hidden
    for case in hidden:
        assert client.post(f"/cases/{case.id}/fire/close", data={"close-csrf_token": token}).status_code == 404
        assert client.post(f"/api/cases/{case.id}/fire", json={"trigger": "close"}).status_code == 404


# --- the probe's own finding: the legal officer and the inspection files -------------------------------
def test_the_legal_officer_reaches_no_inspection_file(world):
    """Luật Tố cáo 2018 Art. 47 and the union's rules keep the file to its handlers: tuvan1 reaches 0 of the
    demo's inspection cases (TC-2026-0001, KN-2026-0001 and the letters) by page, list, search by code, export,
    API or document register, and none of the documents they produced."""
    client = _client(world, "tuvan1")
    with world.app.app_context():
        inspection = db.session.execute(select(Case.id, Case.code).where(
            Case.kind.in_(("letter", "complaint", "denunciation")))).all()
        documents = db.session.execute(select(Case.id, Case.code).join(DocumentDetail, DocumentDetail.case_id == Case.id)
                                       .where(DocumentDetail.source_case_id.in_([i for i, _c in inspection]))).all()
    codes = {c for _i, c in inspection}
    assert {"TC-2026-0001", "KN-2026-0001"} <= codes and documents
    for case_id, code in inspection + documents:
        for url in (f"/cases/{case_id}", f"/api/cases/{case_id}", f"/documents/{case_id}/preview",
                    f"/inspection/cases/{case_id}/identity"):
            assert client.get(url).status_code == 404, (url, code)
        for url in (f"/cases/?q={code}", f"/documents/register?q={code}", f"/reports/cases.csv?q={code}",
                    f"/documents/register.xlsx?q={code}"):
            assert not _shows(_readable(client.get(url)), code), (url, code)
    for url in ("/cases/", "/cases/?kind=denunciation", "/cases/?kind=complaint", "/documents/register",
                "/reports/cases.csv", "/documents/register.xlsx", "/deadlines/?scope=unit"):
        body = _readable(client.get(url))
        assert not any(_shows(body, code) for code in codes), url
    assert client.get("/inspection/board").status_code == 403
