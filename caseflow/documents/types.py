"""Document types: loaded once from templates/documents/pdf/types.yaml and validated (each error names the file and
the item), as immutable DocumentType objects."""
from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from caseflow.core.yamlfile import read_yaml
from caseflow.documents.errors import DocumentTypeError, UnknownDocumentType
from caseflow.resources import resource_dir

TEMPLATE_DIR = resource_dir("templates") / "documents" / "pdf"
TYPES_FILE = TEMPLATE_DIR / "types.yaml"

FIELD_KINDS = frozenset({"text", "textarea", "date", "money", "list"})
#: who issues a type by default; the caller gives the actual names (from the org tree, in force on the date)
ISSUER_BODIES = frozenset({"LĐLĐ", "UBKT", "TTTVPL", "unit"})
#: signing authority (NĐ 30, Art. 13 and Phụ lục I item 7): collective, deputy, acting, by order, delegated
AUTHORITIES = frozenset({"", "TM.", "KT.", "Q.", "TL.", "TUQ."})
_TYPE_KEYS = {"code", "title", "label", "template", "fields", "defaults", "issuer_body", "basis", "distribution"}
_FIELD_KEYS = {"name", "label", "kind", "required", "columns", "help"}


@dataclass(frozen=True)
class FieldSpec:
    #: key inside data["fields"]
    name: str
    #: {"vi": ..., "en": ...}
    label: Mapping[str, str]
    #: text | textarea (paragraphs, one per line) | date (ISO) | money (integer VND) | list
    kind: str
    required: bool = False
    #: a list of records (e.g. members: full name and position): the keys of each item with their labels;
    #: empty for a list of plain strings
    columns: tuple[tuple[str, Mapping[str, str]], ...] = ()


@dataclass(frozen=True)
class DocumentType:
    key: str
    #: type code of NĐ 30 Phụ lục III (QĐ, TB, BB, TTr, GUQ, PC, BC, KH, ...); None for a letter (công văn),
    #: whose symbol names the issuer and the drafting unit instead
    code: str | None
    #: printed in bold upper case above the summary ("QUYẾT ĐỊNH"); "" for a letter (công văn)
    title: str
    label: Mapping[str, str]
    #: file name in templates/documents/pdf/
    template: str
    fields: tuple[FieldSpec, ...]
    #: {"signature": {"authority", "on_behalf_of", "title"}, "recipients": [...], "archive": "VT, UBKT"}
    defaults: Mapping[str, Any]
    #: LĐLĐ (executive) | UBKT (inspection committee) | TTTVPL (legal-aid centre) | unit (the case's unit)
    issuer_body: str
    #: legal basis of the document's form or content, shown beside it in the app
    basis: str = ""
    #: "public" = meant for distribution (to the accused, the public): never carries a denouncer's identity
    distribution: str = "internal"
    field_map: Mapping[str, FieldSpec] = field(default_factory=dict, compare=False, repr=False)

    @property
    def is_letter(self) -> bool:
        """A công văn: no type name, the summary "V/v ..." under the number, "Kính gửi:" before the body."""
        return not self.title

    def field_spec(self, name: str) -> FieldSpec:
        return self.field_map[name]


_lock = threading.Lock()
_cache: dict[str, DocumentType] | None = None


def _err(path: Path, item: str, message: str) -> DocumentTypeError:
    return DocumentTypeError(f"{path.name}: {item}: {message}")


def _label(path: Path, item: str, raw: Any) -> Mapping[str, str]:
    if not isinstance(raw, dict) or not raw.get("vi"):
        raise _err(path, item, "missing vi label")
    return MappingProxyType({"vi": str(raw["vi"]), "en": str(raw.get("en") or raw["vi"])})


def _field(path: Path, item: str, raw: Any) -> FieldSpec:
    if not isinstance(raw, dict) or not raw.get("name"):
        raise _err(path, item, "a field needs a name")
    where = f"{item}.{raw['name']}"
    unknown = set(raw) - _FIELD_KEYS
    if unknown:
        raise _err(path, where, f"unknown keys {sorted(unknown)}")
    kind = raw.get("kind", "text")
    if kind not in FIELD_KINDS:
        raise _err(path, where, f"unknown field kind {kind!r} (one of {sorted(FIELD_KINDS)})")
    columns = []
    for col in raw.get("columns") or ():
        if kind != "list" or not isinstance(col, dict) or not col.get("name"):
            raise _err(path, where, "columns belong to a list field and each needs a name")
        columns.append((str(col["name"]), _label(path, f"{where}.{col['name']}", col.get("label"))))
    return FieldSpec(name=str(raw["name"]), label=_label(path, where, raw.get("label")), kind=kind,
                     required=bool(raw.get("required", False)), columns=tuple(columns))


def _type(path: Path, key: str, raw: Any, template_dir: Path) -> DocumentType:
    if not isinstance(raw, dict):
        raise _err(path, key, "a type is a mapping")
    unknown = set(raw) - _TYPE_KEYS
    if unknown:
        raise _err(path, key, f"unknown keys {sorted(unknown)}")
    template = raw.get("template") or f"{key}.html"
    if not (template_dir / template).is_file():
        raise _err(path, key, f"missing template {template} in {template_dir}")
    fields = tuple(_field(path, f"{key}.fields[{i}]", f) for i, f in enumerate(raw.get("fields") or ()))
    names = [f.name for f in fields]
    if len(set(names)) != len(names):
        raise _err(path, key, "duplicate field names")
    issuer_body = raw.get("issuer_body", "LĐLĐ")
    if issuer_body not in ISSUER_BODIES:
        raise _err(path, key, f"unknown issuer_body {issuer_body!r} (one of {sorted(ISSUER_BODIES)})")
    defaults = dict(raw.get("defaults") or {})
    signature = dict(defaults.get("signature") or {})
    if signature.get("authority", "") not in AUTHORITIES:
        raise _err(path, key, f"unknown signing authority {signature.get('authority')!r}")
    defaults["signature"] = MappingProxyType(signature)
    defaults["recipients"] = tuple(defaults.get("recipients") or ())
    defaults.setdefault("archive", "VT")
    distribution = raw.get("distribution", "internal")
    if distribution not in {"internal", "public", "party"}:
        raise _err(path, key, f"unknown distribution {distribution!r}")
    return DocumentType(
        key=key, code=raw.get("code") or None, title=str(raw.get("title") or ""),
        label=_label(path, key, raw.get("label")), template=template, fields=fields,
        defaults=MappingProxyType(defaults), issuer_body=issuer_body, basis=str(raw.get("basis") or ""),
        distribution=distribution, field_map=MappingProxyType({f.name: f for f in fields}))


def load_types(path: Path = TYPES_FILE) -> dict[str, DocumentType]:
    """Parse and validate a types file; templates are looked up beside it."""
    try:
        raw = read_yaml(path)
    except (OSError, yaml.YAMLError) as exc:
        raise DocumentTypeError(f"{path.name}: cannot read: {exc}") from exc
    if not isinstance(raw, dict) or not isinstance(raw.get("types"), dict):
        raise DocumentTypeError(f"{path.name}: expected a mapping with 'types'")
    return {str(key): _type(path, str(key), spec, path.parent) for key, spec in raw["types"].items()}


def document_types() -> dict[str, DocumentType]:
    """Every declared type, loaded once per process."""
    global _cache
    if _cache is None:
        with _lock:
            if _cache is None:
                _cache = load_types()
    return dict(_cache)


def get_type(key: str) -> DocumentType:
    try:
        return document_types()[key]
    except KeyError:
        raise UnknownDocumentType(key) from None
