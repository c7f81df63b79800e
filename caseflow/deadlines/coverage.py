"""`caseflow workflows check` rules over the catalogue: every deadline the law sets is opened by some
workflow (or marked `unused:` with the reason), and a workflow's rule agrees with the catalogue entry it
reuses on the certainty label (DOMAIN.md's [V]/[R]/[U])."""
from __future__ import annotations

from caseflow.deadlines.rules import catalogue


def _refs(definitions) -> dict[str, list[tuple[str, str, dict]]]:
    """catalogue key -> [(workflow file, rule key, rule as written)] of the rules reusing it."""
    found: dict[str, list[tuple[str, str, dict]]] = {}
    for definition in definitions:
        for key, spec in (definition.extra.get("deadlines") or {}).items():
            if isinstance(spec, dict) and spec.get("ref"):
                found.setdefault(spec["ref"], []).append((definition.source_file, key, spec))
    return found


def catalogue_problems(definitions) -> list[str]:
    refs = _refs(definitions)
    problems = []
    for key, entry in catalogue().items():
        if key not in refs and not str(entry.get("unused") or "").strip():
            problems.append(f"catalogue.yaml: {key}: no workflow opens this deadline "
                            "(wire it with `ref:` in the step's rule, or mark it `unused: <reason>`)")
        for file, rule_key, spec in refs.get(key, []):
            certainty = spec.get("certainty", entry.get("certainty", "V"))
            if certainty != entry.get("certainty", "V"):
                problems.append(f"{file}: deadlines.{rule_key}.certainty: {certainty} here, "
                                f"{entry.get('certainty', 'V')} in the catalogue ({key})")
    return problems
