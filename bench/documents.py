"""Benchmark of document rendering (issue 5).

1. Overhead: one two-page decision (a complaint decision from the project's sample data, its text doubled)
   rendered through caseflow (sandboxed Jinja + WeasyPrint with the cached fonts, allow-list fetcher, fonts
   embedded) against the same HTML through bare WeasyPrint (`HTML(string=...).write_pdf()`, its defaults), in
   the same process, runs interleaved; median of each. Target: overhead_ratio <= 1.15.
2. Throughput: a batch of 200 documents of every type (sample data, numbered 1..200) rendered to files
   sequentially (processes=1) and on 2 processes (this one and a spawn-started worker: its start-up
   included), alternated, best of --repeat runs each. Target: batch_speedup >= 1.7 on 2 otherwise idle cores;
   the CPU seconds printed beside show how much of a shortfall is the machine being shared.
The last line is {"overhead_ratio": ..., "batch_speedup": ...}.
Usage: .venv/bin/python bench/documents.py [--runs N] [--batch N] [--repeat N] [--profile] [--quick]
(--quick: 5 runs, a batch of 60, once: a smoke run, its speedup held down by the worker's start-up)."""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from caseflow.documents import document_types, render_html, render_pdf, render_to_files, sample_data

DECISION = "quyet_dinh_giai_quyet_khieu_nai"


def two_page_decision() -> dict:
    data = sample_data(DECISION)
    fields = data["fields"]
    for name in ("complaint_content", "verification_result", "conclusion"):
        fields[name] = [fields[name], fields[name]]
    return data


def page_count(pdf: bytes) -> int:
    import io

    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def overhead(runs: int) -> dict:
    from weasyprint import HTML

    data = two_page_decision()
    html = render_html(DECISION, data)
    ours = render_pdf(DECISION, data)  # warm: fonts loaded, templates compiled
    bare = HTML(string=html).write_pdf()
    caseflow_s, bare_s = [], []
    for _ in range(runs):
        start = time.perf_counter()
        render_pdf(DECISION, data)
        caseflow_s.append(time.perf_counter() - start)
        start = time.perf_counter()
        HTML(string=html).write_pdf()
        bare_s.append(time.perf_counter() - start)
    return {"pages": page_count(ours), "bare_pages": page_count(bare), "caseflow_ms": statistics.median(caseflow_s)
            * 1000, "bare_ms": statistics.median(bare_s) * 1000,
            "ratio": statistics.median(caseflow_s) / statistics.median(bare_s)}


def batch_jobs(n: int, folder: Path) -> list:
    keys = sorted(document_types())
    jobs = []
    for i in range(n):
        key = keys[i % len(keys)]
        jobs.append((key, sample_data(key) | {"number": i + 1}, str(folder / f"{i:04d}-{key}.pdf")))
    return jobs


def cpu_seconds() -> float:
    """User + system CPU of this process and of its reaped children (the pool's worker)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed_batch(n: int, processes: int, folder: Path) -> tuple[float, float, list[str]]:
    cpu, start = cpu_seconds(), time.perf_counter()
    digests = render_to_files(batch_jobs(n, folder), processes=processes)
    return time.perf_counter() - start, cpu_seconds() - cpu, digests


def batch(n: int, repeat: int) -> dict:
    """Sequential and 2-process runs alternated `repeat` times; the best wall time of each (the machine is
    shared: the best run is the one least disturbed by other work)."""
    seq, par = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(repeat):
            seq.append(timed_batch(n, 1, Path(tmp) / f"seq{i}"))
            par.append(timed_batch(n, 2, Path(tmp) / f"par{i}"))
            assert seq[-1][2] == par[-1][2], "the pool must write the same bytes as one process"
    seq_s, seq_cpu, _ = min(seq)
    par_s, par_cpu, _ = min(par)
    return {"sequential_s": seq_s, "parallel_s": par_s, "speedup": seq_s / par_s, "seq_cpu_s": seq_cpu,
            "par_cpu_s": par_cpu, "docs_per_s_seq": n / seq_s, "docs_per_s_par": n / par_s}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, help="renders of each kind for the overhead (15; --quick: 5)")
    parser.add_argument("--batch", type=int, help="documents in the batch (200; --quick: 60)")
    parser.add_argument("--repeat", type=int, help="batch runs of each kind; the best is kept (2; --quick: 1)")
    parser.add_argument("--profile", action="store_true", help="pyinstrument profile of 20 caseflow renders")
    parser.add_argument("--quick", action="store_true", help="small sizes (a smoke run: figures are rough)")
    args = parser.parse_args()
    for name, full, quick in (("runs", 15, 5), ("batch", 200, 60), ("repeat", 2, 1)):
        if getattr(args, name) is None:
            setattr(args, name, quick if args.quick else full)
    print(f"load average before: {os.getloadavg()}")
    if args.profile:
        from pyinstrument import Profiler

        data = two_page_decision()
        render_pdf(DECISION, data)
        with Profiler() as profiler:
            for _ in range(20):
                render_pdf(DECISION, data)
        print(profiler.output_text(unicode=True, show_all=False))
    o = overhead(args.runs)
    print(f"two-page decision ({o['pages']} pages; bare {o['bare_pages']}): caseflow {o['caseflow_ms']:.0f} ms, "
          f"bare WeasyPrint {o['bare_ms']:.0f} ms (median of {args.runs}) -> overhead {o['ratio']:.2f}x")
    b = batch(args.batch, args.repeat)
    print(f"batch of {args.batch} (best of {args.repeat}): sequential {b['sequential_s']:.1f} s "
          f"({b['docs_per_s_seq']:.1f}/s, {b['seq_cpu_s']:.1f} s CPU), 2 processes {b['parallel_s']:.1f} s "
          f"({b['docs_per_s_par']:.1f}/s, {b['par_cpu_s']:.1f} s CPU) -> speedup {b['speedup']:.2f}x")
    print(f"load average after: {os.getloadavg()}")
    print(json.dumps({"overhead_ratio": round(o["ratio"], 3), "batch_speedup": round(b["speedup"], 3)}))


if __name__ == "__main__":
    main()
