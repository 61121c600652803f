"""directive.identity_key: a directive is one by its number, issuer and date (unique index)

Existing duplicates are kept as they are: the oldest of each group gets the key, the later copies
get none (NULL never clashes), so nothing old is refused and every new copy is.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""
import re
import unicodedata
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: Union[str, None] = "0006"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

_SPACES = re.compile(r"\s+")


def _identity(number, issuer, issued_on) -> str:
    # db.textkey.directive_identity as it was at this revision.
    num = unicodedata.normalize("NFC", unicodedata.normalize("NFC", number or "").casefold())
    who = unicodedata.normalize("NFC", unicodedata.normalize("NFC", issuer or "").casefold())
    day = str(issued_on)[:10] if issued_on else ""
    return f"{_SPACES.sub('', num)}|{_SPACES.sub(' ', who).strip()}|{day}"


def upgrade() -> None:
    op.add_column("directive", sa.Column("identity_key", sa.String(length=400), nullable=True))  # no table copy
    conn = op.get_bind()
    seen: set[str] = set()
    rows = conn.execute(sa.text("SELECT id, number, issuer, issued_on FROM directive ORDER BY id")).fetchall()
    for row in rows:
        key = _identity(row.number, row.issuer, row.issued_on)
        if key in seen:
            continue
        seen.add(key)
        conn.execute(sa.text("UPDATE directive SET identity_key = :k WHERE id = :i"), {"k": key, "i": row.id})
    op.create_index("ix_directive_identity_key", "directive", ["identity_key"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_directive_identity_key", table_name="directive")
    with op.batch_alter_table("directive") as batch_op:
        batch_op.drop_column("identity_key")
