"""Signals that features connect to in their `setup(app)` (blinker), so the core never imports a feature."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from blinker import Namespace

from caseflow.core.i18n import _l

_signals = Namespace()

#: sender: the app. Each receiver returns the MenuItems its feature adds to the navigation bar.
menu_items = _signals.signal("menu-items")


@dataclass(frozen=True)
class MenuGroup:
    """A menu of the navigation bar: the pages of one user group."""

    key: str
    #: a lazy string, translated when the menu is drawn
    label: Any
    #: place in the bar (links of their own sit at LINK_ORDER; administration last)
    order: int


#: where an entry of no group sits among the menus
LINK_ORDER = 50
ADMINISTRATION = MenuGroup("admin", _l("Administration"), 90)


@dataclass(frozen=True)
class MenuItem:
    endpoint: str
    #: the label, translated when the menu is drawn
    label: Callable[[], str]
    #: whether `user` sees the entry
    visible: Callable[[Any], bool]
    #: the menu it sits in; None: a link of its own
    group: MenuGroup | None = None


def connect_menu(app: Any, items: list[MenuItem]) -> None:
    """A feature's menu entries, for this app only."""
    menu_items.connect(lambda _sender: items, sender=app, weak=False)


def menu_of(app: Any) -> list[MenuItem]:
    return [item for _receiver, items in menu_items.send(app) for item in items]
