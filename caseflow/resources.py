"""Where the app's data folders are: `templates/`, `workflows/` and `migrations/` sit at the top of a checkout
(the layout the project fixes) and are copied into the package as `caseflow/_shipped/<name>` when a wheel is
built (setup.py), so that an installed caseflow finds them without its source tree."""
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
#: the checkout's top level (beside the package); meaningless in an installed wheel
PROJECT_ROOT = PACKAGE_DIR.parent
#: the folders shipped as package data (setup.py copies exactly these)
SHIPPED = ("templates", "workflows", "migrations")


def resource_dir(name: str) -> Path:
    """The folder `name` (one of SHIPPED): the installed copy inside the package if there is one, else the
    checkout's (an editable install or a run from the source tree)."""
    if name not in SHIPPED:
        raise ValueError(f"not a shipped folder: {name}")
    installed = PACKAGE_DIR / "_shipped" / name
    return installed if installed.is_dir() else PROJECT_ROOT / name
