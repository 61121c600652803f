import sqlite3

from alembic import command
from sqlalchemy import inspect

from db.engine import make_engine
from db.migrate import SCHEMA_HEAD, alembic_config, current_revision, head_revision, stored_revision, upgrade
from desktop.infra.database import open_database


def test_fresh_database_reaches_head_and_matches_models(tmp_path):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    engine = make_engine(tmp_path / "new.db")
    assert upgrade(engine) is None  # nothing to back up on a new file
    assert current_revision(engine) == head_revision()
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), SQLModel.metadata) == []
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()


def _at_revision(tmp_path, revision: str):
    """A new SQLite file migrated only up to ``revision``: (path, engine)."""
    path = tmp_path / "cu.db"
    engine = make_engine(path)
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
    return path, engine


# A unit, a directive and a task as the first revisions stored them (the columns did not change since).
_ONE_TASK_SQL = """
        insert into unit (id, is_group, kind, code, name, short_name, sort_order, contact_person, phone, email,
                          aliases, active, search_key, version)
             values (1, 0, 'phuong', 'P-DK', 'UBND phường Đông Khê', '', 1, '', '', '', '', 1, '', 1);
        insert into directive (id, number, issuer, doc_type, title, file_path, notes, search_key, created_at, version)
             values (1, '234/KH-UBND', 'UBND thành phố', 'ke_hoach', 'Ngày CĐS', '', '', '', '2024-01-01', 1);
        insert into task (id, directive_id, sort_order, title, content, kind, recurrence, search_key, version)
             values (1, 1, 1, 'Tuyên truyền', '', 'mot_lan', '', '', 1);
"""


def test_migrating_a_database_with_data_keeps_every_row(tmp_path):
    path, engine = _at_revision(tmp_path, "0001")
    raw = sqlite3.connect(path)
    raw.executescript(_ONE_TASK_SQL + """
        insert into assignment (id, task_id, unit_id, period, role, state, note, version)
             values (1, 1, 1, '', 'thuc_hien', 'chua_thuc_hien', '', 1);
        insert into unit_report (id, assignment_id, received_on, channel, unit_doc_number, content, source_file,
                                 created_at, version)
             values (1, 1, '2024-10-09', 'giay', '45/BC-UBND', 'Đã phát thanh 12 buổi trên loa phường', '',
                     '2024-10-09', 1);
    """)
    raw.commit()
    raw.close()
    backup = upgrade(engine, backup_dir=tmp_path / "sao lưu")
    assert current_revision(engine) == head_revision()
    assert backup is not None and backup.exists()
    with engine.connect() as conn:
        # The directive table was recreated by a batch migration: its children must survive.
        assert conn.exec_driver_sql("select count(*) from task").scalar() == 1
        assert conn.exec_driver_sql("select count(*) from assignment").scalar() == 1
        assert "received_on" in {c["name"] for c in inspect(conn).get_columns("directive")}
        # 0003 fills the search key of existing reports with the app's own folding.
        key = conn.exec_driver_sql("select search_key from unit_report").scalar()
        assert "da phat thanh 12 buoi tren loa phuong" in key
        assert conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()
    old = sqlite3.connect(backup)
    assert old.execute("select version_num from alembic_version").fetchone()[0] == "0001"
    old.close()


def test_0004_to_0006_store_the_deadline_in_force_and_the_settled_status_of_existing_assignments(tmp_path):
    path, engine = _at_revision(tmp_path, "0003")
    raw = sqlite3.connect(path)
    raw.executescript(_ONE_TASK_SQL + """
        insert into assignment (id, task_id, unit_id, period, role, due_date, state, note, version) values
            (1, 1, 1, '', 'thuc_hien', '2024-10-10', 'chua_thuc_hien', '', 1),
            (2, 1, 1, '2024-10', 'thuc_hien', '2024-10-31', 'chua_thuc_hien', '', 1),
            (3, 1, 1, '2024-11', 'thuc_hien', null, 'chua_thuc_hien', '', 1);
        insert into assignment (id, task_id, unit_id, period, role, due_date, state, completed_on, note, version) values
            (4, 1, 1, '2024-12', 'thuc_hien', '2024-12-10', 'hoan_thanh', '2024-12-12', '', 1),
            (5, 1, 1, '2025-01', 'thuc_hien', '2025-01-10', 'hoan_thanh', '2025-01-10', '', 1),
            (6, 1, 1, '2025-02', 'thuc_hien', '2025-02-10', 'huy', null, '', 1);
        insert into extension (id, assignment_id, old_due, new_due, reason, approving_doc, granted_on, created_at)
             values (1, 2, '2024-10-31', '2024-11-10', 'Mưa bão', '', '2024-10-20', '2024-10-20'),
                    (2, 2, '2024-11-10', '2024-11-20', 'Chờ kinh phí', '', '2024-11-05', '2024-11-05');
    """)
    raw.commit()
    raw.close()
    upgrade(engine, backup_dir=tmp_path / "sao lưu")
    with engine.connect() as conn:
        rows = conn.exec_driver_sql("select id, effective_due, fixed_status from assignment order by id").fetchall()
        assert rows[:3] == [(1, "2024-10-10", None), (2, "2024-11-20", None), (3, None, None)]  # newest extension
        # 0006: the settled status is computed by the database for existing rows too
        assert [r[2] for r in rows[3:]] == ["late", "on_time", "cancelled"]
        indexes = {i["name"]: i["column_names"] for i in inspect(conn).get_indexes("assignment")}
        names = set(indexes)
        # 0009: the deadline joins the unit's settled-status index (counts within a period)
        assert indexes["ix_assignment_unit_fixed"] == ["unit_id", "fixed_status", "effective_due"]
        assert {"ix_assignment_unit_fixed", "ix_assignment_task_fixed", "ix_assignment_effective_due",
                "ix_assignment_open_due", "ix_assignment_open_unit", "ix_assignment_open_task"} <= names
    engine.dispose()


def test_open_database_twice_is_idempotent(tmp_path):
    first = open_database(tmp_path / "a.db")
    first.dispose()
    second = open_database(tmp_path / "a.db")
    assert current_revision(second.engine) == head_revision()
    second.dispose()


def test_schema_head_constant_is_alembics_head_and_read_without_alembic(tmp_path):
    assert SCHEMA_HEAD == head_revision()  # a new migration must move SCHEMA_HEAD too
    engine = make_engine(tmp_path / "x.db")
    assert stored_revision(engine) is None  # no alembic_version table yet
    upgrade(engine)
    assert stored_revision(engine) == current_revision(engine) == SCHEMA_HEAD
    engine.dispose()
