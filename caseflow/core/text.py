"""Vietnamese text helpers: NFC storage, diacritic-free search keys, a Vietnamese sort key."""
import unicodedata

_ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
_ORDER = {ch: i for i, ch in enumerate(_ALPHABET)}
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}  # huyền hỏi ngã sắc nặng


def nfc(text: str | None) -> str:
    return unicodedata.normalize("NFC", text or "").strip()


def fold(text: str | None) -> str:
    """Lower case without diacritics: "Nguyễn Đức" -> "nguyen duc" (search ignores diacritics)."""
    decomposed = unicodedata.normalize("NFD", (text or "").lower())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.replace("đ", "d")


def vi_sort_key(text: str | None) -> tuple:
    """Sort in Vietnamese alphabetical order (Python's default puts Đ and Â after Z)."""
    key, tones = [], []
    for ch in unicodedata.normalize("NFD", (text or "").lower()):
        if ch in _TONES:
            tones.append(_TONES[ch])
            continue
        if unicodedata.combining(ch):
            # breve/circumflex/horn change the letter itself: re-compose with the previous base
            if key and isinstance(key[-1], str):
                combined = unicodedata.normalize("NFC", key[-1] + ch)
                key[-1] = combined
            continue
        key.append(ch)
    return tuple((_ORDER.get(c, 100 + ord(c[0])) if isinstance(c, str) else c) for c in key), tuple(tones)
