"""Every document type rendered to PDF once (module fixture) and read back: the text (pdftotext) holds the
header, number, date and body exactly; the embedded fonts are Liberation Serif / Noto Serif; the page, turned
into an image (pdftoppm), keeps its ink inside the margins of Nghị định 30/2020/NĐ-CP, Phụ lục I (top/bottom
20–25 mm, left 30–35 mm, right 15–20 mm) and numbers pages from the second one, top centre."""
import re
import subprocess
import unicodedata
from pathlib import Path

import pytest
from PIL import Image

from caseflow.documents import document_types, get_type, render_pdf, sample_data
from caseflow.documents.vi_format import money, number_line, vi_place_date, vi_short_date
from tests.conftest import require_tool

pytestmark = pytest.mark.slow

DPI = 100
MM = 25.4 / DPI
A4 = (210.0, 297.0)
#: darker than this counts as ink (the light grey DỰ THẢO watermark does not)
INK = 128
#: content box of the layout, mm (A4 210 wide; margins left 31, right 16): the two header columns split it 47/53
LEFT_COLUMN_END_MM = 31 + 163 * 0.47


def run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def squash(text: str) -> str:
    """Whitespace collapsed (lines wrap and justified lines stretch), NFC, case kept."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text).replace("\u00a0", " ")).strip()


def ink_box(png: Path) -> tuple[float, float, float, float] | None:
    """(left, top, right, bottom) margins in mm from the page's dark pixels; None for a blank page."""
    image = Image.open(png).convert("L")
    box = image.point(lambda v: 255 if v < INK else 0).getbbox()
    if box is None:
        return None
    x0, y0, x1, y1 = box
    width, height = image.size
    return x0 * MM, y0 * MM, (width - x1) * MM, (height - y1) * MM


class Rendered:
    def __init__(self, key: str, folder: Path):
        self.key = key
        self.data = sample_data(key)
        self.pdf = folder / f"{key}.pdf"
        self.pdf.write_bytes(render_pdf(key, self.data))
        self.pages = int(re.search(r"Pages:\s+(\d+)", run("pdfinfo", str(self.pdf)))[1])
        self.raw = squash(run("pdftotext", "-raw", str(self.pdf), "-"))
        pt = 72 / 25.4
        region = ["-x", "0", "-y", "0", "-W", str(int(LEFT_COLUMN_END_MM * pt)), "-H", str(int(70 * pt))]
        self.left_header = squash(run("pdftotext", "-r", "72", "-f", "1", "-l", "1", *region, str(self.pdf), "-"))
        region[1], region[5] = str(int(LEFT_COLUMN_END_MM * pt) + 1), str(int((210 - LEFT_COLUMN_END_MM) * pt))
        self.right_header = squash(run("pdftotext", "-r", "72", "-f", "1", "-l", "1", *region, str(self.pdf), "-"))
        self.fonts = run("pdffonts", str(self.pdf))
        subprocess.run(["pdftoppm", "-r", str(DPI), "-gray", "-png", "-f", "1", "-l", "2", str(self.pdf),
                        str(folder / key)], check=True)
        self.png = sorted(folder.glob(f"{key}-*.png"))


@pytest.fixture(scope="module", autouse=True)
def poppler() -> None:
    """Before the module fixtures that render and read back: fail in CI, skip elsewhere, without poppler."""
    for command in ("pdftotext", "pdftoppm", "pdffonts"):
        require_tool(command, "poppler-utils")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, Rendered]:
    folder = tmp_path_factory.mktemp("documents")
    return {key: Rendered(key, folder) for key in document_types()}


KEYS = sorted(document_types())


@pytest.mark.parametrize("key", KEYS)
def test_header_lines_number_and_date_read_back(rendered, key):
    r, data, doc_type = rendered[key], rendered[key].data, get_type(key)
    assert squash(data["superior"]) in r.left_header
    assert squash(data["issuer"]) in r.left_header
    assert number_line(data["number"], doc_type.code, data["issuer_code"], data.get("drafting_code")) \
        in r.left_header
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in r.right_header
    assert "Độc lập - Tự do - Hạnh phúc" in r.right_header
    assert vi_place_date(data["place"], data["date"]) == "Bình Định, ngày 05 tháng 02 năm 2026"
    assert "Bình Định, ngày 05 tháng 02 năm 2026" in r.right_header
    if doc_type.title:
        assert doc_type.title in r.raw
    if data["summary"] and doc_type.is_letter:  # a letter's summary stands under the number: "V/v ..."
        assert squash("V/v " + data["summary"].removeprefix("Về việc ")) in r.left_header
    elif data["summary"]:
        assert squash(data["summary"]) in r.raw


def _printed_values(key: str, fields: dict) -> list[str]:
    """Every text a sample gives, as the document prints it (dates dd/mm/yyyy, money with dots)."""
    values = []
    for spec in get_type(key).fields:
        value = fields.get(spec.name)
        if value in (None, "", []):
            continue
        if spec.kind == "date":
            values.append(vi_short_date(value))
        elif spec.kind == "money":
            values.append(money(value))
        elif spec.kind == "list":
            for item in value:
                values += [str(v) for v in item.values() if v] if isinstance(item, dict) else [item]
        elif isinstance(value, list):
            values += value
        else:
            values += [line for line in str(value).splitlines() if line.strip()]
    return values


@pytest.mark.parametrize("key", KEYS)
def test_body_reads_back_exactly(rendered, key):
    r = rendered[key]
    text = r.raw.casefold()
    missing = [v for v in _printed_values(key, r.data["fields"]) if squash(v).casefold() not in text]
    assert not missing, missing
    assert "Lưu:" in r.raw or get_type(key).defaults["signature"].get("title") == ""
    if r.data["signature"]["name"]:
        assert squash(r.data["signature"]["name"]) in r.raw


@pytest.mark.parametrize("key", KEYS)
def test_fonts_are_embedded_liberation_or_noto_serif(rendered, key):
    rows = [line.split() for line in rendered[key].fonts.splitlines()[2:] if line.strip()]
    assert rows
    for row in rows:
        name = row[0].split("+", 1)[-1].replace("-", "")
        assert name.startswith(("LiberationSerif", "NotoSerif")), row
        assert "yes" in row[-5:-2][0], f"not embedded: {row}"


@pytest.mark.parametrize("key", KEYS)
def test_ink_stays_inside_the_nd30_margins(rendered, key):
    r = rendered[key]
    left, top, right, bottom = ink_box(r.png[0])
    assert 30 <= left <= 35, f"left margin {left:.1f} mm"
    assert 20 <= top <= 25, f"top margin {top:.1f} mm"
    assert 15 <= right <= 20, f"right margin {right:.1f} mm"
    assert bottom >= 20, f"bottom margin {bottom:.1f} mm"
    for png in r.png[1:]:
        left2, _top2, right2, bottom2 = ink_box(png)
        assert left2 >= 30 and right2 >= 15 and bottom2 >= 20


def test_a_full_page_ends_inside_the_bottom_margin(tmp_path):
    """The bottom margin shows in ink only where text runs to the page's end: a long report."""
    data = sample_data("bao_cao")
    data["fields"]["body"] = [data["fields"]["body"][1]] * 30
    pdf = tmp_path / "long.pdf"
    pdf.write_bytes(render_pdf("bao_cao", data))
    subprocess.run(["pdftoppm", "-r", str(DPI), "-gray", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")],
                   check=True)
    _left, _top, _right, bottom = ink_box(next(tmp_path.glob("p-*.png")))
    # the last line sits on the margin, at most one line (14pt x 1.25 + 6pt spacing ~ 8.3 mm) above it
    assert 20 <= bottom <= 21 + 8.5, f"bottom margin {bottom:.1f} mm"


@pytest.mark.parametrize("key", KEYS)
def test_page_numbers_from_the_second_page_top_centre(rendered, key):
    r = rendered[key]
    first = Image.open(r.png[0]).convert("L")
    top_band = first.crop((0, 0, first.width, int(20 / MM))).point(lambda v: 255 if v < INK else 0)
    assert top_band.getbbox() is None, "ink above the top margin on page 1"
    if r.pages < 2:
        return
    second = Image.open(r.png[1]).convert("L")
    band = second.crop((0, 0, second.width, int(20 / MM))).point(lambda v: 255 if v < INK else 0).getbbox()
    assert band is not None, "no page number on page 2"
    centre = (band[0] + band[2]) / 2 * MM
    assert abs(centre - (31 + 163 / 2)) < 4, f"page number centred at {centre:.1f} mm"
    page2 = run("pdftotext", "-f", "2", "-l", "2", "-layout", str(r.pdf), "-")
    assert page2.strip().splitlines()[0].strip() == "2"


def test_some_templates_run_to_two_pages(rendered):
    assert sum(r.pages >= 2 for r in rendered.values()) >= 3


LONG_ISSUER = "CÔNG ĐOÀN CƠ SỞ CÔNG TY TRÁCH NHIỆM HỮU HẠN MỘT THÀNH VIÊN KHAI THÁC THỦY LỢI VÀ XÂY DỰNG NGHĨA BÌNH"
LONG_NAME = "Tôn Nữ Hoàng Thị Quỳnh Hương Nguyễn Phước Bửu Diệp"


@pytest.fixture(scope="module")
def long_nfd(tmp_path_factory) -> dict[str, tuple[str, Path]]:
    """Every type once more, with very long names given in NFD (as some keyboards and macOS send them)."""
    folder = tmp_path_factory.mktemp("long")
    out = {}
    for key in KEYS:
        data = sample_data(key)
        data["superior"] = "LIÊN ĐOÀN LAO ĐỘNG TỈNH BÌNH ĐỊNH"
        data["issuer"] = LONG_ISSUER
        data["signature"]["name"] = LONG_NAME
        for spec in get_type(key).fields:
            if spec.kind == "text" and spec.name.endswith("_name"):
                data["fields"][spec.name] = LONG_NAME
        data = _nfd(data)
        pdf = folder / f"{key}.pdf"
        pdf.write_bytes(render_pdf(key, data))
        subprocess.run(["pdftoppm", "-r", "50", "-gray", "-png", "-f", "1", "-l", "1", str(pdf), str(folder / key)],
                       check=True)
        out[key] = (run("pdftotext", "-raw", str(pdf), "-"), next(folder.glob(f"{key}-*.png")))
    return out


def _nfd(value):
    if isinstance(value, str):
        return unicodedata.normalize("NFD", value)
    if isinstance(value, dict):
        return {k: _nfd(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_nfd(v) for v in value]
    return value


@pytest.mark.parametrize("key", KEYS)
def test_long_names_in_nfd_print_in_nfc_inside_the_margins(long_nfd, key):
    text, png = long_nfd[key]
    flat = " ".join(text.split())  # not normalised: the PDF itself must carry NFC text
    assert unicodedata.normalize("NFC", flat) == flat
    assert "CÔNG TY TRÁCH NHIỆM HỮU HẠN" in flat
    if get_type(key).fields and any(s.name.endswith("_name") for s in get_type(key).fields):
        assert LONG_NAME in flat
    left, top, right, bottom = (v * DPI / 50 for v in ink_box(png))
    assert 30 <= left <= 35 and 20 <= top <= 25 and 15 <= right <= 20 and bottom >= 20, (left, top, right, bottom)
