"""Vietnamese-first i18n: labels from workflow files, and catalogues compiled from per-feature .po files.

Each feature keeps its own `caseflow/<feature>/translations/<locale>/<feature>.po` so that parallel work never
edits one shared catalogue; at start-up they are merged into one `messages.mo` in the instance folder."""
import hashlib
import os
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask.globals import _cv_app, _cv_request
from flask_babel import get_locale, gettext, lazy_gettext, ngettext

_ = gettext
_l = lazy_gettext
__all__ = ["_", "_l", "compile_catalogues", "current_language", "label", "ngettext"]

SOURCE_DIR = Path(__file__).resolve().parent / "translations"


def current_language() -> str:
    """The request's language. Called for every label a page shows (hundreds on a case page), so once
    Flask-Babel has chosen the request's locale it is read from its own per-request slot
    (g._flask_babel.babel_locale) instead of through get_locale()'s proxies; before that, and after a
    flask_babel.refresh() (which clears the slot), get_locale() decides as before."""
    if _cv_request.get(None) is None:
        return "vi"
    ns = getattr(_cv_app.get().g, "_flask_babel", None)
    locale = getattr(ns, "babel_locale", None) if ns is not None else None
    if locale is None:
        locale = get_locale()
    return locale.language if locale is not None else "vi"


def label(labels: dict | str | None, lang: str | None = None) -> str:
    """Pick the label of a workflow item for the current language, falling back to Vietnamese."""
    if labels is None:
        return ""
    if isinstance(labels, str):
        return labels
    lang = lang or current_language()
    return labels.get(lang) or labels.get("vi") or next(iter(labels.values()), "")


def _translation_roots() -> list[Path]:
    """The core's caseflow/core/translations/ and each feature's caseflow/<feature>/translations/."""
    features = SOURCE_DIR.parent.parent.glob("*/translations")  # caseflow/<feature>/translations
    return [SOURCE_DIR, *sorted(p for p in features if p != SOURCE_DIR)]


def catalogue_sources(locale: str) -> list[Path]:
    """Every .po file for `locale`, one per feature so that parallel work never collides."""
    return sorted(p for root in _translation_roots() for p in (root / locale).glob("*.po"))


def locales() -> list[str]:
    return sorted({d.name for root in _translation_roots() if root.is_dir() for d in root.iterdir() if d.is_dir()})


def load_catalogue(locale: str) -> Catalog:
    """Merge every feature's .po file for `locale` into one catalogue."""
    merged = Catalog(locale=locale)
    for po_path in catalogue_sources(locale):
        with po_path.open("rb") as fh:
            for message in read_po(fh, locale=locale):
                if message.id and message.string and not message.fuzzy:  # as write_mo: fuzzy is untranslated
                    merged[message.id] = message
    return merged


def _fingerprint(sources: list[Path]) -> str:
    """Of the sources' names and contents: a .po added, removed or edited (whatever its mtime) recompiles."""
    digest = hashlib.sha256()
    for path in sorted(sources):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def compile_catalogues(target_dir: Path) -> Path:
    """Compile the merged catalogues into target_dir/<locale>/LC_MESSAGES/messages.mo when stale."""
    for locale in locales():
        sources = catalogue_sources(locale)
        out = target_dir / locale / "LC_MESSAGES" / "messages.mo"
        stamp = out.with_suffix(".sha256")
        fingerprint = _fingerprint(sources)
        if out.exists() and stamp.exists() and stamp.read_text() == fingerprint:
            continue
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as fh:
            write_mo(fh, load_catalogue(locale))
        tmp.replace(out)  # atomic: several workers may start at once
        stamp_tmp = stamp.with_suffix(f".{os.getpid()}.tmp")
        stamp_tmp.write_text(fingerprint)
        stamp_tmp.replace(stamp)
    return target_dir
