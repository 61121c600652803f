"""partial indexes of the open assignments: the overdue list and the tree's overdue counts

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: Union[str, None] = "0004"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# The same literal text as db.models.OPEN_STATE_SQL at the time of this revision.
_OPEN = "state NOT IN ('hoan_thanh', 'tam_dung', 'huy')"


def upgrade() -> None:
    where = {"sqlite_where": sa.text(_OPEN), "postgresql_where": sa.text(_OPEN)}
    op.create_index("ix_assignment_open_due", "assignment", ["effective_due", "unit_id"], unique=False, **where)
    op.create_index("ix_assignment_open_unit", "assignment", ["unit_id", "effective_due", "state"], unique=False,
                    **where)


def downgrade() -> None:
    op.drop_index("ix_assignment_open_unit", table_name="assignment")
    op.drop_index("ix_assignment_open_due", table_name="assignment")
