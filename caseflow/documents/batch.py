"""Render many PDFs on several cores. Only plain data crosses to the workers (no ORM object, no database
connection): they are started with "spawn", so nothing of the parent (sessions, pools, sockets) is inherited."""
from __future__ import annotations

import hashlib
import multiprocessing
import os
import tempfile
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Any

Job = tuple[str, Mapping[str, Any], str]


def write_atomic(path: str | os.PathLike, content: bytes) -> str:
    """Write to a temporary file beside the target, then rename: a reader never sees half a PDF."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(content)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return hashlib.sha256(content).hexdigest()


def render_job(job: Job) -> str:
    """Render one job and write its PDF; returns the SHA-256 hex of the bytes written."""
    from caseflow.documents.render import render_pdf

    type_key, data, output_path = job
    return write_atomic(output_path, render_pdf(type_key, data))


def _init_worker() -> None:
    from caseflow.documents.render import warm_up

    warm_up()


def _chunks(jobs: list[Job], size: int) -> Iterable[tuple[int, list[Job]]]:
    for start in range(0, len(jobs), size):
        yield start, jobs[start:start + size]


def _render_chunk(chunk: list[Job]) -> list[str]:
    return [render_job(job) for job in chunk]


def render_to_files(jobs: Iterable[Job], processes: int = 2,
                    progress: Callable[[int], None] | None = None) -> list[str]:
    """Render (type_key, data, output_path) jobs to PDF files; returns each file's SHA-256 hex, in job order.
    processes == 1 renders in this process; otherwise a spawn-started pool of that many workers. progress(n) is
    called with the number of jobs done so far as they finish. The first failure is raised (files already
    written stay)."""
    jobs = [(str(k), dict(d), str(p)) for k, d, p in jobs]
    digests: list[str] = [""] * len(jobs)
    done = 0
    if processes <= 1 or len(jobs) <= 1:
        for i, job in enumerate(jobs):
            digests[i] = render_job(job)
            done += 1
            if progress:
                progress(done)
        return digests
    # small chunks: few round trips, but the two workers still finish together
    size = max(1, min(8, len(jobs) // (processes * 4)))
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=processes, mp_context=context, initializer=_init_worker) as pool:
        futures = {pool.submit(_render_chunk, chunk): start for start, chunk in _chunks(jobs, size)}
        for future in as_completed(futures):
            start = futures[future]
            results = future.result()
            digests[start:start + len(results)] = results
            done += len(results)
            if progress:
                progress(done)
    return digests
