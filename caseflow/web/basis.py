"""Legal bases as officers read them: the certainty markers of the data ([V] checked against the law's text,
[R] reported by a secondary source, [U] unverified; DOMAIN.md) are for the lawyers who maintain the rules, and
are shown to officers in plain words or not at all."""
from __future__ import annotations

import re

from caseflow.core.i18n import _

MARKER = re.compile(r"\s*\[(?:V|R|U)(?:[^\]]*)?\]")


def plain_basis(text: str | None) -> str:
    """The basis without its [V]/[R]/[U] markers ("... Điều 8 [V Arts. 13-16, rest U]" -> "... Điều 8")."""
    return MARKER.sub("", text or "").strip()


def certainty_words(code: str | None) -> str:
    """A certainty code in plain words: nothing for a rule checked against the law's text."""
    return {"R": _("not yet checked against the original text"), "U": _("unverified")}.get(code or "", "")


def register(app) -> None:
    from caseflow.web.labels import code_words, role_label

    app.jinja_env.filters["plain_basis"] = plain_basis
    # with the bases, the words for the codes the same configuration pages show (roles, states, choices)
    app.jinja_env.globals.update(certainty_words=certainty_words, code_words=code_words, role_label=role_label)
