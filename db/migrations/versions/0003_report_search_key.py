"""unit_report.search_key: accent-free key so results can be found by typing without diacritics

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: Union[str, None] = "0002"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table("unit_report") as batch_op:
        batch_op.add_column(sa.Column("search_key", sa.String(length=4000), nullable=False, server_default=""))
        batch_op.create_index("ix_unit_report_search_key", ["search_key"], unique=False)
    # Existing rows get their key from the same function the app uses.
    from db.textkey import search_key

    conn = op.get_bind()
    rows = conn.execute(sa.text("select id, unit_doc_number, content from unit_report")).fetchall()
    for rid, number, content in rows:
        conn.execute(sa.text("update unit_report set search_key = :k where id = :i"),
                     {"k": search_key(number, (content or "")[:1000]), "i": rid})


def downgrade() -> None:
    with op.batch_alter_table("unit_report") as batch_op:
        batch_op.drop_index("ix_unit_report_search_key")
        batch_op.drop_column("search_key")
