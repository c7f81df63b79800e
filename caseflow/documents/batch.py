"""Render many PDFs on several cores. Only plain data crosses to the workers (no ORM object, no database
connection): they are started with "spawn", so nothing of the parent (sessions, pools, sockets) is inherited."""
from __future__ import annotations

import hashlib
import multiprocessing
import os
import tempfile
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
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
    # a spawn-started worker leaves through sys.exit: render.release (atexit) removes its font folder too
    from caseflow.documents.render import warm_up

    warm_up()


def render_to_files(jobs: Iterable[Job], processes: int = 2,
                    progress: Callable[[int], None] | None = None) -> list[str]:
    """Render (type_key, data, output_path) jobs to PDF files; returns each file's SHA-256 hex, in job order.

    `processes` counts every process that renders, this one included: with 2, one spawn-started worker renders
    beside this process, both drawing jobs from the same queue (so this process works while the worker starts
    and loads its fonts, instead of waiting). processes == 1 renders here only. progress(n) is called with the
    number of jobs done so far as they finish. The first failure is raised (files already written stay)."""
    jobs = [(str(k), dict(d), str(p)) for k, d, p in jobs]
    digests: list[str] = [""] * len(jobs)
    done = 0

    def finished(index: int, digest: str) -> None:
        nonlocal done
        digests[index] = digest
        done += 1
        if progress:
            progress(done)

    if processes <= 1 or len(jobs) <= 1:
        for i, job in enumerate(jobs):
            finished(i, render_job(job))
        return digests
    workers = processes - 1
    queue = iter(range(len(jobs)))
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_init_worker) as pool:
        pending: dict[Future, int] = {}

        def feed() -> None:
            # three jobs in flight per worker: it never waits for us, and little is left queued at the end
            while len(pending) < 3 * workers:
                index = next(queue, None)
                if index is None:
                    return
                pending[pool.submit(render_job, jobs[index])] = index

        def collect(block: bool) -> None:
            ready = wait(pending, timeout=None if block else 0, return_when=FIRST_COMPLETED).done
            for future in ready:
                finished(pending.pop(future), future.result())

        feed()
        while True:
            index = next(queue, None)
            if index is None:
                break
            finished(index, render_job(jobs[index]))
            collect(block=False)
            feed()
        while pending:
            collect(block=True)
    return digests
