"""One loader for the project's YAML data (workflows, the deadline catalogue, document types): libyaml's safe
loader when installed (several times faster than the pure-Python one), and a parse error that names the file.

Parsed data is also kept, once a cache folder is set (`use_cache`; create_app sets `<instance>/cache/yaml`), as
a pickle per source file keyed by the file's size and modification time: every process after the first (each
CLI command, each gunicorn worker) reads the pickle instead of parsing again. The cache lives in the instance
folder, beside the secret and audit keys: whoever can write there already controls the app, so unpickling it
trusts nothing new. Any problem with the cache (missing, stale, unreadable, unwritable) falls back to parsing."""
from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path
from typing import Any

import yaml

from caseflow.core.engine.errors import DefinitionError

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
#: bump when what is cached changes shape (the loader, PyYAML's types)
_CACHE_FORMAT = f"1-{yaml.__version__}-{_Loader.__name__}"
_cache_dir: Path | None = None


def use_cache(directory: str | Path | None) -> None:
    """Keep parsed files under `directory` from now on (None: parse every time)."""
    global _cache_dir
    _cache_dir = Path(directory) if directory else None


def _cache_file(path: Path) -> Path | None:
    if _cache_dir is None:
        return None
    return _cache_dir / (hashlib.sha1(str(path.resolve()).encode()).hexdigest() + ".pickle")


def read_yaml(path: Path) -> Any:
    """The file's data (OSError, yaml.YAMLError as they come: the caller names them in its own terms)."""
    cache = _cache_file(path)
    if cache is None:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    stat = path.stat()
    key = (_CACHE_FORMAT, stat.st_size, stat.st_mtime_ns)
    try:
        with cache.open("rb") as f:
            saved_key, data = pickle.load(f)
    except Exception:  # noqa: BLE001 - a cache that cannot be read is a cache miss, never an error
        saved_key = None
    if saved_key == key:
        return data
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        partial = cache.with_suffix(f".{os.getpid()}.tmp")
        with partial.open("wb") as f:
            pickle.dump((key, data), f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, cache)  # atomic: a worker starting beside this one reads the old or the new file
    except OSError:
        pass
    return data


def load_yaml(path: Path) -> Any:
    """The file's data; DefinitionError(file, "<yaml>", problem) when it is not valid YAML."""
    try:
        return read_yaml(path)
    except yaml.YAMLError as exc:
        raise DefinitionError(path.name, "<yaml>", str(exc)) from exc
