"""A workflow drawn by Graphviz on the server, from the definition that runs it: states with their labels,
every transition with its action and the roles that may take it, final states doubled, the deadlines on the
states where their clock runs. Drawn once per (workflow, version, language, format) and kept per app; a case's
path is marked on the cached SVG by adding classes, never by drawing again."""
from __future__ import annotations

import re
import textwrap
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from flask import Flask, current_app

from caseflow.handbook.procedure import Procedure

if TYPE_CHECKING:  # imported where a diagram is drawn, not at start-up
    import graphviz

FORMATS = {"svg": "image/svg+xml", "png": "image/png", "pdf": "application/pdf"}
#: Times New Roman metrics with every Vietnamese tone mark (Debian's fonts-liberation2), as the documents use
FONT = "Liberation Serif"
EXTENSION = "caseflow.diagrams"


def state_id(name: str) -> str:
    return f"st_{name}"


def edge_id(trigger: str, source: str) -> str:
    return f"tr_{trigger}__{source}"


#: characters per line of a label: long names wrap instead of stretching the drawing
WRAP = 30


def _wrap(text: str, width: int = WRAP) -> list[str]:
    return textwrap.wrap(text, width, break_long_words=False) or [text]


#: the heading of the box of steps open in every state
EVERYWHERE = {"vi": "Ở mọi bước chưa kết thúc:", "en": "In every open step:"}


def everywhere(procedure: Procedure) -> list:
    """Internal steps open in every non-final state (e.g. a conflict of interest declared): drawn once, apart."""
    open_states = {s.name for s in procedure.states if not s.final}
    return [s for s in procedure.steps if s.internal and open_states <= set(s.sources)]


def dot_source(procedure: Procedure) -> graphviz.Digraph:
    """The graph of one procedure (labels already in the procedure's language). Steps that move the case are
    edges; steps inside a state (an audited act that moves nothing) are listed in that state's box."""
    import graphviz

    g = graphviz.Digraph(procedure.name, graph_attr={"rankdir": "TB", "fontname": FONT, "nodesep": "0.3",
                                                     "ranksep": "0.4", "bgcolor": "transparent"},
                         node_attr={"fontname": FONT, "fontsize": "11", "shape": "box", "style": "rounded,filled",
                                    "fillcolor": "#ffffff", "color": "#495057", "margin": "0.12,0.06"},
                         edge_attr={"fontname": FONT, "fontsize": "9", "color": "#6c757d", "fontcolor": "#343a40"})
    g.node("start", "", shape="circle", width="0.18", style="filled", fillcolor="#212529", id="start")
    apart = everywhere(procedure)
    inside: dict[str, list[str]] = {}
    for step in procedure.steps:
        if step.internal and step not in apart:
            for source in step.sources:
                inside.setdefault(source, []).extend(_wrap(f"↻ {step.label} ({', '.join(step.roles)})", 44))
    for state in procedure.states:
        lines = _wrap(state.label) + [line for c in state.clocks for line in _wrap(f"⏱ {c}", 44)]
        lines += inside.get(state.name, [])
        g.node(state_id(state.name), "\n".join(lines), id=state_id(state.name),
               peripheries="2" if state.final else "1", fillcolor="#f1f3f5" if state.final else "#ffffff",
               **{"class": "state final" if state.final else "state"})
    g.edge("start", state_id(procedure.initial), id="tr_start")
    for step in procedure.steps:
        if step.internal:
            continue
        text = "\n".join(_wrap(step.label) + _wrap(f"({', '.join(step.roles)})"))
        for source in step.sources:
            g.edge(state_id(source), state_id(step.dest), text, id=edge_id(step.trigger, source), **{"class": "step"})
    if apart:
        lines = [EVERYWHERE.get(procedure.lang, EVERYWHERE["vi"])]
        lines += [line for s in apart for line in _wrap(f"↻ {s.label} ({', '.join(s.roles)})", 44)]
        g.node("everywhere", "\n".join(lines), id="everywhere", shape="note", style="filled", fillcolor="#fff8e1")
    return g


def draw(procedure: Procedure, fmt: str) -> bytes:
    if fmt not in FORMATS:
        raise ValueError(f"unknown diagram format {fmt!r} (svg, png or pdf)")
    return dot_source(procedure).pipe(format=fmt, engine="dot")


@dataclass
class DiagramCache:
    """Drawn diagrams of one app: (workflow, version, language, format) -> bytes."""

    drawn: dict[tuple[str, int, str, str], bytes]
    lock: threading.Lock
    #: the SVGs as page elements, made once too
    inlined: dict[tuple[str, int, str], str] = field(default_factory=dict)

    def get(self, procedure: Procedure, fmt: str) -> bytes:
        key = (procedure.name, procedure.version, procedure.lang, fmt)
        found = self.drawn.get(key)
        if found is None:
            with self.lock:  # two requests for a new diagram draw it once
                found = self.drawn.get(key)
                if found is None:
                    found = self.drawn[key] = draw(procedure, fmt)
        return found


    def inline(self, procedure: Procedure) -> str:
        key = (procedure.name, procedure.version, procedure.lang)
        found = self.inlined.get(key)
        if found is None:
            found = self.inlined[key] = inline_svg(self.get(procedure, "svg"))
        return found


def diagram_cache(app: Flask | None = None) -> DiagramCache:
    app = app or current_app
    return app.extensions.setdefault(EXTENSION, DiagramCache({}, threading.Lock()))


_PROLOG = re.compile(r"\A.*?(?=<svg)", re.DOTALL)
_TITLE = re.compile(r"<title>[^<]*</title>")
_SIZE = re.compile(r'\s(width|height)="[^"]*"')


def inline_svg(svg: bytes) -> str:
    """The SVG as an element of a page: no XML prolog or doctype, scaled to its container by its viewBox."""
    # graphviz titles every node and edge with its id ("st_received", "st_a->st_b"): a browser shows them as
    # tooltips and a screen reader reads them out, so the page drops them (the labels say the same in words)
    text = _TITLE.sub("", _PROLOG.sub("", svg.decode("utf-8"), count=1))
    end = text.index(">") + 1  # only the <svg ...> tag loses its fixed size
    return _SIZE.sub("", text[:end]).replace("<svg", '<svg class="cf-diagram" role="img"', 1) + text[end:]


def mark_path(svg: str, passed: set[str], current: str | None, taken: set[tuple[str, str]]) -> str:
    """The inline SVG with the states a case passed through (class "passed"), its current state ("current")
    and the transitions it took ("taken") marked, for the page's stylesheet to colour."""
    def node(match: re.Match) -> str:
        name = match.group(1)
        extra = (" passed" if name in passed else "") + (" current" if name == current else "")
        return match.group(0).replace('class="', f'class="{extra.strip()} ', 1) if extra else match.group(0)

    def edge(match: re.Match) -> str:
        trigger, source = match.group(1), match.group(2)
        return match.group(0).replace('class="', 'class="taken ', 1) if (trigger, source) in taken else match.group(0)

    svg = re.sub(r'<g id="st_([a-z0-9_]+)" class="[^"]*"', node, svg)
    return re.sub(r'<g id="tr_([a-z0-9_]+?)__([a-z0-9_]+)" class="[^"]*"', edge, svg)
