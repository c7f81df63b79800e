"""The data folders (templates, workflows, migrations) are found in a checkout and in an installed wheel;
setup.py ships exactly the folders caseflow.resources looks for. scripts/check-wheel.sh proves the wheel."""
import ast
from pathlib import Path

import pytest

from caseflow import resources


def test_a_checkout_reads_its_own_folders():
    for name in resources.SHIPPED:
        assert resources.resource_dir(name) == resources.PROJECT_ROOT / name
        assert resources.resource_dir(name).is_dir()


def test_an_installed_package_reads_its_shipped_copy(tmp_path, monkeypatch):
    (tmp_path / "_shipped" / "templates").mkdir(parents=True)
    monkeypatch.setattr(resources, "PACKAGE_DIR", tmp_path)
    assert resources.resource_dir("templates") == tmp_path / "_shipped" / "templates"
    assert resources.resource_dir("workflows") == resources.PROJECT_ROOT / "workflows"  # not shipped there: checkout


def test_only_the_shipped_folders():
    with pytest.raises(ValueError):
        resources.resource_dir("instance")


def test_setup_py_ships_the_same_folders():
    tree = ast.parse((Path(resources.PROJECT_ROOT) / "setup.py").read_text())
    [shipped] = [ast.literal_eval(node.value) for node in tree.body if isinstance(node, ast.Assign)
                 and any(getattr(t, "id", "") == "SHIPPED" for t in node.targets)]
    assert shipped == resources.SHIPPED
