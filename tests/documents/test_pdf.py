"""«Xuất PDF» (issue 14): the report and the letter as PDF through LibreOffice here (Word through
COM on Windows), a clear message when neither is installed, and ``--pdf`` on the command line."""

from __future__ import annotations

import subprocess

import pypdf
import pytest

from desktop.cli import main as cli_main
from desktop.documents import pdf
from desktop.documents.pdf import NO_CONVERTER, PdfError, convert_to_pdf
from desktop.services.demo import DEMO_TODAY


def _text(path) -> tuple[int, str]:
    """Pages (pypdf) and the text without spaces (poppler's pdftotext: pypdf scatters the
    combining marks LibreOffice writes for Vietnamese)."""
    pages = len(pypdf.PdfReader(str(path)).pages)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return pages, "".join(text.split())


def test_libreoffice_is_installed_here():
    # The PDF path is tested for real: scripts/test.sh installs LibreOffice where it is missing.
    assert pdf.find_soffice() is not None
    assert pdf.available_converter() == pdf.LIBREOFFICE  # no Word on Linux


def test_the_report_converts_to_pdf_with_libreoffice(demo_docs, tmp_path):
    target = tmp_path / "Báo cáo số 128 (bản PDF).pdf"
    written = convert_to_pdf(demo_docs.report_128, target)
    assert written == target and target.is_file()
    pages, text = _text(target)
    assert pages >= 2
    assert "BÁOCÁO" in text and "128/VHTT" in text and "PHỤLỤC" in text.upper()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]  # written under a temporary name


def test_no_converter_says_what_to_do_and_writes_nothing(demo_docs, tmp_path, monkeypatch):
    monkeypatch.setattr(pdf, "find_soffice", lambda: None)
    monkeypatch.setattr(pdf, "word_available", lambda: False)
    target = tmp_path / "x.pdf"
    with pytest.raises(PdfError) as caught:
        convert_to_pdf(demo_docs.report_128, target)
    assert caught.value.message == NO_CONVERTER and "LibreOffice" in NO_CONVERTER and "Word" in NO_CONVERTER
    assert not target.exists() and list(tmp_path.iterdir()) == []


def test_a_missing_document_is_a_clear_message(tmp_path):
    with pytest.raises(PdfError, match="Không tìm thấy tệp"):
        convert_to_pdf(tmp_path / "không có.docx")


def test_cli_report_and_reminder_with_pdf(demo_db, tmp_path, capsys):
    report = tmp_path / "Báo cáo 128.docx"
    code = cli_main(["report", "--db", str(demo_db.location), "--directive", "128/VHTT", "--out", str(report),
                     "--today", DEMO_TODAY.isoformat(), "--pdf"])
    out = capsys.readouterr()
    assert code == 0, out.err
    assert report.is_file() and report.with_suffix(".pdf").is_file()
    assert "Đã ghi bản PDF" in out.out
    pages, text = _text(report.with_suffix(".pdf"))
    assert pages >= 1 and "128/VHTT" in text
    letter = tmp_path / "Đôn đốc.docx"
    code = cli_main(["reminder", "--db", str(demo_db.location), "--directive", "2790/UBND-VHTT", "--out",
                     str(letter), "--today", DEMO_TODAY.isoformat(), "--pdf"])
    out = capsys.readouterr()
    assert code == 0, out.err
    assert letter.with_suffix(".pdf").is_file()
    assert "đônđốc" in _text(letter.with_suffix(".pdf"))[1].lower()


def test_cli_pdf_without_converter_keeps_the_word_file(demo_db, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(pdf, "find_soffice", lambda: None)
    monkeypatch.setattr(pdf, "word_available", lambda: False)
    report = tmp_path / "r.docx"
    code = cli_main(["report", "--db", str(demo_db.location), "--directive", "128/VHTT", "--out", str(report),
                     "--today", DEMO_TODAY.isoformat(), "--pdf"])
    err = capsys.readouterr().err
    assert code == 1 and "chưa có bản PDF" in err and "LibreOffice" in err
    assert report.is_file() and not report.with_suffix(".pdf").exists()
