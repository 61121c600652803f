"""directive.received_on: the day the office received the directive (ngày đến)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: Union[str, None] = "0001"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def _recreate() -> str:
    # "always" on SQLite: the table is copied and dropped, which is what the foreign-keys-off
    # guard in db.migrate protects the child rows (task -> directive) from. PostgreSQL alters the
    # table in place: a copy-and-drop there fails on the foreign keys that point at it.
    return "always" if op.get_bind().dialect.name == "sqlite" else "auto"


def upgrade() -> None:
    with op.batch_alter_table("directive", recreate=_recreate()) as batch_op:
        batch_op.add_column(sa.Column("received_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("directive", recreate=_recreate()) as batch_op:
        batch_op.drop_column("received_on")
