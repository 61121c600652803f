"""Search over units, directives, tasks and results (a folded-text index of the reports)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import (
    Directive,
    Task,
    Unit,
    UnitReport,
)
from db.queries import (
    search_ids,
)
from db.textkey import fold, query_terms
from desktop.tracking.board.filters import (
    fetch_rows,
    shorten,
)

# ---------------------------------------------------------------- search


@dataclass(frozen=True)
class SearchHit:
    kind: str  # "unit" | "directive" | "task" | "result"
    id: int  # unit, directive, task or assignment id
    title: str
    detail: str
    report_id: int | None = None
    directive_id: int | None = None  # for tasks and results: where to find them


@dataclass
class SearchResults:
    units: list[SearchHit] = field(default_factory=list)
    directives: list[SearchHit] = field(default_factory=list)
    tasks: list[SearchHit] = field(default_factory=list)
    results: list[SearchHit] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.units) + len(self.directives) + len(self.tasks) + len(self.results)

    def all(self) -> list[SearchHit]:
        return self.units + self.directives + self.tasks + self.results


def _fold_table() -> dict[int, str | None]:
    """Translation of every precomposed Latin letter to its folded form, and of combining marks to nothing."""
    table: dict[int, str | None] = {}
    for code in list(range(0x00C0, 0x0250)) + list(range(0x1E00, 0x1F00)):
        ch = chr(code)
        folded = fold(ch)
        if folded != ch:
            table[code] = folded
    for code in range(0x0300, 0x0370):
        table[code] = None
    return table


_FOLD_TABLE = _fold_table()


def fast_fold(text: str) -> str:
    """``db.textkey.fold`` for long texts without its per-character Unicode lookups (about ten
    times faster); equal to ``fold`` on Vietnamese text (tested), spaces left as they are."""
    return text.translate(_FOLD_TABLE).casefold()


class ReportIndex:
    """Folded text of every unit report, kept in memory for accent-free search.

    Reports carry no stored search key, and SQL cannot fold Vietnamese, so the text is folded
    here once and then only new reports (higher ids) are added on ``refresh``. Not thread-safe:
    refresh and search from one thread at a time.
    """

    def __init__(self) -> None:
        self._ids: list[int] = []
        self._assignments: list[int] = []
        self._keys: list[str] = []
        self._last_id = 0

    def __len__(self) -> int:
        return len(self._ids)

    def refresh(self, session: Session) -> None:
        count, max_id = session.execute(select(func.count(UnitReport.id), func.max(UnitReport.id))).one()
        if (max_id or 0) < self._last_id or count < len(self._ids):
            self.__init__()  # reports were deleted (e.g. a restored backup): start again
        self._load_after(session)
        if len(self._ids) != count:  # some deleted and others added since: start again
            self.__init__()
            self._load_after(session)

    def _load_after(self, session: Session) -> None:
        stmt = (select(UnitReport.id, UnitReport.assignment_id, UnitReport.unit_doc_number, UnitReport.content)
                .where(UnitReport.id > self._last_id).order_by(UnitReport.id))
        for rid, aid, doc_number, content in session.execute(stmt):
            self._ids.append(rid)
            self._assignments.append(aid)
            self._keys.append(fast_fold(f"{doc_number} {content}"))
            self._last_id = rid

    def search(self, query: str, limit: int = 50) -> list[tuple[int, int]]:
        """(report id, assignment id) of reports containing every term, newest first."""
        terms = query_terms(query)
        if not terms:
            return []
        found: list[tuple[int, int]] = []
        seen: set[int] = set()
        first, rest = terms[0], terms[1:]
        keys = self._keys
        for i in range(len(keys) - 1, -1, -1):
            key = keys[i]
            if first in key and all(t in key for t in rest):
                aid = self._assignments[i]
                if aid in seen:
                    continue
                seen.add(aid)
                found.append((self._ids[i], aid))
                if len(found) >= limit:
                    break
        return found


def search(session: Session, query: str, index: ReportIndex | None = None, limit: int = 50) -> SearchResults:
    """Units, directives, tasks and results matching an accent-free query ("dong khe", "ubnd")."""
    results = SearchResults()
    if not query_terms(query):
        return results
    unit_ids = search_ids(session, Unit, query, limit)
    if unit_ids:
        for u in session.execute(select(Unit).where(Unit.id.in_(unit_ids))).scalars():
            detail = "Nhóm đơn vị" if u.is_group else u.code
            if not u.active:
                detail += " · đã lưu trữ"
            results.units.append(SearchHit("unit", u.id, u.name, detail))
        results.units.sort(key=lambda h: fold(h.title))
    directive_ids = search_ids(session, Directive, query, limit)
    if directive_ids:
        for d in session.execute(select(Directive).where(Directive.id.in_(directive_ids))).scalars():
            results.directives.append(SearchHit("directive", d.id, d.number, d.title))
        results.directives.sort(key=lambda h: fold(h.title))
    task_ids = search_ids(session, Task, query, limit)
    if task_ids:
        for t_id, title, number, directive_id in session.execute(
                select(Task.id, Task.title, Directive.number, Directive.id)
                .join(Directive, Directive.id == Task.directive_id)
                .where(Task.id.in_(task_ids)).order_by(Directive.number, Task.sort_order)):
            results.tasks.append(SearchHit("task", t_id, title, number, directive_id=directive_id))
    if index is not None:
        index.refresh(session)
        hits = index.search(query, limit)
        if hits:
            aids = [aid for _, aid in hits]
            info = {a.assignment_id: a for a in fetch_rows(session, assignment_ids=aids)}
            contents = dict(session.execute(
                select(UnitReport.id, UnitReport.content).where(UnitReport.id.in_([r for r, _ in hits]))).all())
            for rid, aid in hits:
                row = info.get(aid)
                if row is None:
                    continue
                results.results.append(SearchHit(
                    "result", aid, f"{row.unit_short_name or row.unit_name} — {row.task_title}",
                    shorten(contents.get(rid) or "", 160), report_id=rid, directive_id=row.directive_id))
    return results
