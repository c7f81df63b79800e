"""Invalid deadline rules in a definition fail at load with an error naming the file and the item."""
import copy
from pathlib import Path

import pytest
import yaml

from caseflow.core.engine import current_engine
from caseflow.core.engine.definition import parse_definition
from caseflow.core.engine.errors import DefinitionError
from caseflow.core.engine.registry import Registry
from caseflow.deadlines.rules import catalogue, parse_rules

#: the app's hooks (guards, effects, validators) are those of its features
pytestmark = pytest.mark.usefixtures("ctx")

PROBE = Path(__file__).parent / "fixtures" / "workflows" / "deadline_probe.yaml"


def _load(mutate):
    raw = yaml.safe_load(PROBE.read_text(encoding="utf-8"))
    mutate(raw["deadlines"])
    hooks = current_engine().hooks
    definition = parse_definition(raw, "probe.yaml", hooks.guards, hooks.effects)
    Registry(hooks).add(definition)  # runs every validator


@pytest.mark.parametrize("mutate, item, words", [
    (lambda d: d["review"].update(days=-3), "deadlines.review.days", "negative"),
    (lambda d: d["review"].update(days="ten"), "deadlines.review.days", "whole number"),
    (lambda d: d["review"].update(unit="fortnights"), "deadlines.review.unit", "unknown unit 'fortnights'"),
    (lambda d: d["resolution"].update(pause_in=["frozen"]), "deadlines.resolution.pause_in",
     "unknown pause state 'frozen'"),
    (lambda d: d["review"].update(start_on=["acept"]), "deadlines.review.start_on", "unknown trigger 'acept'"),
    (lambda d: d["review"].update(met_on=["finish"]), "deadlines.review.met_on", "unknown trigger 'finish'"),
    (lambda d: d["review"].update(cancel_on=["nope"]), "deadlines.review.cancel_on", "unknown trigger 'nope'"),
    (lambda d: d["review"].update(start_on=[]), "deadlines.review.start_on", "at least one trigger"),
    (lambda d: d["review"].update(certainty="maybe"), "deadlines.review.certainty", "V, R or U"),
    (lambda d: d["review"].update(basis=""), "deadlines.review.basis", "legal basis"),
    (lambda d: d["review"].pop("basis"), "deadlines.review.basis", "missing"),
    (lambda d: d["review"].update(pause_on=["suspended"]), "deadlines.review.pause_on", "did you mean 'pause_in'"),
    (lambda d: d["review"].update(variants={"complex": {"days": -1}}), "deadlines.review.variants.complex.days",
     "negative"),
    (lambda d: d["review"].update(variants={"complex": {"colour": "red"}}),
     "deadlines.review.variants.complex.colour", "may change only"),
    (lambda d: d["resolution"].update(extendable={"times": 2, "days": 30, "on": "stretch"}),
     "deadlines.resolution.extendable.on", "unknown trigger 'stretch'"),
    (lambda d: d["resolution"].update(extendable={"times": -1, "days": 30, "on": "extend_resolution"}),
     "deadlines.resolution.extendable.times", "negative"),
    (lambda d: d["resolution"].update(ref="denunciation.nothing"), "deadlines.resolution.ref", "unknown catalogue"),
])
def test_invalid_rule_names_file_and_item(mutate, item, words):
    with pytest.raises(DefinitionError) as err:
        _load(mutate)
    assert err.value.file == "probe.yaml" and err.value.item == item, str(err.value)
    assert words in err.value.problem


def test_the_probe_and_every_shipped_workflow_are_valid():
    _load(lambda d: None)
    Registry.from_directory(Path(__file__).parent.parent / "workflows", current_engine().hooks)


def test_yaml_on_key_read_as_true_is_understood():
    raw = yaml.safe_load("r: {label: x, days: 30, unit: calendar, basis: b, start_on: [a], "
                         "extendable: {times: 1, days: 30, on: b}}")
    rules = parse_rules(raw, "f.yaml", {"a", "b"}, {"s": None})
    assert rules["r"].extendable.on == "b"


def test_every_catalogue_entry_cites_a_basis_and_a_certainty():
    for key, spec in catalogue().items():
        assert spec["basis"].strip() and spec["certainty"] in "VRU", key


def test_unknown_keys_far_from_the_contract_are_left_to_other_subsystems():
    raw = copy.deepcopy({"r": {"label": "x", "days": 3, "unit": "working", "basis": "b", "start_on": ["a"],
                               "documents": ["quyet_dinh_gia_han"]}})
    assert parse_rules(raw, "f.yaml", {"a"}, {})["r"].days == 3
