"""The same directive as pasted text, as a .docx with one paragraph per printed line (what
PDF-to-Word converters and copy-paste make) and as a PDF printed by LibreOffice gives the same
proposal: the same tasks, dates and units."""

from __future__ import annotations

import io
import subprocess

import docx
import pytest
from docx.shared import Pt
from intake_truth import DATA, SEEDS

from desktop.intake import read_directive


def lines_docx(text: str) -> bytes:
    d = docx.Document()
    d.styles["Normal"].font.size = Pt(12)
    d.styles["Normal"].font.name = "Liberation Serif"
    for line in text.split("\n"):
        d.add_paragraph(line)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def shape(proposal) -> list[tuple]:
    return [(tuple(sorted((a.unit.code, a.role) for a in t.assignments)), t.start_date, t.due_date,
             t.report_due_date, t.recurrence, t.summary[:40]) for t in proposal.tasks]


@pytest.fixture(scope="module")
def seed_files(tmp_path_factory):
    """Each seed as .docx (one paragraph per line) and as the PDF LibreOffice prints of it."""
    folder = tmp_path_factory.mktemp("seeds")
    for name in SEEDS:
        (folder / name).with_suffix(".docx").write_bytes(lines_docx((DATA / name).read_text(encoding="utf-8")))
    subprocess.run(["soffice", f"-env:UserInstallation=file://{folder}/lo", "--headless", "--convert-to", "pdf",
                    "--outdir", str(folder)] + [str((folder / n).with_suffix(".docx")) for n in SEEDS],
                   check=True, capture_output=True, timeout=300)
    return folder


@pytest.mark.parametrize("name", list(SEEDS))
@pytest.mark.parametrize("suffix", [".docx", ".pdf"])
def test_seed_reads_the_same_from_docx_lines_and_libreoffice_pdf(seed_files, name, suffix):
    as_text = read_directive(DATA / name, filename=name)
    other = read_directive(seed_files / (name[:-4] + suffix), filename=name[:-4] + suffix)
    assert len(other.tasks) == len(as_text.tasks)
    assert shape(other) == shape(as_text)


CORPUS_PDF = ["07-ke-hoach-phu-luc-bang-tung-o", "24-manh-cat-va-dong-trong", "29-dong-tu-ngoai-danh-sach",
              "35-phuong-sau-sap-nhap"]


@pytest.fixture(scope="module")
def corpus_pdfs(tmp_path_factory):
    """Corpus documents whose printed lines wrap at the margin, or whose table starts on a new page."""
    folder = tmp_path_factory.mktemp("corpus")
    corpus = DATA.parent / "intake_corpus"
    for name in CORPUS_PDF:
        (folder / f"{name}.docx").write_bytes(lines_docx((corpus / f"{name}.txt").read_text(encoding="utf-8")))
    subprocess.run(["soffice", f"-env:UserInstallation=file://{folder}/lo", "--headless", "--convert-to", "pdf",
                    "--outdir", str(folder)] + [str(folder / f"{n}.docx") for n in CORPUS_PDF],
                   check=True, capture_output=True, timeout=300)
    return folder


@pytest.mark.parametrize("name", CORPUS_PDF)
def test_lines_wrapped_by_the_printer_are_joined_back(corpus_pdfs, name):
    import json

    from desktop.intake import load_default_units

    corpus = DATA.parent / "intake_corpus"
    which = json.loads((corpus / f"{name}.json").read_text(encoding="utf-8"))["units"]
    units = load_default_units(corpus / f"units_{which}.json") if which != "quan" else None
    as_text = read_directive(corpus / f"{name}.txt", units=units)
    printed = read_directive(corpus_pdfs / f"{name}.pdf", units=units)
    assert shape(printed) == shape(as_text)
    assert (printed.doc_number, printed.doc_date) == (as_text.doc_number, as_text.doc_date)
