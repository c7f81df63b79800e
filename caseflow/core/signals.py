"""Signals that features connect to in their `setup(app)` (blinker), so the core never imports a feature."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from blinker import Namespace

_signals = Namespace()

#: sender: the app. Each receiver returns the MenuItems its feature adds to the navigation bar.
menu_items = _signals.signal("menu-items")


@dataclass(frozen=True)
class MenuItem:
    endpoint: str
    #: the label, translated when the menu is drawn
    label: Callable[[], str]
    #: whether `user` sees the entry
    visible: Callable[[Any], bool]


def connect_menu(app: Any, items: list[MenuItem]) -> None:
    """A feature's menu entries, for this app only."""
    menu_items.connect(lambda _sender: items, sender=app, weak=False)


def menu_of(app: Any) -> list[MenuItem]:
    return [item for _receiver, items in menu_items.send(app) for item in items]
