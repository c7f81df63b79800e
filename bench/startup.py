"""Start-up benchmark (issue 12): `caseflow --help` and `caseflow workflows check` against
`python -c "import flask, sqlalchemy"`, measured in the same run (target: each <= 2.5x).

Each command runs as a fresh process, interleaved with the others, in one instance folder (a first run, not
counted, compiles the catalogues and fills the caches as a deployed instance would have them); the figure is
the best wall time of each: the shared machine's noise only ever adds time.
Last line: {"help_ratio": ..., "check_ratio": ..., "baseline_s": ..., "help_s": ..., "check_s": ...}.
Usage: .venv/bin/python bench/startup.py [--quick] [--repeat N]"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = {
    "baseline": [sys.executable, "-c", "import flask, sqlalchemy"],
    "help": [sys.executable, "-c", "from caseflow.cli import main; main()", "--help"],
    "check": [sys.executable, "-c", "from caseflow.cli import main; main()", "workflows", "check"],
}


def _run(argv: list[str], env: dict) -> float:
    t0 = time.perf_counter()
    done = subprocess.run(argv, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    elapsed = time.perf_counter() - t0
    if done.returncode:
        raise SystemExit(f"{' '.join(argv[2:])} failed:\n{done.stderr.decode()}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (CI smoke run)")
    parser.add_argument("--repeat", type=int, help="runs of each command (default 7, quick 3)")
    args = parser.parse_args()
    repeat = args.repeat or (3 if args.quick else 7)
    with tempfile.TemporaryDirectory(prefix="cf-startup-") as instance:
        env = dict(os.environ, CASEFLOW_INSTANCE_PATH=instance, PYTHONPATH=str(ROOT),
                   CASEFLOW_DATABASE_URL=f"sqlite:///{instance}/bench.db")
        for argv in COMMANDS.values():
            _run(argv, env)  # warm-up: the OS file cache, the instance's compiled catalogues and caches
        best = {name: float("inf") for name in COMMANDS}
        for _ in range(repeat):
            for name, argv in COMMANDS.items():
                best[name] = min(best[name], _run(argv, env))
    for name in ("help", "check"):
        print(f"caseflow {' '.join(COMMANDS[name][3:])}: {best[name]:.3f} s = "
              f"{best[name] / best['baseline']:.2f}x `import flask, sqlalchemy` ({best['baseline']:.3f} s); "
              f"target <= 2.5x")
    print(json.dumps({"help_ratio": round(best["help"] / best["baseline"], 2),
                      "check_ratio": round(best["check"] / best["baseline"], 2),
                      "baseline_s": round(best["baseline"], 3), "help_s": round(best["help"], 3),
                      "check_s": round(best["check"], 3), "repeat": repeat}))


if __name__ == "__main__":
    main()
