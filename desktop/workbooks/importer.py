"""Importing filled "Phiếu báo cáo" files: check, preview, then apply on the officer's word.

1. ``preview_files(db, paths, today)`` reads every file and writes nothing. Each file is checked
   before openpyxl sees it (``safety.check_xlsx_file``), opened read-only (openpyxl parses through
   defusedxml) and always closed, then checked: our template, HMAC intact, the unit exists, each row
   is an assignment of that unit that is still open, no row added by hand, no formula in an input
   cell, dates and figures valid. The result says per row what would change (old -> new) and lists
   every problem with its sheet and cell, in Vietnamese. A file with any error is rejected whole.
2. ``apply_preview(db, preview, today)`` applies each accepted file in its own transaction through
   ``operations.record_report`` (channel "excel"), with the session context "import:<file name>"
   so the change log names the file. The received file is copied into the data folder first and
   recorded as the report's source file and evidence. Importing the same file again changes nothing
   (its content hash is part of the kept copy's name; rows identical to the latest report are
   skipped). Files are applied oldest first (by the time saved in the file), so when two files
   report on the same assignment the later one becomes the latest report; both are kept.
3. ``import_annotated.save_annotated(file_preview, out)`` writes a copy of a rejected file with the
   problem cells filled red and commented, to send back to the unit.

The plain data of a preview and of its result are in ``import_model``; reading the rows of an
opened form in ``import_read``.

Threading: plain functions, no Qt. Call from a worker thread; each call opens its own sessions.
"""

from __future__ import annotations

import errno
import hashlib
import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Iterable, Sequence

from openpyxl import load_workbook
from sqlalchemy import exc as sa_exc
from sqlalchemy import select

from db.models import Assignment, Channel, Indicator, ReportFigure, Task, UnitReport
from db.queries import id_chunks
from desktop.infra import attachments, paths
from desktop.infra.fileio import OutputError, shorten_name
from desktop.services import operations as ops
from desktop.services.operations import results as ops_results
from desktop.tracking.labels import STATE, fmt_date, fmt_number
from desktop.workbooks.common import Progress, no_progress
from desktop.workbooks.import_model import (
    ACTION_NONE,
    ACTION_REPORT,
    ACTION_SKIP,
    ACTION_STATE,
    STATUS_APPLIED,
    STATUS_NOT_REACHED,
    STATUS_REFUSED,
    STATUS_UNCHANGED,
    ApplyResult,
    Change,
    FilePreview,
    FileResult,
    ImportPreview,
    RowPreview,
)
from desktop.workbooks.import_read import _read_workbook, _RowInput
from desktop.workbooks.safety import UnsafeFileError, check_xlsx_file
from desktop.workbooks.template import (
    CHOICE_DONE,
    CHOICE_IN_PROGRESS,
    OPEN_STATES,
    SHEET_FORM,
    STATE_CHOICES,
)

log = logging.getLogger(__name__)

KEPT_FOLDER = paths.KEPT_FORMS_FOLDER
EARLIEST_DATE = date(2000, 1, 1)


# ---------------------------------------------------------------- reading one file


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _file_time(wb, path: Path) -> datetime:
    """When the unit saved the file: the workbook's own "modified" stamp, else the file's time (UTC)."""
    props = getattr(wb, "properties", None)
    stamp = getattr(props, "modified", None) or getattr(props, "created", None)
    if isinstance(stamp, datetime):
        return stamp.replace(tzinfo=None)
    return datetime.fromtimestamp(path.stat().st_mtime, tz=timezone.utc).replace(tzinfo=None)


def read_file(db, path: str | Path, today: date) -> FilePreview:
    """Check one file and work out what importing it would change. Writes nothing."""
    path = Path(path)
    fp = FilePreview(path=path, file_name=path.name)
    try:
        check_xlsx_file(path)
    except UnsafeFileError as exc:
        fp.error(exc.message)
        return fp
    fp.sha256 = file_sha256(path)
    try:
        wb = load_workbook(path, read_only=True, data_only=False, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds on malformed parts
        fp.error(f"Không đọc được tệp «{path.name}» ({type(exc).__name__}: {exc}). Tệp có thể bị hỏng hoặc không "
                 "phải bảng tính Excel; đề nghị đơn vị gửi lại.")
        return fp
    fp.loadable = True
    try:
        fp.file_time = _file_time(wb, path)
        inputs = _read_workbook(db, wb, fp)
    except Exception as exc:
        fp.error(f"Không đọc được nội dung tệp «{path.name}» ({type(exc).__name__}: {exc}).")
        inputs = None
    finally:
        wb.close()
    if inputs is not None:
        # Even for a rejected file: the officer sees the whole picture at once.
        _compare_with_database(db, fp, inputs, today)
    return fp



# ---------------------------------------------------------------- comparing with the database


@dataclass
class _Latest:
    received_on: date
    content: str
    doc_number: str
    completed_on: date | None
    figures: dict  # indicator id -> (number, text)
    source_file: str


def _latest_reports(session, assignment_ids: Sequence[int]) -> dict[int, _Latest]:
    if not assignment_ids:
        return {}
    reports = session.execute(
        select(UnitReport.id, UnitReport.assignment_id, UnitReport.received_on, UnitReport.content,
               UnitReport.unit_doc_number, UnitReport.completed_on, UnitReport.source_file)
        .where(UnitReport.assignment_id.in_(list(assignment_ids)))
        .order_by(UnitReport.assignment_id, UnitReport.received_on, UnitReport.id)).all()
    latest_rows = {}
    for r in reports:
        latest_rows[r[1]] = r  # ordered: the last one per assignment wins
    figures: dict[int, dict] = defaultdict(dict)
    report_ids = [r[0] for r in latest_rows.values()]
    for chunk in id_chunks(report_ids):
        for rid, ind, number, text in session.execute(
                select(ReportFigure.report_id, ReportFigure.indicator_id, ReportFigure.value_number,
                       ReportFigure.value_text).where(ReportFigure.report_id.in_(chunk))):
            figures[rid][ind] = (number, text or "")
    return {aid: _Latest(r[2], r[3] or "", r[4] or "", r[5], figures.get(r[0], {}), r[6] or "")
            for aid, r in latest_rows.items()}


def _compose_content(item: _RowInput) -> str:
    content = item.content
    if item.note:
        content = f"{content}\nGhi chú: {item.note}" if content else f"Ghi chú: {item.note}"
    return content


def _fmt_number(number: float | None, text: str = "") -> str:
    return text or "" if number is None else fmt_number(number)


def _short(text: str, limit: int = 160) -> str:
    text = (text or "").replace("\n", " ")
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _compare_with_database(db, fp: FilePreview, inputs: list[_RowInput], today: date) -> None:
    aids = [i.assignment_id for i in inputs]
    with db.session() as s:
        if fp.sha256 and aids:
            # Reports kept from this very file (its hash is in the kept copy's name) can only be on
            # the file's own assignments: looked up through their index, not by a LIKE over every
            # report's file name (145,000 of them at city scale).
            marker = f"%{fp.sha256[:16]}%"
            hits = [hit[0] for chunk in id_chunks(sorted(set(aids))) for hit in s.execute(
                select(UnitReport.received_on).where(UnitReport.assignment_id.in_(chunk),
                                                     UnitReport.source_file.like(marker)))]
            if hits:
                fp.already_imported_on = min(hits)
        # Plain rows with only the columns compared (named like the models' attributes): no ORM
        # object to build for a check that writes nothing.
        assignments = {a.id: a for chunk in id_chunks(sorted(set(aids))) for a in s.execute(
            select(Assignment.id, Assignment.task_id, Assignment.unit_id, Assignment.state, Assignment.version,
                   Assignment.completed_on).where(Assignment.id.in_(chunk)))}
        task_ids = sorted({a.task_id for a in assignments.values()})
        tasks = {t.id: t for chunk in id_chunks(task_ids) for t in s.execute(
            select(Task.id, Task.title, Task.start_date).where(Task.id.in_(chunk)))}
        indicators = {i.id: i for chunk in id_chunks(task_ids) for i in s.execute(
            select(Indicator.id, Indicator.task_id, Indicator.value_type, Indicator.name, Indicator.measure)
            .where(Indicator.task_id.in_(chunk)))}
        latest = _latest_reports(s, list(assignments))
        for item in inputs:
            row = _compare_row(fp, item, assignments.get(item.assignment_id), tasks, indicators,
                               latest.get(item.assignment_id), today)
            if row is not None:
                fp.rows.append(row)
    if fp.already_imported_on is not None:
        fp.notices.append(f"Tệp này đã được nhập ngày {fmt_date(fp.already_imported_on)}; nhập lại không thay đổi gì.")
        for row in fp.rows:
            if row.action in (ACTION_REPORT, ACTION_STATE):
                row.action, row.changes, row.report = ACTION_NONE, [], None
                row.note = "Đã nhập từ tệp này trước đây"


def _compare_row(fp: FilePreview, item: _RowInput, a, tasks: dict, indicators: dict, latest: _Latest | None,
                 today: date) -> RowPreview | None:
    """``a``, ``tasks`` and ``indicators`` hold the rows read by ``_compare_with_database``."""
    sheet = SHEET_FORM
    title = tasks[a.task_id].title if a is not None and a.task_id in tasks else ""
    row = RowPreview(item.excel_row, item.assignment_id, title)
    if item.empty:
        row.note = "Đơn vị để trống"
        return row
    if a is None:
        fp.warn(f"Dòng {item.excel_row}: nhiệm vụ (mã {item.assignment_id}) không còn trong cơ sở dữ liệu; bỏ qua dòng "
                "này.", sheet, item.addresses["state"])
        row.action, row.note = ACTION_SKIP, "Nhiệm vụ không còn"
        return row
    if a.unit_id != fp.unit_id:
        fp.error(f"Dòng {item.excel_row}: nhiệm vụ (mã {a.id}) không thuộc đơn vị «{fp.unit_name}».", sheet,
                 item.addresses["state"])
        row.action = ACTION_SKIP
        return row
    task = tasks[a.task_id]
    row.old_state, row.version = a.state, a.version
    choice = item.choice
    if not choice:
        choice = CHOICE_DONE if item.completed_on else CHOICE_IN_PROGRESS
        fp.warn(f"Dòng {item.excel_row}: chưa chọn «Tình trạng thực hiện»; coi là «{choice}».", sheet,
                item.addresses["state"])
    row.choice = choice
    row.target_state = STATE_CHOICES[choice]
    if choice == CHOICE_DONE and item.completed_on is None and not item.bad:
        fp.error(f"Dòng {item.excel_row}: chọn «{CHOICE_DONE}» thì phải nhập ngày hoàn thành.", sheet,
                 item.addresses["completed"])
        item.bad = True
    if choice != CHOICE_DONE and item.completed_on is not None:
        fp.error(f"Dòng {item.excel_row}: tình trạng «{choice}» nhưng lại có ngày hoàn thành; hãy chọn «{CHOICE_DONE}» "
                 "hoặc xóa ngày.", sheet, item.addresses["completed"])
        item.bad = True
    if item.completed_on is not None:
        if item.completed_on > today:
            fp.error(f"Ngày hoàn thành {fmt_date(item.completed_on)} ở ô {item.addresses['completed']} sau ngày hôm nay "
                     f"({fmt_date(today)}).", sheet, item.addresses["completed"])
            item.bad = True
        elif task.start_date and item.completed_on < task.start_date:
            fp.error(f"Ngày hoàn thành {fmt_date(item.completed_on)} ở ô {item.addresses['completed']} trước ngày bắt "
                     f"đầu nhiệm vụ ({fmt_date(task.start_date)}).", sheet, item.addresses["completed"])
            item.bad = True
        elif item.completed_on < EARLIEST_DATE:
            fp.error(f"Ngày hoàn thành {fmt_date(item.completed_on)} ở ô {item.addresses['completed']} không hợp lý.",
                     sheet, item.addresses["completed"])
            item.bad = True
    figures: dict[int, tuple[float | None, str]] = {}
    for ind_id, raw in item.figures.items():
        ind = indicators.get(ind_id)
        cell = item.figure_cells[ind_id]
        if ind is None or ind.task_id != a.task_id:
            fp.warn(f"Ô {cell}: chỉ tiêu này không còn trong nhiệm vụ; số liệu không được nhập.", sheet, cell)
            continue
        try:
            figures[ind_id] = ops.parse_figure(raw, ind.value_type, ind.name)
        except ops.ValidationError as exc:
            fp.error(f"Ô {cell}: {exc.message}", sheet, cell)
            item.bad = True
    if item.bad:
        row.action = ACTION_SKIP
        row.note = "Có lỗi"
        return row
    content = _compose_content(item)
    has_report = bool(content or item.doc_number or figures or choice == CHOICE_DONE)
    completed = item.completed_on if choice == CHOICE_DONE else None
    new_figures = {k: v for k, v in figures.items() if v[0] is not None or v[1]}
    identical = latest is not None and has_report and latest.content == content \
        and latest.doc_number == item.doc_number and latest.completed_on == completed \
        and {k: v for k, v in latest.figures.items()} == new_figures
    if identical:
        row.note = f"Giống báo cáo đã nhận ngày {fmt_date(latest.received_on)}"
        return row
    if a.state not in OPEN_STATES:
        fp.warn(f"Dòng {item.excel_row}: nhiệm vụ đang ở tình trạng «{STATE.get(a.state, a.state)}»; không nhận kết "
                "quả mới từ phiếu, bỏ qua dòng này.", sheet, item.addresses["state"])
        row.action, row.note = ACTION_SKIP, f"Nhiệm vụ đã «{STATE.get(a.state, a.state)}»"
        return row
    if not has_report:
        if a.state == row.target_state:
            row.note = "Tình trạng không đổi"
            return row
        row.action = ACTION_STATE
        row.changes.append(Change("Tình trạng", STATE.get(a.state, a.state), STATE[row.target_state]))
        return row
    row.action = ACTION_REPORT
    row.report = ops.ReportInput(received_on=today, channel=Channel.EXCEL.value, unit_doc_number=item.doc_number,
                                 content=content, completed_on=completed,
                                 figures={k: raw for k, raw in item.figures.items() if k in figures})
    if a.state != row.target_state:
        row.changes.append(Change("Tình trạng", STATE.get(a.state, a.state), STATE[row.target_state]))
    if completed != a.completed_on and (completed or a.completed_on):
        row.changes.append(Change("Ngày hoàn thành", fmt_date(a.completed_on), fmt_date(completed)))
    old_content = latest.content if latest else ""
    if content != old_content:
        row.changes.append(Change("Nội dung kết quả", _short(old_content), _short(content)))
    old_doc = latest.doc_number if latest else ""
    if item.doc_number != old_doc:
        row.changes.append(Change("Số, ký hiệu văn bản", old_doc, item.doc_number))
    old_figures = latest.figures if latest else {}
    for ind_id in sorted(set(new_figures) | set(old_figures)):
        ind = indicators.get(ind_id)
        if ind is None or ind.task_id != a.task_id:
            continue
        old = old_figures.get(ind_id)
        new = new_figures.get(ind_id)
        if old != new:
            label = f"{ind.name} ({ind.measure})" if ind.measure else ind.name
            row.changes.append(Change(label, _fmt_number(*old) if old else "", _fmt_number(*new) if new else ""))
    return row


def _mark_duplicates(files: list[FilePreview]) -> None:
    """Two accepted files reporting on the same assignment: both are kept, the later one wins."""
    seen: dict[int, list[tuple[FilePreview, RowPreview]]] = defaultdict(list)
    for fp in files:
        if not fp.accepted:
            continue
        for row in fp.actionable:
            seen[row.assignment_id].append((fp, row))
    for aid, entries in seen.items():
        if len(entries) < 2:
            continue
        ordered = sorted(entries, key=lambda e: _file_order(e[0]))
        winner = ordered[-1][0]
        for fp, row in entries:
            others = ", ".join(f"«{o.file_name}»" for o, _ in entries if o is not fp)
            fp.warn(f"Dòng {row.excel_row}: nhiệm vụ (mã {aid}) cũng có trong tệp {others}. Cả hai báo cáo đều được "
                    f"lưu; báo cáo của tệp lập sau («{winner.file_name}») được tính là báo cáo mới nhất.", SHEET_FORM,
                    f"A{row.excel_row}")


def _file_order(fp: FilePreview) -> tuple:
    return (fp.file_time or datetime.min, fp.file_name)


def preview_files(db, paths: Iterable[str | Path], today: date, progress: Progress | None = None) -> ImportPreview:
    """Read and check every file; nothing is written."""
    progress = progress or no_progress
    paths = list(paths)
    preview = ImportPreview(today)
    seen_hashes: dict[str, str] = {}
    for i, path in enumerate(paths):
        progress(i, len(paths), f"Đang kiểm tra «{Path(path).name}»…")
        try:
            fp = read_file(db, path, today)
        except sa_exc.SQLAlchemyError as exc:  # the database failed while checking: say so per file
            log.warning("import preview of %s: %s", path, exc)
            fp = FilePreview(path=Path(path), file_name=Path(path).name)
            fp.error(f"Không kiểm tra được tệp: {database_error_text(exc)}.")
        if fp.sha256 and fp.sha256 in seen_hashes:
            fp.error(f"Tệp này giống hệt tệp «{seen_hashes[fp.sha256]}» đã chọn; chỉ nhập một lần.")
        elif fp.sha256:
            seen_hashes[fp.sha256] = fp.file_name
        preview.files.append(fp)
    _mark_duplicates(preview.files)
    progress(len(paths), len(paths), "Đã kiểm tra xong.")
    return preview


# ---------------------------------------------------------------- applying


def database_error_text(exc: BaseException) -> str:
    """Vietnamese: why the database refused a write (disk full, server gone, read-only, locked)."""
    detail = str(getattr(exc, "orig", None) or exc).strip()
    low = detail.lower()
    if "disk is full" in low or "no space" in low or getattr(exc, "errno", None) == errno.ENOSPC:
        return "ổ đĩa chứa cơ sở dữ liệu đã đầy. Hãy giải phóng dung lượng rồi nhập lại"
    if "readonly" in low or "read-only" in low or "read only" in low:
        return "cơ sở dữ liệu chỉ cho phép đọc, không ghi được"
    if "locked" in low or "busy" in low:
        return "cơ sở dữ liệu đang bận (máy khác đang ghi). Hãy thử lại sau ít phút"
    if isinstance(exc, sa_exc.DBAPIError) and exc.connection_invalidated or any(
            word in low for word in ("connection", "server closed", "terminating", "could not connect", "timeout")):
        return "mất kết nối với máy chủ cơ sở dữ liệu. Kiểm tra máy chủ và mạng nội bộ rồi nhập lại"
    first = detail.splitlines()[0] if detail else type(exc).__name__
    return f"cơ sở dữ liệu báo lỗi ({first})"


def _safe_name(name: str) -> str:
    """The received file's name as part of the kept copy's name: harmless characters only, and
    short (bytes-aware, extension kept) so that the prefix and the folder never make it too long."""
    keep = "".join(ch if ch.isalnum() or ch in " .-_()" else "-" for ch in name).strip(" .")
    return shorten_name(keep, max_bytes=110, max_chars=70) if keep else "phieu.xlsx"


def _keep_copy(db, fp: FilePreview, today: date) -> tuple[str, Path, bool]:
    """Copy the received file into the attachments; returns (relative path, path, created now)."""
    return attachments.keep_copy(db.location, fp.path, KEPT_FOLDER,
                                 f"{today:%Y%m%d}-{fp.sha256[:16]}-{_safe_name(fp.file_name)}")


def apply_preview(db, preview: ImportPreview, today: date | None = None, accept: bool = False,
                  progress: Progress | None = None) -> ApplyResult:
    """Apply every accepted file with something to change, oldest first, one transaction each.

    Never raises for a database failure: the file whose transaction failed is refused (nothing of
    it written), the import stops, and the files after it are reported as not reached."""
    progress = progress or no_progress
    today = today or preview.today
    result = ApplyResult()
    for fp in preview.files:
        if not fp.accepted:
            reason = fp.errors[0].message if fp.errors else "tệp có lỗi."
            more = len(fp.errors) - 1
            result.refused.append(FileResult(fp.file_name, applied=False, status=STATUS_REFUSED,
                                             message=reason + (f" (và {more} lỗi khác)" if more > 0 else "")))
        elif not fp.actionable:
            result.unchanged.append(FileResult(fp.file_name, applied=False, status=STATUS_UNCHANGED,
                                               message="không có gì mới để nhập."))
    files = sorted((f for f in preview.accepted if f.actionable), key=_file_order)
    touched: set[int] = set()  # changed by an earlier file of this batch: its version moved on
    for i, fp in enumerate(files):
        if result.stopped:
            result.files.append(FileResult(fp.file_name, applied=False, status=STATUS_NOT_REACHED,
                                           message="chưa nhập vì việc nhập đã dừng; sau khi khắc phục lỗi cơ sở dữ "
                                                   "liệu hãy nhập lại tệp này."))
            continue
        progress(i, len(files), f"Đang nhập «{fp.file_name}»…")
        try:
            outcome = _apply_file(db, fp, today, accept, touched)
        except (sa_exc.SQLAlchemyError, OSError) as exc:
            reason = database_error_text(exc)
            log.warning("import stopped at %s: %s", fp.file_name, exc)
            result.stopped = reason + "."
            outcome = FileResult(fp.file_name, applied=False, status=STATUS_REFUSED,
                                 message=f"không ghi được vào cơ sở dữ liệu: {reason}. Không có thay đổi nào từ tệp "
                                         "này được ghi.")
        result.files.append(outcome)
        if outcome.applied:
            touched.update(r.assignment_id for r in fp.actionable)
    progress(len(files), len(files), "Đã nhập xong." if not result.stopped else "Việc nhập đã dừng giữa chừng.")
    return result


def _apply_file(db, fp: FilePreview, today: date, accept: bool, touched: set[int]) -> FileResult:
    outcome = FileResult(fp.file_name, applied=False)
    try:
        unchanged = file_sha256(fp.path) == fp.sha256
    except OSError:
        unchanged = False
    if not unchanged:
        outcome.message = "Tệp đã thay đổi sau khi kiểm tra; hãy kiểm tra lại trước khi nhập."
        return outcome
    try:
        relative, kept, created = _keep_copy(db, fp, today)
    except OutputError as exc:
        outcome.message = exc.message
        return outcome
    try:
        with db.session(context=f"import:{fp.file_name}") as s:
            loaded = _preload(s, [row.assignment_id for row in fp.actionable])  # noqa: F841 (kept alive)
            # Every report of the file in one go (a few queries, two flushes), then the state moves:
            # the same rows and change-log entries as one report after the other.
            reported = [row for row in fp.actionable if row.action == ACTION_REPORT and row.report is not None]
            ops_results.record_reports(s, [ops_results.ReportItem(
                row.assignment_id, ops.ReportInput(**{**row.report.__dict__, "source_file": relative,
                                                      "files": [relative]}),
                expected_version=None if row.assignment_id in touched else row.version,
                accept=accept and row.choice == CHOICE_DONE) for row in reported], today)
            for row in fp.actionable:
                version = None if row.assignment_id in touched else row.version
                if row.action == ACTION_REPORT and row.report is not None:
                    done = row.choice == CHOICE_DONE
                    outcome.reports += 1
                    if not done:
                        ops.set_state(s, row.assignment_id, row.target_state, today)
                    outcome.state_changes += int(row.state_after(accept and done) != row.old_state)
                elif row.action == ACTION_STATE:
                    ops.set_state(s, row.assignment_id, row.target_state, today, expected_version=version)
                    outcome.state_changes += 1
    except (ops.ValidationError, ops.ConflictError) as exc:
        if created:
            kept.unlink(missing_ok=True)
        outcome.message = exc.message + " Không có thay đổi nào từ tệp này được ghi."
        outcome.reports = outcome.state_changes = 0
        return outcome
    except BaseException:
        if created:
            attachments.remove(kept)
        raise
    outcome.applied = True
    outcome.status = STATUS_APPLIED
    outcome.kept_copy = relative
    return outcome


def _preload(session, assignment_ids: list[int]) -> list:
    """The file's assignments and their tasks in two queries, into the session's identity map,
    so the per-row operations find them there instead of one SELECT each (140 of them for a
    70-row form). The caller keeps the returned objects alive: the identity map holds them weakly."""
    loaded: list = []
    for chunk in id_chunks(sorted(set(assignment_ids))):
        loaded.extend(session.execute(select(Assignment).where(Assignment.id.in_(chunk))).scalars())
    task_ids = sorted({a.task_id for a in loaded})
    for chunk in id_chunks(task_ids):
        loaded.extend(session.execute(select(Task).where(Task.id.in_(chunk))).scalars())
    return loaded


def is_excel_path(path: str | Path) -> bool:
    return str(path).lower().endswith((".xlsx", ".xlsm"))


__all__ = ["preview_files", "apply_preview", "is_excel_path"]
