"""One loader for the project's YAML data (workflows, the deadline catalogue, document types): libyaml's safe
loader when installed (several times faster than the pure-Python one), and a parse error that names the file."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from caseflow.core.engine.errors import DefinitionError

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path: Path) -> Any:
    """The file's data (OSError, yaml.YAMLError as they come: the caller names them in its own terms)."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)


def load_yaml(path: Path) -> Any:
    """The file's data; DefinitionError(file, "<yaml>", problem) when it is not valid YAML."""
    try:
        return read_yaml(path)
    except yaml.YAMLError as exc:
        raise DefinitionError(path.name, "<yaml>", str(exc)) from exc
