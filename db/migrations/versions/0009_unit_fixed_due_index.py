"""assignment: ix_assignment_unit_fixed becomes (unit_id, fixed_status, effective_due) of the settled rows

The dashboard counts the settled assignments per unit within the period shown (a deadline range);
with the deadline in the index the count reads the index alone, in unit order, instead of looking up
every row of the period in the table; holding only the settled rows (WHERE fixed_status IS NOT NULL,
130,000 of 200,000 at city scale) it is a third smaller to read. Settled part 26 -> 11 ms.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: Union[str, None] = "0008"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

SETTLED_SQL = "fixed_status IS NOT NULL"  # as db.models.SETTLED_SQL when written


def upgrade() -> None:
    op.drop_index("ix_assignment_unit_fixed", table_name="assignment")
    op.create_index("ix_assignment_unit_fixed", "assignment", ["unit_id", "fixed_status", "effective_due"],
                    unique=False, sqlite_where=sa.text(SETTLED_SQL), postgresql_where=sa.text(SETTLED_SQL))


def downgrade() -> None:
    op.drop_index("ix_assignment_unit_fixed", table_name="assignment")
    op.create_index("ix_assignment_unit_fixed", "assignment", ["unit_id", "fixed_status"], unique=False)
