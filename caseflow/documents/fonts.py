"""The PDF fonts: Liberation Serif (Times New Roman metrics, full Vietnamese: Debian fonts-liberation2) with
Noto Serif as fallback (fonts-noto-core). NĐ 30/2020 Phụ lục I asks for Times New Roman (Unicode, TCVN 6909:2001);
Liberation v1 (fonts-liberation) lacks Vietnamese tone marks and must not be used."""
from __future__ import annotations

import functools
import shutil
import subprocess
from pathlib import Path

from caseflow.documents.errors import FontsMissing

STYLES = {"Regular": ("normal", "normal"), "Bold": ("bold", "normal"),
          "Italic": ("normal", "italic"), "BoldItalic": ("bold", "italic")}
#: (CSS family, file stem, Debian directories to look in)
FAMILIES = (
    ("Liberation Serif", "LiberationSerif", ("/usr/share/fonts/truetype/liberation2",
                                             "/usr/share/fonts/truetype/liberation")),
    ("Noto Serif", "NotoSerif", ("/usr/share/fonts/truetype/noto", "/usr/share/fonts/noto")),
)
PRIMARY = "Liberation Serif"
#: URL prefix of the fonts, an internal scheme only the fetcher serves (a browser never resolves it)
FONT_PREFIX = "caseflow:font/"


def _fc_match(pattern: str) -> Path | None:
    """Ask fontconfig when the file is not at a known Debian path."""
    if not shutil.which("fc-match"):
        return None
    try:
        out = subprocess.run(["fc-match", "-f", "%{file}", pattern], capture_output=True, text=True,
                             timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    path = Path(out.stdout.strip()) if out.returncode == 0 and out.stdout.strip() else None
    return path if path and path.is_file() else None


def _has_vietnamese(path: Path) -> bool:
    """Liberation 1.x has no "ệ" (U+1EC7): such a file is not a PDF font for Vietnamese."""
    try:
        from fontTools.ttLib import TTFont
    except ImportError:  # fontTools comes with WeasyPrint; without it trust the path
        return True
    with TTFont(str(path), lazy=True) as font:
        return 0x1EC7 in font.getBestCmap()


@functools.cache
def font_files() -> dict[str, Path]:
    """URL name ("LiberationSerif-Bold.ttf") -> file, for every style of every family found.
    Raises FontsMissing when Liberation Serif (with Vietnamese glyphs) is not installed."""
    found: dict[str, Path] = {}
    for family, stem, dirs in FAMILIES:
        for style in STYLES:
            name = f"{stem}-{style}.ttf"
            path = next((Path(d) / name for d in dirs if (Path(d) / name).is_file()), None)
            if path is None:
                fc_style = {"Regular": "Regular", "Bold": "Bold", "Italic": "Italic", "BoldItalic": "Bold Italic"}
                candidate = _fc_match(f"{family}:style={fc_style[style]}")
                if candidate and candidate.name.replace(" ", "").startswith(stem):
                    path = candidate
            if path is not None:
                found[name] = path.resolve()
    regular = found.get("LiberationSerif-Regular.ttf")
    if regular is None or not _has_vietnamese(regular):
        raise FontsMissing("Liberation Serif with Vietnamese glyphs is not installed: install the Debian package "
                           "fonts-liberation2 (scripts/setup.sh does it); fonts-liberation v1 lacks Vietnamese")
    return found


def font_face_css(url_prefix: str) -> str:
    """@font-face rules for every font file found, their URLs under url_prefix (served by the fetcher)."""
    rules = []
    for family, stem, _dirs in FAMILIES:
        for style, (weight, slant) in STYLES.items():
            name = f"{stem}-{style}.ttf"
            if name in font_files():
                rules.append(f'@font-face {{ font-family: "{family}"; src: url("{url_prefix}{name}"); '
                             f"font-weight: {weight}; font-style: {slant}; }}")
    return "\n".join(rules)
