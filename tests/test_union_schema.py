"""A union workflow's `settings:` and `dossier:` are checked by their schema at load, naming file and item."""
import copy

import pytest
import yaml

from caseflow import PROJECT_ROOT
from caseflow.core.engine.definition import parse_definition
from caseflow.core.engine.errors import DefinitionError
from caseflow.union.config import check_definition

RAW = yaml.safe_load(next(PROJECT_ROOT.joinpath("workflows").rglob("cdcs_founding.yaml")).read_text(encoding="utf-8"))


def _check(mutate):
    raw = copy.deepcopy(RAW)
    mutate(raw)
    check_definition(parse_definition(raw, "cdcs_founding.yaml"))


def _first_setting(raw):
    return next(iter(raw["settings"].values()))


def test_the_shipped_definition_passes():
    _check(lambda raw: None)


@pytest.mark.parametrize("mutate, item, words", [
    (lambda raw: _first_setting(raw).pop("value"), "settings.", "needs a value"),
    (lambda raw: _first_setting(raw).update(type="colour"), "settings.", "unknown type"),
    (lambda raw: _first_setting(raw).update(basis=""), "settings.", "legal basis"),
    (lambda raw: _first_setting(raw).update(certainty="maybe"), "settings.", "V|R|U"),
    (lambda raw: _first_setting(raw).update(vaule=3), "settings.", "unknown key 'vaule'"),
    (lambda raw: raw["dossier"][0].pop("key"), "dossier[0]", "needs a key"),
    (lambda raw: raw["dossier"][0]["label"].pop("en"), "dossier[0]", "vi and en labels"),
    (lambda raw: raw["dossier"].append(copy.deepcopy(raw["dossier"][0])), f"dossier[{len(RAW['dossier'])}]",
     "duplicate dossier item"),
])
def test_a_broken_setting_or_dossier_item_names_file_and_item(mutate, item, words):
    with pytest.raises(DefinitionError) as err:
        _check(mutate)
    assert err.value.file == "cdcs_founding.yaml" and err.value.item.startswith(item), str(err.value)
    assert words in err.value.problem, str(err.value)
