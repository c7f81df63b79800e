"""Date fields typed and shown as dd/mm/yyyy whatever the browser's language: a text field with a mask
(static/forms.js), parsed here. A browser's own date input follows its locale (an English browser shows
mm/dd/yyyy) while every date the pages display is dd/mm/yyyy (Vietnamese usage)."""
from __future__ import annotations

import re
from datetime import date

from wtforms import StringField
from wtforms.validators import StopValidation

from caseflow.core.i18n import _

DMY = re.compile(r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})\s*$")
ISO = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})\s*$")  # the API's and old bookmarks' form, still read
#: the browser's check before sending; the server parses again
PATTERN = r"\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2}"


def parse_date(text: str) -> date | None:
    """dd/mm/yyyy (or yyyy-mm-dd) as a date; None for empty text; ValueError for anything else."""
    text = (text or "").strip()
    if not text:
        return None
    match = DMY.match(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
    else:
        match = ISO.match(text)
        if not match:
            raise ValueError(text)
        year, month, day = (int(g) for g in match.groups())
    return date(year, month, day)  # ValueError on 31/02/2026


def bad_date_message() -> str:
    return _("Not a valid date: type day/month/year, e.g. 25/12/2026.")


def date_render_kw(extra: dict | None = None) -> dict:
    return {"type": "text", "inputmode": "numeric", "placeholder": _("dd/mm/yyyy"), "pattern": PATTERN,
            "autocomplete": "off", "data-date": "dmy", "maxlength": "10", **(extra or {})}


class VnDateField(StringField):
    """A date typed dd/mm/yyyy; `.data` is a date (or None); shown back as dd/mm/yyyy, or as typed when invalid."""

    def __init__(self, label=None, validators=None, render_kw=None, **kwargs):
        super().__init__(label, validators, render_kw=date_render_kw(render_kw), **kwargs)
        self._typed: str | None = None

    def process_formdata(self, valuelist):
        self._typed = valuelist[0] if valuelist else ""
        try:
            self.data = parse_date(self._typed)
        except ValueError:
            self.data = None
            raise ValueError(bad_date_message()) from None

    def pre_validate(self, form):
        # a date that cannot be read stops the chain: its one message (already among the errors), not
        # "required" as well
        if self.process_errors:
            raise StopValidation()

    def _value(self):
        if self._typed is not None and self.data is None:
            return self._typed
        return self.data.strftime("%d/%m/%Y") if isinstance(self.data, date) else ""


def date_attrs():
    """The same attributes for a date input written by hand in a template (a filter form, a table row)."""
    from markupsafe import Markup, escape

    return Markup(" ".join(f'{k}="{escape(v)}"' for k, v in date_render_kw().items() if k != "type"))


def received_label(case) -> str:
    """What a case's date is called on its page: "Ngày tiếp nhận" for what is received (a letter, a request),
    the workflow's own `received_label` where that does not fit (a document drafted, a founding begun)."""
    from caseflow.core.engine import get_registry
    from caseflow.core.i18n import label

    own = get_registry().get(case.workflow, case.workflow_version).extra.get("received_label")
    return label(own) if own else _("Received")


def register(app) -> None:
    app.jinja_env.globals.update(date_attrs=date_attrs, received_label=received_label)
