"""One bounded cache for what a request builds from inputs that rarely change (a user's visibility clause,
the navigation menus of a set of roles, past years' figures): kept per app, the key naming every input."""
from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

T = TypeVar("T")


def kept(cache: dict, key: Hashable, build: Callable[[], T], limit: int) -> T:
    """cache[key], built by build() the first time; once `limit` entries are kept, the oldest one goes."""
    if key in cache:
        return cache[key]
    value = build()
    if len(cache) >= limit:
        cache.pop(next(iter(cache)))
    cache[key] = value
    return value
