"""A .docx written by this program, as a PDF for the e-office system (văn bản điện tử is signed as
a PDF). Qt-free; slow (seconds): run it off the GUI thread.

Which converter: Microsoft Word through COM on Windows when it is installed (the layout the
officer sees in Word), else LibreOffice (``soffice --headless --convert-to pdf``) when it is
installed, else a :class:`PdfError` saying in Vietnamese what to do instead.

LibreOffice refuses to convert, silently, while another LibreOffice runs with the same user
profile (the officer's own LibreOffice window): each conversion gets a private profile folder
(``-env:UserInstallation``), removed afterwards.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from desktop.infra.fileio import atomic_write

log = logging.getLogger(__name__)

WORD = "word"
LIBREOFFICE = "libreoffice"
TIMEOUT_SECONDS = 240  # a district appendix of 100+ pages takes LibreOffice ~30 s on an old PC
NO_CONVERTER = ("Không chuyển được sang PDF: máy này chưa có Microsoft Word hoặc LibreOffice. Hãy mở tệp Word "
                "rồi chọn Tệp › Lưu thành (Save As) › PDF, hoặc cài LibreOffice (miễn phí).")


class PdfError(Exception):
    """The PDF could not be made; ``message`` is Vietnamese, for the officer."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def pdf_path_for(docx: str | Path) -> Path:
    """The PDF next to the document, with the same name."""
    return Path(docx).with_suffix(".pdf")


def find_soffice() -> str | None:
    """LibreOffice's ``soffice`` on the PATH, or in its usual Windows folders."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    if sys.platform == "win32":
        for root in (os.environ.get("ProgramFiles", r"C:\Program Files"),
                     os.environ.get("ProgramFiles(x86)", r"C:\Program Files (x86)")):
            candidate = Path(root) / "LibreOffice" / "program" / "soffice.exe"
            if candidate.is_file():
                return str(candidate)
    return None


def word_available() -> bool:
    """Microsoft Word can be driven through COM (Windows, pywin32, Word registered)."""
    if sys.platform != "win32":
        return False
    try:
        import winreg  # noqa: PLC0415 - Windows only

        with winreg.OpenKey(winreg.HKEY_CLASSES_ROOT, r"Word.Application\CLSID"):
            pass
        import win32com.client  # noqa: F401, PLC0415 - optional (pywin32)
    except (ImportError, OSError):
        return False
    return True


def available_converter() -> str | None:
    """``"word"``, ``"libreoffice"`` or None."""
    if word_available():
        return WORD
    if find_soffice():
        return LIBREOFFICE
    return None


def convert_to_pdf(docx: str | Path, pdf: str | Path | None = None, converter: str | None = None) -> Path:
    """Write ``docx`` as ``pdf`` (default: next to it, same name). The PDF is written under a
    temporary name and renamed, so a failure never leaves half a file. Raises :class:`PdfError`."""
    source = Path(docx).resolve()
    target = Path(pdf) if pdf is not None else pdf_path_for(source)
    if not source.is_file():
        raise PdfError(f"Không tìm thấy tệp «{source}» để chuyển sang PDF.")
    converter = converter or available_converter()
    if converter is None:
        raise PdfError(NO_CONVERTER)
    convert = _via_word if converter == WORD else _via_libreoffice
    atomic_write(target, lambda tmp: convert(source, tmp))
    return target


def _via_libreoffice(source: Path, target: Path) -> None:
    soffice = find_soffice()
    if soffice is None:
        raise PdfError(NO_CONVERTER)
    with tempfile.TemporaryDirectory(prefix="theodoi-pdf-") as work:
        work_dir = Path(work)
        profile = (work_dir / "profile").as_uri()
        out_dir = work_dir / "out"
        out_dir.mkdir()
        command = [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--nolockcheck",
                   "--convert-to", "pdf", "--outdir", str(out_dir), str(source)]
        try:
            completed = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS,  # noqa: S603
                                       check=False)
        except subprocess.TimeoutExpired as exc:
            raise PdfError(f"LibreOffice không chuyển xong tệp sang PDF sau {TIMEOUT_SECONDS} giây.") from exc
        except OSError as exc:
            raise PdfError(f"Không chạy được LibreOffice để chuyển sang PDF: {exc}") from exc
        produced = out_dir / (source.stem + ".pdf")
        if completed.returncode != 0 or not produced.is_file() or produced.stat().st_size == 0:
            log.error("soffice failed (%s): %s %s", completed.returncode, completed.stdout, completed.stderr)
            raise PdfError("LibreOffice không chuyển được tệp sang PDF. Hãy mở tệp Word và lưu thành PDF.")
        shutil.copyfile(produced, target)


def _via_word(source: Path, target: Path) -> None:
    import pythoncom  # noqa: PLC0415 - Windows only (pywin32)
    import win32com.client  # noqa: PLC0415

    pdf_format = 17  # wdExportFormatPDF
    pythoncom.CoInitialize()  # this runs on a worker thread
    word = None
    try:
        word = win32com.client.DispatchEx("Word.Application")
        word.Visible = False
        word.DisplayAlerts = 0
        document = word.Documents.Open(str(source), ReadOnly=True, AddToRecentFiles=False)
        try:
            document.ExportAsFixedFormat(str(target), pdf_format)
        finally:
            document.Close(False)
    except Exception as exc:  # COM errors carry no Vietnamese text
        raise PdfError(f"Microsoft Word không chuyển được tệp sang PDF: {exc}") from exc
    finally:
        if word is not None:
            word.Quit()
        pythoncom.CoUninitialize()


__all__ = ["LIBREOFFICE", "NO_CONVERTER", "PdfError", "WORD", "available_converter", "convert_to_pdf",
           "find_soffice", "pdf_path_for", "word_available"]
