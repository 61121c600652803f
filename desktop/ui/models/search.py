"""The search panel's results."""

from __future__ import annotations

from PySide6.QtCore import Qt

from desktop.tracking.board import SearchHit, SearchResults
from desktop.ui.models.base import _TOOLTIP, _USER, _SortedTableModel

# ---------------------------------------------------------------- search results


_KIND_LABELS = {"unit": "Đơn vị", "directive": "Văn bản", "task": "Nhiệm vụ", "result": "Kết quả"}


class SearchResultsModel(_SortedTableModel):
    """Flat list of hits, in the order units, directives, tasks, results; no sorting by header."""

    COLUMNS = ("Kết quả tìm kiếm",)

    def key_of(self, row: SearchHit):
        return (row.kind, row.id, row.report_id)

    def set_results(self, results: SearchResults) -> None:
        self.set_rows(results.all())

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        return  # grouped order is meaningful; not sortable

    def _cell(self, row: SearchHit, column: int):
        return f"{_KIND_LABELS.get(row.kind, row.kind)}: {row.title}"

    def _other(self, row: SearchHit, column: int, role: int):
        if role == _TOOLTIP:
            return f"{row.title}\n{row.detail}" if row.detail else row.title
        if role == _USER:
            return row
        return None
