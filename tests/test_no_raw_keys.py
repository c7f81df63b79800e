"""No raw key on any page: every GET page of the identity canary's crawl (CRAWL), rendered as every role, shows
no internal key (role, state, trigger, field or choice code, party role, the data's [R]/[U] markers) and no
untranslated message id in its visible text."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from caseflow.core import engine
from caseflow.core.models import ROLES
from caseflow.core.models.party import PARTY_ROLES
from caseflow.demo import DEMO_USERS
from caseflow.extensions import db
from tests.conftest import login
from tests.test_inspection_identity import (
    CRAWL,
    ROLES_USERS,
    _urls,
    _values,
    canary_world,  # noqa: F401 (the fixture)
)

PACKAGE = Path(__file__).resolve().parent.parent / "caseflow"
#: pages that are not HTML for people: files, exports, PDFs, JSON, the static files
NOT_PAGES = re.compile(r"(\.csv|\.xlsx|/pdf|\.pdf|/api/|/static/|format=|/scans/|/download|/attachments/|_csv)")
VISIBLE_ATTRS = ("title", "aria-label", "placeholder", "alt")
#: pages whose keys are their subject: the administrator maintains the deadline catalogue by its rule keys
#: (the key is what the workflows name) and its page explains the [R]/[U] markers it edits
KEYS_ARE_THE_SUBJECT = {"deadlines.rules_admin"}


class Visible(HTMLParser):
    """The text a person reads: text outside <script>/<style>, plus the attributes a screen shows or reads."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        self.parts += [v for k, v in attrs if k in VISIBLE_ATTRS and v]

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = Visible()
    parser.feed(html)
    return "\n".join(parser.parts)


def raw_keys(app) -> set[str]:
    """Every internal key a page could let through: roles, states, triggers, field names, choice codes, party
    roles; less the usernames (shown on purpose: "admin" is a login as well as a role)."""
    keys = set(ROLES) | set(PARTY_ROLES) | {"sender", "signatory"}
    with app.app_context():
        for d in engine.get_registry():
            keys |= set(d.states) | {t.trigger for t in d.transitions}
            for f in list(d.intake_fields) + [f for t in d.transitions for f in t.fields]:
                keys.add(f.name)
                keys |= {k for k in f.choices if not k.isdigit()}
    usernames = {name for name, _full, _roles in DEMO_USERS}
    # a key reads as a key when it is snake_case or an English word on a Vietnamese page; short codes ("own",
    # "post") are kept out, they collide with parts of words the pages legitimately show (e-mail addresses)
    return {k for k in keys - usernames if "_" in k or len(k) >= 5}


def untranslated_msgids() -> set[str]:
    """English message ids of the catalogues (three words or more: a short id can be a name or a code)."""
    ids = set()
    for po in PACKAGE.glob("*/translations/vi/*.po"):
        for msgid, msgstr in re.findall(r'^msgid "(.+)"\nmsgstr "(.+)"', po.read_text(encoding="utf-8"), re.MULTILINE):
            if msgid != msgstr and len(msgid.split()) >= 3 and "%(" not in msgid:
                ids.add(msgid.replace('\\"', '"'))
    return ids


def problems(text: str, keys: set[str], msgids: set[str]) -> list[str]:
    found = [f"marker {m}" for m in re.findall(r"\[(?:R|U)\]", text)]
    words = set(re.findall(r"[A-Za-z][A-Za-z0-9_]*", text))
    found += [f"key {k}" for k in sorted(keys & words)]
    found += [f"msgid {m!r}" for m in msgids if m in text]
    return found


def _around(text: str, problem: str) -> str:
    """The words around what was found, for the failure message."""
    needle = problem.split(" ", 1)[1].strip("'")
    at = text.find(needle)
    return " ".join(text[max(0, at - 60):at + len(needle) + 40].split())


def test_the_detector_sees_each_kind_of_leak(app):
    keys, msgids = raw_keys(app), untranslated_msgids()
    assert problems("Vai trò: organiser", keys, msgids) == ["key organiser"]
    assert problems(visible_text('<span class="badge">sender</span>'), keys, msgids) == ["key sender"]
    assert problems("Căn cứ: Luật Khiếu nại 2011 [R]", keys, msgids) == ["marker [R]"]
    assert problems("Trạng thái: awaiting_authorisation", keys, msgids) == ["key awaiting_authorisation"]
    assert problems("You do not have permission to do this.", keys, msgids)
    assert problems(visible_text('<p data-state="received">Đã tiếp nhận</p><script>var x="received"</script>'),
                    keys, msgids) == []


@pytest.mark.slow
def test_no_page_of_the_crawl_shows_a_raw_key_to_any_role(app, client, org, canary_world):  # noqa: F811
    keys, msgids = raw_keys(app), untranslated_msgids()
    values = _values(app)
    rules = [r for r in app.url_map.iter_rules() if "GET" in CRAWL.get(r.endpoint, "").split()
             and "GET" in r.methods and r.endpoint != "static" and r.endpoint not in KEYS_ARE_THE_SUBJECT]
    found, pages = [], 0
    for username in ROLES_USERS + ["tochuc"]:
        login(client, username)
        for rule in sorted(rules, key=lambda r: r.endpoint):
            for url in _urls(app, rule, values):
                if NOT_PAGES.search(url):
                    continue
                response = client.get(url, headers={"Accept": "text/html"})
                if response.status_code != 200 or response.mimetype != "text/html":
                    continue
                pages += 1
                text = visible_text(response.get_data(as_text=True))
                for problem in problems(text, keys, msgids):
                    found.append((username, url, f"{problem} in …{_around(text, problem)}…"))
        client.delete_cookie("session")
    with app.app_context():
        db.session.remove()
    assert pages > 200, pages
    assert not found, "\n".join(f"{u} {url}: {p}" for u, url, p in sorted(set(found))[:60])
