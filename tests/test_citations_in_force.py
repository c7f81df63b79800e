"""Citations name the texts in force: the Luật Công đoàn 2024 (50/2024/QH15, in force 01/07/2025) and the
Điều lệ Công đoàn Việt Nam khóa XIII (2023, implemented by HD 38/HD-TLĐ 2024), not the texts they replaced
(DOMAIN.md section 0). Every `basis:` of every definition is listed and checked, then every rule as the
engine resolves it (catalogue `ref:` included), then the text of labels, document templates and translations."""
import re
from pathlib import Path

import pytest

from caseflow.core.yamlfile import load_yaml
from caseflow.deadlines.rules import catalogue
from caseflow.deadlines.service import rules_of

ROOT = Path(__file__).resolve().parent.parent
#: superseded text -> the text in force
SUPERSEDED = {
    r"Luật Công đoàn (năm )?2012|10/2012/QH13": "Luật Công đoàn 2024 (50/2024/QH15)",
    r"Điều lệ[^;.\n]*(khóa|khoá|khoa) (XI|XII)\b|Điều lệ[^;.\n]*\b(2013|2018)\b": "Điều lệ Công đoàn Việt Nam khóa XIII (2023)",
    r"03/HD-TLĐ": "HD 38/HD-TLĐ (2024)",
    r"07/2014/TT-TTCP": "Thông tư 05/2021/TT-TTCP",
    r"110/2004/NĐ-CP": "Nghị định 30/2020/NĐ-CP",
}
DEFINITIONS = [*sorted((ROOT / "workflows").rglob("*.yaml")), ROOT / "caseflow" / "deadlines" / "catalogue.yaml",
               ROOT / "templates" / "documents" / "pdf" / "types.yaml"]


def superseded(text: str) -> list[str]:
    return [f"{found.group(0)!r} (in force: {now})" for pattern, now in SUPERSEDED.items()
            for found in [re.search(pattern, text)] if found]


def _strings(node, path=""):
    """(path, key, text) of every string in a parsed YAML document."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _strings(value, f"{path}.{key}" if path else str(key))
            if isinstance(value, str):
                yield f"{path}.{key}" if path else str(key), str(key), value
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _strings(value, f"{path}[{i}]")


def _bases() -> list[tuple[str, str]]:
    return [(f"{file.relative_to(ROOT)}: {where}", text) for file in DEFINITIONS
            for where, key, text in _strings(load_yaml(file)) if key == "basis"]


def test_the_check_recognises_what_it_must_refuse():
    assert superseded("Điều lệ Công đoàn Việt Nam (khóa XI, 2013), Điều 15")
    assert superseded("Căn cứ Luật Công đoàn năm 2012;") and superseded("HD 03/HD-TLĐ (2020)")
    assert not superseded("Điều lệ Công đoàn Việt Nam khóa XIII (2023); HD 38/HD-TLĐ (2024) §3")
    assert not superseded("Luật Công đoàn 2024; Luật Khiếu nại 2011, Điều 9")


def test_every_basis_in_the_definitions_cites_a_text_in_force():
    bases = _bases()
    assert len(bases) > 100  # every workflow, the catalogue and the document types were read
    assert [f"{where}: {problem}" for where, text in bases for problem in superseded(text)] == []


def test_every_deadline_rule_of_every_workflow_resolves_to_a_basis_in_force(app):
    from caseflow.core import engine

    with app.app_context():
        rules = [(d.name, rule) for d in engine.get_registry() for rule in rules_of(d).values()]
    assert len(rules) >= 25
    assert [(name, r.key, r.basis) for name, r in rules if not r.basis.strip() or superseded(r.basis)] == []
    for spec in catalogue().values():
        for variant in (spec.get("variants") or {}).values():
            assert not superseded(str(variant.get("basis", "")))


@pytest.mark.parametrize("pattern", ["*.html", "*.po", "*.yaml", "*.py"])
def test_labels_documents_and_translations_cite_texts_in_force(pattern):
    """YAML comments may tell the history (they are not read here); what a user or a reader of the code reads may not."""
    found = []
    for file in [*ROOT.joinpath("templates").rglob(pattern), *ROOT.joinpath("caseflow").rglob(pattern),
                 *ROOT.joinpath("workflows").rglob(pattern)]:
        if pattern == "*.yaml":
            texts = [text for _where, _key, text in _strings(load_yaml(file))]
        else:
            texts = file.read_text(encoding="utf-8").splitlines()
        found += [f"{file.relative_to(ROOT)}: {problem}" for text in texts for problem in superseded(text)]
    assert found == []
