"""One loader for the project's YAML data (workflows, the deadline catalogue, document types): libyaml's safe
loader when installed (several times faster than the pure-Python one), and a parse error that names the file."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from caseflow.engine.errors import DefinitionError

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(path: Path) -> Any:
    """The file's data; DefinitionError(file, "<yaml>", problem) when it is not valid YAML."""
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except yaml.YAMLError as exc:
        raise DefinitionError(path.name, "<yaml>", str(exc)) from exc
