"""Batch rendering: PDFs written atomically with their SHA-256, on a pool of spawn-started workers (only plain
data crosses), progress reported, the same bytes as rendering one by one."""
import hashlib
from pathlib import Path

import pytest

from caseflow.documents import render_to_files, sample_data
from caseflow.documents.batch import write_atomic

KEYS = ["quyet_dinh_thu_ly_to_cao", "thong_bao_thu_ly_khieu_nai", "giay_uy_quyen", "quyet_dinh_khen_thuong",
        "cong_van", "phieu_chuyen_don"]


def jobs(folder, n=6):
    return [(KEYS[i % len(KEYS)], sample_data(KEYS[i % len(KEYS)]) | {"number": i + 1}, str(folder / f"d{i:03d}.pdf"))
            for i in range(n)]


@pytest.mark.slow
def test_pool_renders_every_job_with_its_digest(tmp_path):
    done = []
    batch = jobs(tmp_path, 12)
    digests = render_to_files(batch, processes=2, progress=done.append)
    assert len(digests) == 12 and done[-1] == 12 and done == sorted(done)
    for (_key, _data, path), digest in zip(batch, digests, strict=True):
        content = Path(path).read_bytes()
        assert content.startswith(b"%PDF-") and hashlib.sha256(content).hexdigest() == digest
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"d{i:03d}.pdf" for i in range(12)], "no temp files left"


def test_sequential_when_one_process(tmp_path):
    done = []
    digests = render_to_files(jobs(tmp_path, 3), processes=1, progress=done.append)
    assert done == [1, 2, 3] and len(set(digests)) == 3


def test_a_failing_job_raises_and_leaves_no_partial_file(tmp_path):
    bad = [("no_such_type", {}, str(tmp_path / "bad.pdf"))]
    with pytest.raises(KeyError):
        render_to_files(bad, processes=1)
    assert list(tmp_path.iterdir()) == []


def test_write_atomic_replaces_whole_file(tmp_path):
    target = tmp_path / "sub" / "x.pdf"
    write_atomic(target, b"old")
    digest = write_atomic(target, b"new")
    assert target.read_bytes() == b"new" and digest == hashlib.sha256(b"new").hexdigest()
    assert [p.name for p in target.parent.iterdir()] == ["x.pdf"]


@pytest.mark.slow
def test_pool_works_from_a_flask_cli_command(app, tmp_path):
    """As the documents CLI will call it: inside an app context with a database session open. Workers are
    spawned, so they inherit no connection; they get plain data only."""
    import click

    from caseflow.extensions import db

    @app.cli.command("render-test-batch")
    def render_test_batch():
        db.session.execute(db.text("SELECT 1"))  # a live connection in the parent
        digests = render_to_files(jobs(tmp_path, 4), processes=2)
        click.echo(" ".join(digests))

    result = app.test_cli_runner().invoke(args=["render-test-batch"])
    assert result.exit_code == 0, result.output
    assert len(result.output.split()) == 4


def test_threads_of_one_process_render_safely():
    """A threaded web server renders previews side by side: the shared font configuration is used by one
    render at a time, and every PDF comes out whole."""
    from concurrent.futures import ThreadPoolExecutor

    from caseflow.documents import render_pdf

    with ThreadPoolExecutor(max_workers=3) as pool:
        pdfs = list(pool.map(lambda key: render_pdf(key, sample_data(key)), KEYS))
    assert all(p.startswith(b"%PDF-") and p.rstrip().endswith(b"%%EOF") for p in pdfs)


@pytest.mark.slow
def test_no_font_folder_left_behind(tmp_path):
    """WeasyPrint copies the fonts into a temporary folder per font configuration (~4 MB): the parent and the
    pool worker both remove theirs on exit."""
    import os
    import subprocess
    import sys

    script = tmp_path / "batch.py"
    script.write_text(
        "import sys\nfrom caseflow.documents import render_to_files, sample_data\n"
        "if __name__ == '__main__':\n"
        "    out = sys.argv[1]\n"
        "    jobs = [('cong_van', sample_data('cong_van'), f'{out}/{i}.pdf') for i in range(4)]\n"
        "    print(len(render_to_files(jobs, processes=2)))\n", encoding="utf-8")
    temp = tmp_path / "tmp"
    temp.mkdir()
    result = subprocess.run([sys.executable, str(script), str(tmp_path)], capture_output=True, text=True,
                            env={**os.environ, "TMPDIR": str(temp)}, timeout=120, check=False)
    assert result.returncode == 0 and result.stdout.strip() == "4", result.stderr
    assert list(temp.iterdir()) == []


def test_release_removes_the_font_folder():
    from pathlib import Path

    from caseflow.documents.render import _pdf_resources, release, warm_up

    warm_up()
    folder = Path(_pdf_resources()[0]._folder)
    assert folder.is_dir()
    release()
    assert not folder.exists() and _pdf_resources.cache_info().currsize == 0
    warm_up()  # and rendering works again afterwards
