"""What features add to the home page ("Việc của tôi") and to the top bar, per app: each feature's setup
adds its sections (its own template and the query behind it) and badges; the home view only draws them."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, current_app

EXTENSION = "caseflow.home_page"


@dataclass(frozen=True)
class HomeSection:
    key: str
    #: the section's template, given `section` (this) and the context's variables
    template: str
    #: user -> the template's variables, or None when the section has nothing for this user
    context: Callable[[Any], dict | None]
    #: place on the page (lower first)
    order: int = 50


@dataclass(frozen=True)
class Badge:
    """A counter in the top bar on every page (e.g. unread notices)."""

    key: str
    #: user -> (count, link) or None when it does not apply
    count: Callable[[Any], tuple[int, str] | None]
    #: the accessible name, translated when drawn ("%(n)d unread notices")
    label: Callable[[int], str]
    #: the symbol shown: "bell" (drawn inline, no icon font or outside host) or a short text
    icon: str = "bell"


@dataclass
class HomePage:
    sections: list[HomeSection] = field(default_factory=list)
    badges: list[Badge] = field(default_factory=list)


def home_page(app: Flask | None = None) -> HomePage:
    app = app or current_app
    return app.extensions.setdefault(EXTENSION, HomePage())


def add_section(app: Flask, section: HomeSection) -> None:
    page = home_page(app)
    page.sections = sorted([s for s in page.sections if s.key != section.key] + [section], key=lambda s: s.order)


def add_badge(app: Flask, badge: Badge) -> None:
    page = home_page(app)
    page.badges = [b for b in page.badges if b.key != badge.key] + [badge]
