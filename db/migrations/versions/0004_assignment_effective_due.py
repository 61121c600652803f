"""assignment.effective_due: the deadline in force stored, with covering indexes for status figures

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: Union[str, None] = "0003"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table("assignment") as batch_op:
        batch_op.add_column(sa.Column("effective_due", sa.Date(), nullable=True))
    # Existing rows: the newest extension's deadline, else the own one (the rule of db.derived, written
    # out here so this revision never changes with the app's code).
    op.execute(
        "UPDATE assignment SET effective_due = COALESCE((SELECT e.new_due FROM extension e "
        "WHERE e.assignment_id = assignment.id ORDER BY e.id DESC LIMIT 1), due_date)")
    op.create_index("ix_assignment_unit_status", "assignment",
                    ["unit_id", "state", "effective_due", "completed_on"], unique=False)
    op.create_index("ix_assignment_task_status", "assignment",
                    ["task_id", "period", "state", "effective_due", "completed_on"], unique=False)
    op.create_index("ix_assignment_effective_due", "assignment", ["effective_due"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_assignment_effective_due", table_name="assignment")
    op.drop_index("ix_assignment_task_status", table_name="assignment")
    op.drop_index("ix_assignment_unit_status", table_name="assignment")
    with op.batch_alter_table("assignment") as batch_op:
        batch_op.drop_column("effective_due")
