"""«Chuyển dữ liệu»: copy a whole database into another, empty one. Qt-free.

The office that used the program on one PC (a SQLite file) moves everything to the shared
PostgreSQL server, or takes a copy of the server back into a file (a copy to take home, back to
one PC), or copies a file into another file. Both are opened with ``open_database`` (so both are
migrated to the newest schema first), then every table is copied with its ids, parents before
children, in chunks, in ONE transaction on the target: all or nothing. Before the commit the
target is checked against the source (rows per table, sums of every integer column, assignments
per state); any difference rolls everything back.

Attachments (``tep-dinh-kem/``) are files, not rows: they are not copied; the result says where
they are and where they must go.

Threading: ``copy_database`` blocks; call it from a worker thread in the UI. ``progress`` is
called on that thread.
"""

from __future__ import annotations

import errno
import logging
import os
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from sqlalchemy import Integer, Table, bindparam, func, inspect, select, text, update
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Connection, make_url
from sqlmodel import SQLModel

from db.engine import current_os_user, database_url
from db.models import Assignment, Directive, Evidence, Reminder, UnitReport
from desktop.infra import paths
from desktop.infra.database import Database, DatabaseOpenError, check_address, display_location, open_database
from desktop.infra.fileio import sqlite_files
from desktop.infra.redact import redact_text
from desktop.tracking import labels

log = logging.getLogger(__name__)

CHUNK_ROWS = 5000
# Rows an empty database may already hold (the settings saved once, and their change-log lines):
# replaced by the source's instead of refusing the copy.
REPLACEABLE = ("setting", "change_log")

Progress = Callable[[int, int, str], None]  # (rows copied so far, rows in all, Vietnamese text)


class TransferError(Exception):
    """The copy was refused or undone; ``message`` is Vietnamese and says what the target holds."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class TransferCancelled(TransferError):
    """Raised by a progress callback to stop; the target is left as it was."""

    def __init__(self, message: str = "Đã dừng chuyển dữ liệu. Nơi nhận không thay đổi."):
        super().__init__(message)


@dataclass
class TableCount:
    table: str
    label: str
    rows: int


@dataclass
class TransferResult:
    source: str  # display_location: never a password
    target: str
    tables: list[TableCount] = field(default_factory=list)
    seconds: float = 0.0
    replaced_rows: int = 0  # settings / change-log rows the empty target had, replaced
    attachment_refs: int = 0  # files named by the copied rows
    attachments_from: Path | None = None
    attachments_to: Path | None = None
    target_is_server: bool = False

    @property
    def total_rows(self) -> int:
        return sum(t.rows for t in self.tables)

    def count(self, table: str) -> int:
        return next((t.rows for t in self.tables if t.table == table), 0)

    def attachments_note(self) -> str:
        """Where the attached files are and what the officer must do with them."""
        if not self.attachment_refs:
            return "Dữ liệu không có tệp đính kèm nào; không cần chép thêm gì."
        where = f"«{self.attachments_from}»" if self.attachments_from else "thư mục dữ liệu của máy nguồn"
        if self.target_is_server:
            goal = ("vào thư mục dùng chung cho tệp đính kèm mà mọi máy cùng mở được (Cài đặt, khung Cơ sở dữ "
                    f"liệu); trên máy này hiện là «{self.attachments_to}»")
        else:
            goal = f"vào «{self.attachments_to}»"
        return (f"Tệp đính kèm ({_num(self.attachment_refs)} tệp được nhắc đến trong dữ liệu) không nằm trong cơ sở "
                f"dữ liệu nên KHÔNG được chép: chúng ở {where}. Hãy tự chép cả thư mục «{paths.ATTACHMENTS_FOLDER}» "
                f"{goal}.")

    def summary(self) -> str:
        seconds = f"{self.seconds:.1f}".replace(".", ",")
        lines = [f"Đã chuyển {_num(self.total_rows)} dòng dữ liệu trong {seconds} giây. Số dòng ở hai nơi khớp nhau.",
                 f"Từ: {self.source}", f"Sang: {self.target}"]
        lines += [f"  {t.label}: {_num(t.rows)}" for t in self.tables if t.rows]
        if self.replaced_rows:
            lines.append(f"Nơi nhận có sẵn {_num(self.replaced_rows)} dòng cài đặt/lịch sử của một cơ sở dữ liệu "
                         "trống: đã thay bằng của nguồn.")
        lines.append(self.attachments_note())
        return "\n".join(lines)


_num = labels.fmt_int


def _tables() -> list[Table]:
    """Every table of the schema, parents before children (alembic_version is not in the metadata)."""
    return [t for t in SQLModel.metadata.sorted_tables if t.name != "alembic_version"]


def _label(table: Table) -> str:
    return labels.TABLE.get(table.name, table.name)


def _same_database(first: str, second: str) -> bool:
    a, b = make_url(database_url(first)), make_url(database_url(second))
    if a.get_backend_name() != b.get_backend_name():
        return False
    if a.get_backend_name() == "sqlite":
        return Path(a.database or "").resolve() == Path(b.database or "").resolve()
    return ((a.host or "localhost").lower(), a.port or 5432, a.database) == \
        ((b.host or "localhost").lower(), b.port or 5432, b.database)


def _sqlite_file(location: str) -> Path | None:
    url = database_url(location)
    return Path(url.removeprefix("sqlite:///")) if url.startswith("sqlite") else None


# ------------------------------------------------------------------ counting and checking


def _counts(conn: Connection, tables: list[Table]) -> dict[str, int]:
    return {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one() for t in tables}


def _checksum(conn: Connection, tables: list[Table]) -> dict[str, object]:
    """What must be equal on both sides: rows and the sum of every integer column per table (ids,
    links to parents, versions, order), assignments per state, dates present."""
    sums: dict[str, object] = {}
    for table in tables:
        columns = [c for c in table.columns if isinstance(c.type, Integer)]
        row = conn.execute(select(func.count(), *[func.coalesce(func.sum(c), 0) for c in columns])
                           .select_from(table)).one()
        sums[table.name] = (int(row[0]), *(int(v) for v in row[1:]))
    a = Assignment.__table__
    states = conn.execute(select(a.c.state, func.count(), func.count(a.c.effective_due), func.count(a.c.completed_on))
                          .group_by(a.c.state).order_by(a.c.state)).all()
    sums["assignment_states"] = [tuple(r) for r in states]
    return sums


def _attachment_refs(conn: Connection) -> int:
    d, r, e, m = Directive.__table__, UnitReport.__table__, Evidence.__table__, Reminder.__table__
    total = 0
    for table, column, extra in ((d, d.c.file_path, None), (r, r.c.source_file, None),
                                 (m, m.c.file_path, None), (e, e.c.target, e.c.kind == "file")):
        stmt = select(func.count()).select_from(table).where(column != "")
        if extra is not None:
            stmt = stmt.where(extra)
        total += conn.execute(stmt).scalar_one()
    return total


def _refuse_filled_target(counts: dict[str, int], where: str) -> None:
    filled = [(name, n) for name, n in counts.items() if n and name not in REPLACEABLE]
    if not filled:
        return
    shown = list(labels.TABLE)  # units and directives first
    filled.sort(key=lambda item: shown.index(item[0]) if item[0] in shown else len(shown))
    what = ", ".join(f"{_num(n)} {labels.TABLE.get(name, name)}" for name, n in filled[:6])
    raise TransferError(f"Nơi nhận «{where}» đã có dữ liệu ({what}). Chỉ chuyển được vào một cơ sở dữ liệu trống, "
                        "để không trộn hai bộ dữ liệu. Hãy tạo một cơ sở dữ liệu mới trên máy chủ (hoặc chọn một tệp "
                        "mới) rồi chuyển lại.")


# ------------------------------------------------------------------ copying


def _stored_columns(table: Table, generated: frozenset[str] = frozenset()) -> list:
    """The columns a row is written with: not those the database computes itself (GENERATED),
    whether the model says so or only the target's schema (``generated``: names it reports)."""
    return [c for c in table.columns if c.computed is None and c.name not in generated]


def _generated_columns(conn: Connection, table: Table) -> frozenset[str]:
    return frozenset(c["name"] for c in inspect(conn).get_columns(table.name) if c.get("computed"))


def _source_rows(conn: Connection, table: Table, columns: list):
    """The rows of a table (tuples in the order of :func:`_stored_columns`) in chunks, in
    primary-key order. Tables keyed by an integer ``id`` are read a chunk at a time
    (``id > last``), so a 200,000-row table never sits in memory at once."""
    key = list(table.primary_key.columns)
    if len(key) == 1 and isinstance(key[0].type, Integer):
        position = columns.index(key[0])
        last = None
        while True:
            stmt = select(*columns).order_by(key[0]).limit(CHUNK_ROWS)
            if last is not None:
                stmt = stmt.where(key[0] > last)
            rows = [tuple(r) for r in conn.execute(stmt)]
            if not rows:
                return
            yield rows
            last = rows[-1][position]
            if len(rows) < CHUNK_ROWS:
                return
    else:
        rows = [tuple(r) for r in conn.execute(select(*columns).order_by(*key))]
        for i in range(0, len(rows), CHUNK_ROWS):
            yield rows[i:i + CHUNK_ROWS]


def _self_links(table: Table) -> list[str]:
    """Columns pointing at the same table (unit.parent_id, unit.merged_into_id)."""
    return sorted({fk.parent.name for fk in table.foreign_keys if fk.column.table is table})


class _Writer:
    """``INSERT`` of many rows as plain tuples straight to the driver, each value converted for
    the target's dialect by the column type's own bind processor (dates, UTC datetimes,
    booleans). Core's ``insert(table)`` with dictionaries does the same but spends twice the time
    building and checking a parameter dictionary per row (profiled: 527,000 rows)."""

    def __init__(self, target: Connection, table: Table, columns: list):
        dialect = target.dialect
        quote = dialect.identifier_preparer.quote
        mark = "?" if dialect.paramstyle == "qmark" else "%s"
        self.target = target
        names = f"{dialect.identifier_preparer.format_table(table)} ({', '.join(quote(c.name) for c in columns)})"
        self.sql = f"INSERT INTO {names} VALUES ({', '.join([mark] * len(columns))})"
        # PostgreSQL: COPY, the server's own bulk load, three times faster than INSERTs of the same rows
        self.copy_sql = f"COPY {names} FROM STDIN" if dialect.name == "postgresql" else None
        self.processors = [c.type.dialect_impl(dialect).bind_processor(dialect) for c in columns]
        self.convert = [(i, p) for i, p in enumerate(self.processors) if p is not None]

    def write(self, rows: list[tuple]) -> None:
        if self.convert:
            converted = []
            for row in rows:
                values = list(row)
                for i, process in self.convert:
                    values[i] = process(values[i])
                converted.append(tuple(values))
            rows = converted
        if self.copy_sql is None:
            self.target.exec_driver_sql(self.sql, rows)
            return
        driver = self.target.connection.driver_connection  # psycopg 3, inside the open transaction
        try:
            with driver.cursor() as cursor, cursor.copy(self.copy_sql) as copy:
                for row in rows:
                    copy.write_row(row)
        except self.target.dialect.loaded_dbapi.Error as exc:
            raise sa_exc.DBAPIError(self.copy_sql, None, exc) from exc


def _copy_table(source: Connection, target: Connection, table: Table, on_rows: Callable[[int], None]) -> int:
    """Insert every row with its id. A row may point at a row of its own table with a higher id
    (a unit moved under a group created later): such links are written NULL first and set once
    every row is in."""
    columns = _stored_columns(table, _generated_columns(target, table))
    names = [c.name for c in columns]
    links = [names.index(name) for name in _self_links(table)]
    id_at = names.index("id") if "id" in names else None
    writer = _Writer(target, table, columns)
    pending: list[dict] = []
    copied = 0
    for chunk in _source_rows(source, table, columns):
        if links:
            for n, row in enumerate(chunk):
                if any(row[i] is not None for i in links):
                    pending.append({"_id": row[id_at], **{f"_{names[i]}": row[i] for i in links}})
                    values = list(row)
                    for i in links:
                        values[i] = None
                    chunk[n] = tuple(values)
        try:
            writer.write(chunk)
        except sa_exc.DBAPIError as exc:
            raise _row_error(table, [r[id_at] for r in chunk] if id_at is not None else [], exc) from exc
        copied += len(chunk)
        on_rows(len(chunk))
    if pending:
        stmt = (update(table).where(table.c.id == bindparam("_id"))
                .values({names[i]: bindparam(f"_{names[i]}") for i in links}))
        try:
            target.execute(stmt, pending)
        except sa_exc.DBAPIError as exc:
            raise _row_error(table, [p["_id"] for p in pending], exc) from exc
    return copied


def _row_error(table: Table, ids: list, exc: sa_exc.DBAPIError) -> TransferError:
    detail = str(getattr(exc, "orig", exc)).strip().splitlines()
    span = f" (các dòng mã {ids[0]}–{ids[-1]})" if ids else ""
    log.error("transfer: insert into %s failed: %s", table.name, exc)
    return TransferError(f"Không chép được bảng «{_label(table)}»{span}: {detail[0] if detail else type(exc).__name__}. "
                         "Đã hủy toàn bộ; nơi nhận không thay đổi.")


def _move_sequences(target: Connection, tables: list[Table]) -> None:
    """PostgreSQL: ids were given explicitly, so each id sequence still starts at 1; move it past
    the copied ids or the next record added would collide (duplicate key)."""
    for table in tables:
        key = list(table.primary_key.columns)
        if len(key) != 1 or not isinstance(key[0].type, Integer):
            continue
        target.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{table.name}', '{key[0].name}'), "
            f"COALESCE((SELECT max({key[0].name}) FROM {table.name}), 0) + 1, false)"))


# ------------------------------------------------------------------ the use case


def copy_database(source: str, target: str, progress: Progress | None = None) -> TransferResult:
    """Copy every row of ``source`` into the empty database ``target`` (file paths or
    ``postgresql://`` URLs). Raises ``TransferError`` (Vietnamese) and leaves the target without
    any data of ours when refused or when anything fails; a SQLite file created for the copy is
    removed again."""
    started = time.perf_counter()
    source, target = str(source).strip(), str(target).strip()
    if not source or not target:
        raise TransferError("Chưa nói rõ chuyển dữ liệu từ đâu sang đâu.")
    for location, role in ((source, "nguồn"), (target, "nhận")):
        try:  # before anything is created: a malformed URL must not become a folder
            check_address(location)
        except DatabaseOpenError as exc:
            raise TransferError(f"Nơi {role}: {exc.message}") from exc
    try:
        same = _same_database(source, target)
    except Exception as exc:  # a URL SQLAlchemy cannot read
        raise TransferError(redact_text(f"Địa chỉ cơ sở dữ liệu không hợp lệ: {exc}")) from exc
    if same:
        raise TransferError(f"Nơi nhận «{display_location(target)}» chính là cơ sở dữ liệu nguồn.")
    new_file = _sqlite_file(target)
    created = new_file is not None and not new_file.exists()
    filling = target
    if created:
        # A new file is filled under a temporary name and takes its own name only when whole: a
        # run killed half-way (no cleanup runs) leaves no empty database where the officer asked
        # for the copy, only ".~<name>.tmp", removed by the next transfer or the start-up clean-up.
        temporary = _filling_name(new_file)
        _remove_sqlite_file(temporary)  # a killed run's
        filling = str(temporary)
    src = _open(source, "nguồn", create=False)
    try:
        try:
            dst = _open(filling, "nhận", create=True)
        except TransferError:
            if created:
                _remove_sqlite_file(temporary)
            raise
        try:
            result = _copy(src, dst, progress)
        except BaseException as exc:
            dst.dispose()
            if created:
                _remove_sqlite_file(temporary)
            if isinstance(exc, sa_exc.SQLAlchemyError):  # e.g. the commit itself failed, or the server went away
                log.error("transfer failed", exc_info=True)
                detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()
                raise TransferError(f"Không chuyển được dữ liệu: {detail[0] if detail else type(exc).__name__}. "
                                    "Đã hủy toàn bộ; nơi nhận không thay đổi.") from exc
            raise
        dst.dispose()
        if created:
            try:
                _finish_file(temporary, new_file)
            except OSError as exc:
                _remove_sqlite_file(temporary)
                raise TransferError(f"Không đặt được tên «{new_file.name}» cho tệp đã chép ({exc.strerror or exc}). "
                                    "Đã hủy; nơi nhận không thay đổi.") from exc
            result.target = display_location(str(new_file))
    finally:
        src.dispose()
    result.seconds = time.perf_counter() - started
    log.info("transfer %s -> %s: %d rows in %.1f s", result.source, result.target, result.total_rows, result.seconds)
    return result


def _open(location: str, role: str, create: bool) -> Database:
    try:
        # ``user``: nothing is written through the ORM, so no officer name (and no per-PC file read)
        return open_database(location, create=create, user=current_os_user())
    except DatabaseOpenError as exc:  # a damaged file: its own message, which names the file
        if role == "nguồn":
            raise TransferError(exc.message) from exc
        raise TransferError(f"Không mở được nơi nhận: {exc.message}") from exc


def _filling_name(path: Path) -> Path:
    return path.with_name(f".~{path.name}.tmp")


def _finish_file(temporary: Path, final: Path) -> None:
    """The filled file under its own name, its write-ahead log folded in first (a journal left
    beside the temporary name would be lost by the rename); a target that appeared meanwhile is
    never overwritten."""
    con = sqlite3.connect(str(temporary))
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        con.close()  # the last connection: SQLite removes the -wal and -shm
    if any(Path(str(temporary) + suffix).exists() for suffix in ("-wal", "-journal")):
        raise OSError(errno.EBUSY, "nhật ký ghi của tệp chưa gộp xong")
    if final.exists():
        raise FileExistsError(errno.EEXIST, "đã có một tệp trùng tên")
    os.replace(temporary, final)


def _remove_sqlite_file(path: Path) -> None:
    for file in sqlite_files(path):
        try:
            file.unlink(missing_ok=True)
        except OSError:  # e.g. still mapped on Windows: an empty database stays, harmless
            log.warning("could not remove %s after a failed transfer", file)


def _copy(src: Database, dst: Database, progress: Progress | None) -> TransferResult:
    tables = _tables()
    result = TransferResult(display_location(src.location), display_location(dst.location),
                            target_is_server=paths.is_server(dst.location))
    report = progress or (lambda done, total, message: None)
    source_conn = src.engine.connect()
    if src.engine.dialect.name == "postgresql":  # one snapshot of a database others are writing
        source_conn = source_conn.execution_options(isolation_level="REPEATABLE READ")
    try:
        with source_conn.begin():
            counts = _counts(source_conn, tables)
            total = sum(counts.values())
            if not counts.get("unit") and not counts.get("directive"):
                raise TransferError(f"Cơ sở dữ liệu nguồn «{result.source}» chưa có dữ liệu (không có đơn vị, văn "
                                    "bản chỉ đạo nào): không có gì để chuyển.")
            expected = _checksum(source_conn, tables)
            result.attachment_refs = _attachment_refs(source_conn)
            with dst.engine.begin() as target_conn:
                present = _counts(target_conn, tables)
                _refuse_filled_target(present, result.target)
                result.replaced_rows = sum(present[name] for name in REPLACEABLE)
                for name in REPLACEABLE:
                    if present[name]:
                        target_conn.execute(SQLModel.metadata.tables[name].delete())
                done = 0
                for table in tables:
                    label = _label(table)
                    report(done, total, f"Đang chép {label}…")

                    def on_rows(n: int, label=label) -> None:
                        nonlocal done
                        done += n
                        report(done, total, f"Đang chép {label}…")

                    copied = _copy_table(source_conn, target_conn, table, on_rows)
                    result.tables.append(TableCount(table.name, label, copied))
                report(done, total, "Đang đối chiếu hai nơi…")
                if dst.engine.dialect.name == "postgresql":
                    _move_sequences(target_conn, tables)
                _verify(counts, expected, _counts(target_conn, tables), _checksum(target_conn, tables), result)
                shown = list(labels.TABLE)
                result.tables.sort(key=lambda t: shown.index(t.table) if t.table in shown else len(shown))
                report(total, total, "Đang ghi hẳn vào nơi nhận…")
    finally:
        source_conn.close()
    if dst.engine.dialect.name == "postgresql":
        _analyze(dst)
    result.attachments_from = paths.attachments_dir(src.location)
    result.attachments_to = paths.attachments_dir(dst.location)
    return result


def _verify(counts: dict[str, int], expected: dict, found_counts: dict[str, int], found: dict,
            result: TransferResult) -> None:
    """Still inside the target's transaction: raising here rolls every copied row back."""
    wrong = [name for name in counts if counts[name] != found_counts[name]
             or counts[name] != result.count(name)]
    if wrong:
        what = ", ".join(f"{labels.TABLE.get(n, n)}: nguồn {_num(counts[n])}, nơi nhận {_num(found_counts[n])}"
                         for n in wrong)
        raise TransferError(f"Số dòng hai nơi không khớp ({what}). Đã hủy toàn bộ; nơi nhận không thay đổi.")
    differing = [key for key in expected if expected[key] != found[key]]
    if differing:
        log.error("transfer checksum differs: %s", {k: (expected[k], found[k]) for k in differing})
        names = ", ".join(labels.TABLE.get(k, "trạng thái các lượt giao") for k in differing)
        raise TransferError(f"Dữ liệu chép sang không khớp với nguồn ({names}). Đã hủy toàn bộ; nơi nhận không thay "
                            "đổi.")


def _analyze(dst: Database) -> None:
    # Fresh statistics for the query planner at once (autovacuum would take minutes).
    try:
        with dst.engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE"))
    except sa_exc.SQLAlchemyError:
        log.warning("ANALYZE after the transfer failed", exc_info=True)
