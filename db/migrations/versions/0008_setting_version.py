"""setting: version (optimistic locking), changed_by and changed_at (who changed a setting last)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03
"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0008"
down_revision: Union[str, None] = "0007"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    # Plain ADD COLUMN with server defaults: no table copy on SQLite, existing rows get version 1.
    op.add_column("setting", sa.Column("changed_by", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False, server_default=""))
    op.add_column("setting", sa.Column("changed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
    op.add_column("setting", sa.Column("version", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    with op.batch_alter_table("setting") as batch:
        batch.drop_column("version")
        batch.drop_column("changed_at")
        batch.drop_column("changed_by")
