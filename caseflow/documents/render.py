"""Render a document type's template with plain data: sandboxed Jinja (autoescape on) -> standalone HTML ->
PDF with WeasyPrint. The fonts, their configuration and the font CSS are built once per process and reused."""
from __future__ import annotations

import atexit
import functools
import re
import shutil
import threading
import unicodedata
from collections.abc import Mapping
from typing import Any

from jinja2 import ChainableUndefined, FileSystemLoader, select_autoescape
from jinja2.sandbox import ImmutableSandboxedEnvironment

from caseflow.documents import vi_format
from caseflow.documents.fonts import FONT_PREFIX
from caseflow.documents.types import TEMPLATE_DIR, DocumentType, get_type

_HEADING = re.compile(r"^([IVXLC]+|[A-Z])\.\s")
#: words kept capitalised when a body's upper-case name is written inside a sentence
_PROPER = ("Liên đoàn Lao động", "Công đoàn", "Tổng Liên đoàn", "Việt Nam", "Ủy ban Kiểm tra", "Ban Chấp hành",
           "Ban Thường vụ", "Trung tâm Tư vấn pháp luật")

#: what a required field left empty prints as: a visible gap, so the draft cannot pass for complete
GAP = "…………………"


def nfc_deep(value: Any) -> Any:
    """Every string inside NFC (input may come NFD from macOS or old Vietnamese keyboards)."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, Mapping):
        return {nfc_deep(k): nfc_deep(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [nfc_deep(v) for v in value]
    return value


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, (str, list, tuple, dict)) and not value) or \
        (isinstance(value, str) and not value.strip())


def normalise_fields(fields: Mapping[str, Any] | None) -> dict[str, Any]:
    """A person given as a mapping under a prefix (as the union's context builders give `person`:
    {full_name, position, unit}) also fills `<prefix>_name`, `<prefix>_position`, `<prefix>_unit`."""
    out = dict(fields or {})
    for key, value in list(out.items()):
        if isinstance(value, Mapping):
            for sub, flat in (("full_name", "name"), ("position", "position"), ("unit", "unit")):
                if value.get(sub) and _empty(out.get(f"{key}_{flat}")):
                    out[f"{key}_{flat}"] = value[sub]
    return out


def missing_fields(type_key: str, data: Mapping[str, Any]) -> list[str]:
    """Names of the required fields left empty (they render as a visible gap; issuing should refuse them)."""
    fields = normalise_fields((data or {}).get("fields"))
    return [f.name for f in get_type(type_key).fields if f.required and _empty(fields.get(f.name))]


def paragraphs(value: Any) -> list[str]:
    """A textarea's paragraphs (one per non-blank line); a list stays a list."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [str(v).strip() for v in value if str(v).strip()]
    return [line.strip() for line in str(value).splitlines() if line.strip()]


_LEVEL = re.compile(r"\s(?=(TỈNH|THÀNH PHỐ|HUYỆN|QUẬN|THỊ XÃ|XÃ|PHƯỜNG|CÔNG TY|CÁC KHU)\s)")


def header_lines(name: Any, width: int = 28) -> list[str]:
    """A body's name in the header, on lines: explicit line breaks are kept; a long name is broken before its
    place ("LIÊN ĐOÀN LAO ĐỘNG" / "TỈNH BÌNH ĐỊNH") rather than wherever the column ends."""
    lines = [line.strip() for line in str(name or "").splitlines() if line.strip()]
    out = []
    for line in lines:
        match = _LEVEL.search(line) if len(line) > width else None
        if match and match.start() >= 8:
            out += [line[:match.start()].strip(), line[match.start():].strip()]
        else:
            out.append(line)
    return out


_SUBJECT_PREFIX = re.compile(r"^\s*(?:v\s*/\s*v\b|về\s+việc\b)[\s.:,-]*", re.IGNORECASE)


def subject(summary: Any) -> str:
    """A công văn's summary without the "V/v" or "Về việc" officers habitually type: the layout prints "V/v"
    itself (NĐ 30/2020, Phụ lục I, item 5b), so "V/v V/v ..." never appears."""
    text = str(summary or "")
    while (stripped := _SUBJECT_PREFIX.sub("", text, count=1)) != text:
        text = stripped
    return text.strip()


def signature_lines(sig: Mapping[str, Any]) -> list[str]:
    """The lines above the signature: "TM. BAN THƯỜNG VỤ" / "CHỦ TỊCH", "KT. CHỦ TỊCH" / "PHÓ CHỦ TỊCH",
    or "Q. CHỦ TỊCH" alone (NĐ 30, Phụ lục I, item 7)."""
    authority = (sig.get("authority") or "").strip()
    on_behalf = (sig.get("on_behalf_of") or "").strip()
    title = (sig.get("title") or "").strip()
    if authority and on_behalf:
        return [f"{authority} {on_behalf}", title] if title else [f"{authority} {on_behalf}"]
    if authority:
        return [f"{authority} {title}".strip()]
    return [title] if title else []


def context(doc_type: DocumentType, data: Mapping[str, Any] | None) -> dict[str, Any]:
    """The template's variables: the data (NFC, defaults of the type filled in) and the computed lines."""
    d = nfc_deep(dict(data or {}))
    defaults = doc_type.defaults
    signature = {**dict(defaults.get("signature") or {}), **(d.get("signature") or {})}
    fields = normalise_fields(d.get("fields"))
    for spec in doc_type.fields:
        value = fields.get(spec.name)
        if spec.kind == "list" and isinstance(value, str):  # a list typed into a textarea: one item per line
            fields[spec.name] = value = paragraphs(value)
        if _empty(value):
            if spec.required:
                fields[spec.name] = [GAP] if spec.kind == "list" else (None if spec.kind == "date" else GAP)
            else:
                fields[spec.name] = [] if spec.kind == "list" else (None if spec.kind == "date" else "")
    recipients = d.get("recipients")
    if recipients is None:
        recipients = list(defaults.get("recipients") or ())
    archive = d.get("archive") or defaults.get("archive") or "VT"
    issuer = d.get("issuer") or ""
    number = d.get("number")
    return {
        "doc": {"key": doc_type.key, "code": doc_type.code, "title": doc_type.title, "letter": doc_type.is_letter,
                "label": doc_type.label["vi"]},
        "d": d, "f": fields, "issuer": issuer, "superior": d.get("superior") or "",
        "number_line": vi_format.number_line(number, doc_type.code, d.get("issuer_code") or "",
                                             d.get("drafting_code")),
        "place_date": vi_format.vi_place_date(d.get("place") or "", d.get("date")),
        "summary": d.get("summary") or "",
        "signature": signature, "signature_lines": signature_lines(signature),
        "signer": signature.get("name") or "",
        "recipients": [str(r).strip() for r in recipients if str(r).strip()],
        "archive": str(archive).strip().rstrip("."),
        "secret": bool(d.get("secret")), "urgency": d.get("urgency") or "",
        "draft_mark": bool(d.get("draft")),
        "decider": d.get("decider") or _decider(signature, issuer),
        "issuer_name": d.get("issuer_name") or sentence_name(issuer),
    }


def sentence_name(upper: str) -> str:
    """A body's name as written inside a sentence: "LIÊN ĐOÀN LAO ĐỘNG TỈNH BÌNH ĐỊNH" -> "Liên đoàn Lao động tỉnh
    Bình Định" (a best effort: callers should pass data["issuer_name"] from the org tree)."""
    if not upper:
        return ""
    text = upper.lower()
    for proper in _PROPER:
        text = re.sub(re.escape(proper.lower()), proper, text)
    # the place after an administrative level word keeps its capitals ("tỉnh Bình Định", "huyện Tuy Phước")
    text = re.sub(r"\b(tỉnh|thành phố|huyện|quận|thị xã|xã|phường)\s+(.+)$",
                  lambda m: m.group(1) + " " + m.group(2).title(), text, count=1)
    return text[:1].upper() + text[1:]


def _decider(signature: Mapping[str, Any], issuer: str) -> str:
    """Who decides, printed above "Căn cứ ...": the collective ("BAN THƯỜNG VỤ LIÊN ĐOÀN LAO ĐỘNG TỈNH ...") or
    the head ("CHỦ TỊCH LIÊN ĐOÀN LAO ĐỘNG TỈNH ...")."""
    if signature.get("authority") == "TM." and signature.get("on_behalf_of"):
        who = signature["on_behalf_of"]
    else:
        who = signature.get("on_behalf_of") or signature.get("title") or ""
    return f"{who} {issuer}".strip().upper()


@functools.cache
def environment() -> ImmutableSandboxedEnvironment:
    """One sandboxed environment per process: templates compile once; data cannot reach Python internals."""
    env = ImmutableSandboxedEnvironment(
        loader=FileSystemLoader(str(TEMPLATE_DIR)), autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=ChainableUndefined, trim_blocks=True, lstrip_blocks=True, auto_reload=False)
    env.filters.update(
        date_words=vi_format.vi_date_words, short_date=vi_format.vi_short_date, money=vi_format.money,
        paragraphs=paragraphs, header_lines=header_lines, subject=subject)
    env.tests["heading"] = lambda s: bool(_HEADING.match(str(s or "")))
    env.globals.update(GAP=GAP)
    return env


def render_html(type_key: str, data: Mapping[str, Any] | None) -> str:
    """The document as one standalone HTML page (inline CSS, no outside reference): the browser preview, and
    the input of render_pdf."""
    doc_type = get_type(type_key)
    template = environment().get_template(doc_type.template)
    return template.render(context(doc_type, data))


# --- PDF -----------------------------------------------------------------------------------------------------
@functools.cache
def _pdf_resources() -> tuple[Any, Any, Any]:
    """FontConfiguration, the @font-face stylesheet and the fetcher, built once per process (loading the fonts
    is most of a cold render)."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    from caseflow.documents.fetcher import SafeFetcher
    from caseflow.documents.fonts import font_face_css

    fetcher = SafeFetcher()
    font_config = FontConfiguration()
    css = CSS(string=font_face_css(FONT_PREFIX), font_config=font_config, url_fetcher=fetcher)
    return font_config, css, fetcher


#: one PDF at a time per process: the shared FontConfiguration (Pango/fontconfig objects) is not meant to be used
#: by two threads at once, and rendering is CPU-bound under the GIL anyway; processes render in parallel (batch)
_pdf_lock = threading.Lock()


def html_to_pdf(html: str) -> bytes:
    """PDF bytes of caseflow's HTML, the fonts embedded (subset), every fetch through the allow-list."""
    from weasyprint import HTML

    with _pdf_lock:
        font_config, css, fetcher = _pdf_resources()
        document = HTML(string=html, base_url="caseflow:static/", url_fetcher=fetcher)
        return document.write_pdf(stylesheets=[css], font_config=font_config)


def render_pdf(type_key: str, data: Mapping[str, Any] | None) -> bytes:
    return html_to_pdf(render_html(type_key, data))


def warm_up() -> None:
    """Load the fonts now (a worker process calls it once before its first job)."""
    with _pdf_lock:
        _pdf_resources()


def release() -> None:
    """Drop the cached fonts and remove the temporary folder WeasyPrint copied them into (about 4 MB). Registered
    with atexit: FontConfiguration's own __del__ may only run during interpreter teardown, when shutil is already
    gone, and the folder would stay in /tmp."""
    with _pdf_lock:
        if _pdf_resources.cache_info().currsize:
            folder = getattr(_pdf_resources()[0], "_folder", None)
            _pdf_resources.cache_clear()
            if folder:
                shutil.rmtree(folder, ignore_errors=True)


atexit.register(release)


