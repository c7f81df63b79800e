"""`caseflow documents render`: regenerate draft PDFs, or render a batch (say, all notices of a day) into a
folder, on several processes with a progress bar. Never touches an issued PDF of the register."""
from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from caseflow.cli_errors import fail as _fail
from caseflow.core.clock import local_today
from caseflow.extensions import db


@click.group("documents")
def documents_group():
    """Official documents: PDFs of drafts and batches."""


@documents_group.command("render")
@click.option("--drafts", is_flag=True, help="Regenerate the PDFs of documents still in draft (marked DỰ THẢO).")
@click.option("--date", "day", help="Only documents of that day (YYYY-MM-DD): issued then, or drafted then.")
@click.option("--type", "type_key", help="Only this document type (key of templates/documents/pdf/types.yaml).")
@click.option("--processes", default=2, show_default=True, type=int, help="Rendering processes.")
@click.option("--out", type=click.Path(file_okay=False), help="Batch folder (default: STORAGE_DIR/batches/<date>).")
@with_appcontext
def render_command(drafts: bool, day: str | None, type_key: str | None, processes: int, out: str | None):
    """Render documents' PDFs with both cores; prints one line per batch and exits non-zero on bad input."""
    from caseflow.core.models import Case
    from caseflow.documents import document_types, render_to_files
    from caseflow.documents.batch_job import batch_query, file_name
    from caseflow.documents.drafts import draft_path
    from caseflow.documents.models import DocumentDetail
    from caseflow.documents.register import render_data
    from caseflow.documents.storage import storage_dir

    try:
        on = date.fromisoformat(day) if day else None
    except ValueError:
        _fail(f"--date must be YYYY-MM-DD, not {day!r}", 2)
    if type_key and type_key not in document_types():
        _fail(f"unknown document type {type_key!r}", 2)
    if not 1 <= processes <= 16:
        _fail("--processes must be between 1 and 16", 2)
    if not drafts and on is None and not type_key:
        _fail("say which documents: --drafts, --date or --type", 2)
    rows = db.session.execute(batch_query(drafts, on, type_key, select(Case, DocumentDetail))).all()
    root = storage_dir()
    folder = Path(out) if out else root / "batches" / (on or local_today()).isoformat()
    jobs = []
    for case, detail in rows:
        issued = detail.pdf_sha256 is not None
        data = render_data(db.session, case, detail, draft=not issued)
        target = root / draft_path(case) if drafts else folder / f"{file_name(case, detail)}.pdf"
        target.parent.mkdir(parents=True, exist_ok=True)
        jobs.append((detail.type_key, data, str(target)))
    if not jobs:
        click.echo("no document matches; nothing rendered")
        return
    with click.progressbar(length=len(jobs), label="rendering", file=sys.stderr) as bar:
        shown = [0]

        def progress(done: int) -> None:  # render_to_files reports the number done so far
            bar.update(done - shown[0])
            shown[0] = done

        hashes = render_to_files(jobs, processes=processes, progress=progress)
    where = "draft cache" if drafts else str(folder)
    click.echo(f"{len(hashes)} PDF(s) rendered into {where} with {processes} process(es)")
