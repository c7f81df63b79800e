"""Packaging: setup.cfg holds the metadata; this file only ships the top-level data folders. `templates/`,
`workflows/` and `migrations/` stay at the top of the checkout (the project's layout) and are copied into the
wheel as `caseflow/_shipped/<name>`, where caseflow.resources finds them in an installed package."""
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
SHIPPED = ("templates", "workflows", "migrations")  # caseflow.resources.SHIPPED (not imported: no build deps)


class build_py_with_data(build_py):
    def run(self):
        super().run()
        if self.editable_mode:  # an editable install reads the checkout's folders directly
            return
        for name in SHIPPED:
            target = Path(self.build_lib) / "caseflow" / "_shipped" / name
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(HERE / name, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


setup(cmdclass={"build_py": build_py_with_data})
