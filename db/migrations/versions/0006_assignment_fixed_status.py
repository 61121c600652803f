"""assignment.fixed_status: the settled status stored; status figures split into settled and open

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: Union[str, None] = "0005"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# db.models.FIXED_STATUS_SQL, OPEN_STATE_SQL, LEAD_ROLE_SQL and UNDATED_DONE_SQL as they were at this revision.
_FIXED = (
    "CASE WHEN state = 'tam_dung' THEN 'paused' WHEN state = 'huy' THEN 'cancelled' "
    "WHEN state = 'hoan_thanh' AND (effective_due IS NULL OR completed_on <= effective_due) THEN 'on_time' "
    "WHEN state = 'hoan_thanh' AND completed_on IS NOT NULL THEN 'late' END"
)
_OPEN = "state NOT IN ('hoan_thanh', 'tam_dung', 'huy')"
_LEAD = "role = 'chu_tri'"
_UNDATED = "state = 'hoan_thanh' AND completed_on IS NULL AND effective_due IS NOT NULL"


def upgrade() -> None:
    op.add_column("assignment", sa.Column("fixed_status", sa.String(length=12), nullable=True))  # no table copy
    op.execute(f"UPDATE assignment SET fixed_status = {_FIXED}")
    op.drop_index("ix_assignment_unit_status", table_name="assignment")
    op.drop_index("ix_assignment_task_status", table_name="assignment")
    op.create_index("ix_assignment_unit_fixed", "assignment", ["unit_id", "fixed_status"], unique=False)
    op.create_index("ix_assignment_task_fixed", "assignment",
                    ["task_id", "period", "fixed_status", "effective_due", "completed_on"], unique=False)
    op.create_index("ix_assignment_open_task", "assignment", ["task_id", "period", "effective_due", "state"],
                    unique=False, sqlite_where=sa.text(_OPEN), postgresql_where=sa.text(_OPEN))
    op.create_index("ix_assignment_lead", "assignment", ["task_id", "unit_id"], unique=False,
                    sqlite_where=sa.text(_LEAD), postgresql_where=sa.text(_LEAD))
    op.create_index("ix_assignment_undated_done", "assignment", ["state", "effective_due"], unique=False,
                    sqlite_where=sa.text(_UNDATED), postgresql_where=sa.text(_UNDATED))


def downgrade() -> None:
    op.drop_index("ix_assignment_lead", table_name="assignment")
    op.drop_index("ix_assignment_undated_done", table_name="assignment")
    op.drop_index("ix_assignment_open_task", table_name="assignment")
    op.drop_index("ix_assignment_task_fixed", table_name="assignment")
    op.drop_index("ix_assignment_unit_fixed", table_name="assignment")
    op.create_index("ix_assignment_task_status", "assignment",
                    ["task_id", "period", "state", "effective_due", "completed_on"], unique=False)
    op.create_index("ix_assignment_unit_status", "assignment",
                    ["unit_id", "state", "effective_due", "completed_on"], unique=False)
    with op.batch_alter_table("assignment") as batch_op:
        batch_op.drop_column("fixed_status")
