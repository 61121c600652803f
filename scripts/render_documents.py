"""Render the demo's Word documents to PNG for the README (and for looking at them).

    python scripts/render_documents.py [--keep DIR] [--district]

Builds the demo database in a temporary folder, writes the report of "128/VHTT", of
"2790/UBND-VHTT" and of "45/KH-UBND" (a periodic task), the reminder letter for "2790/UBND-VHTT"
and the one to every overdue unit (drafts, demo date 08/10/2024); with ``--district`` also the
report of bench/generate.py's district case (60 units x 30 tasks, 1,800 assignments),
converts them with LibreOffice (``soffice --headless``) and ``pdftoppm`` at 50 dpi, and copies to
``docs/img/``: page 1 and the first appendix page of the 128/VHTT report, page 1 of the letter.
``--keep DIR`` also keeps every .docx, .pdf and page PNG (at 60 dpi) there for inspection.
Prints the page count of each document and of its Phụ lục I.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

IMAGES = ROOT / "docs" / "img"


def _build(folder: Path) -> dict[str, Path]:
    from db.queries import find_directive
    from desktop.documents import build_reminder, build_report
    from desktop.infra.database import open_database
    from desktop.services.demo import DEMO_TODAY, build_demo

    db = open_database(folder / "demo.db")
    try:
        build_demo(db, DEMO_TODAY)
        out = {}
        for key, number in (("report_128", "128/VHTT"), ("report_2790", "2790/UBND-VHTT"),
                            ("report_45", "45/KH-UBND")):
            with db.session() as s:
                directive = find_directive(s, number).id
            out[key] = build_report(db, folder / f"{key}.docx", today=DEMO_TODAY, directive_ids=[directive]).path
        with db.session() as s:
            directive = find_directive(s, "2790/UBND-VHTT").id
        out["letter"] = build_reminder(db, folder / "letter.docx", today=DEMO_TODAY, directive_ids=[directive]).path
        out["letter_all"] = build_reminder(db, folder / "letter_all.docx", today=DEMO_TODAY).path
        return out
    finally:
        db.dispose()


def _build_district(folder: Path) -> Path:
    """The report of the district case's grid directive (id 1: 30 tasks given to each of 60 units)."""
    from bench.generate import BENCH_TODAY, generate
    from desktop.documents import build_report
    from desktop.infra.database import open_database

    generate(folder / "district.db", "district")
    db = open_database(folder / "district.db")
    try:
        return build_report(db, folder / "report_district.docx", today=BENCH_TODAY, directive_ids=[1]).path
    finally:
        db.dispose()


def _to_pdf(docx_path: Path, folder: Path) -> Path:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        sys.exit("LibreOffice (soffice) is needed to render the documents.")
    profile = Path(tempfile.gettempdir()) / f"lo_render_{uuid.uuid4().hex}"
    try:
        subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                        "--outdir", str(folder), str(docx_path)], check=True, capture_output=True, timeout=180)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    return folder / (docx_path.stem + ".pdf")


def _page_count(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def _appendix_page(pdf: Path, required: bool = True) -> int:
    """The first page whose text starts with "Phụ lục I" (0 when there is none and not ``required``)."""
    for page in range(1, _page_count(pdf) + 1):
        text = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"], check=True,
                              capture_output=True, text=True).stdout
        if text.lstrip().startswith("Phụ lục I"):
            return page
    if not required:
        return 0
    raise SystemExit(f"No appendix page in {pdf}")


def _png(pdf: Path, page: int, target: Path, dpi: int) -> Path:
    stem = target.with_suffix("")
    subprocess.run(["pdftoppm", "-png", "-gray", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile", str(pdf),
                    str(stem)], check=True)
    return target


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="keep the .docx, .pdf and every page PNG in this folder")
    parser.add_argument("--district", action="store_true",
                        help="also the report of the district case (60 units x 30 tasks)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        documents = _build(work)
        if args.district:
            documents["report_district"] = _build_district(work)
        pdfs = {key: _to_pdf(path, work) for key, path in documents.items()}
        for key, pdf in pdfs.items():
            pages, first = _page_count(pdf), _appendix_page(pdf, required=False)
            appendix = f", Phụ lục I {pages - first + 1} pages" if first else ""
            print(f"{key}: {pages} pages{appendix}")
        IMAGES.mkdir(parents=True, exist_ok=True)
        report = pdfs["report_128"]
        written = [
            _png(report, 1, IMAGES / "doc-report-page1.png", 50),
            _png(report, _appendix_page(report), IMAGES / "doc-report-appendix.png", 50),
            _png(pdfs["letter"], 1, IMAGES / "doc-letter-page1.png", 50),
        ]
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            for key, pdf in pdfs.items():
                shutil.copy(documents[key], args.keep / documents[key].name)
                shutil.copy(pdf, args.keep / pdf.name)
                for page in range(1, _page_count(pdf) + 1):
                    _png(pdf, page, args.keep / f"{key}-{page:02d}.png", 60)
    for path in written:
        print(f"{path.relative_to(ROOT)}  {path.stat().st_size // 1024} KiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
