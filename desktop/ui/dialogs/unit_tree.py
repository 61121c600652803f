"""The unit tree as the unit dialogs show it: groups and units with their labels, archived ones
greyed, and the filter that keeps the matching units with their groups. Shared by «Danh mục đơn
vị» (``units``) and the unit pickers (``unit_picker``)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem

from db.textkey import query_terms
from desktop.ui.dialogs import data

ID_ROLE = Qt.ItemDataRole.UserRole
ARCHIVED_COLOR = QColor("#8A8A8A")


def unit_label(unit: data.UnitRow, by_id: dict[int, data.UnitRow]) -> str:
    """Name as shown in the tree, with the archive or merge state."""
    if unit.merged_into_id is not None:
        target = by_id.get(unit.merged_into_id)
        return f"{unit.name} (đã sáp nhập vào {target.name if target else '…'})"
    if not unit.active:
        return f"{unit.name} (đã lưu trữ)"
    return unit.name


def build_unit_tree(tree: QTreeWidget, units: list[data.UnitRow], show_archived: bool = True,
                    columns: int = 2) -> dict[int, QTreeWidgetItem]:
    """Fill ``tree`` with groups and units (children under their parent, in the order given);
    returns the items by unit id. Column 0 holds the name, column 1 the code (when ``columns`` > 1)."""
    tree.clear()
    by_id = {u.id: u for u in units}
    shown = [u for u in units if show_archived or u.active]
    shown_ids = {u.id for u in shown}
    children: dict[int | None, list[data.UnitRow]] = {}
    for unit in shown:  # a unit whose parent is not shown goes to the top level
        children.setdefault(unit.parent_id if unit.parent_id in shown_ids else None, []).append(unit)
    items: dict[int, QTreeWidgetItem] = {}
    bold = QFont(tree.font())
    bold.setBold(True)
    stack: list[tuple[QTreeWidgetItem | None, data.UnitRow]] = [(None, u) for u in reversed(children.get(None, []))]
    while stack:
        parent_item, unit = stack.pop()
        if unit.id in items:  # a cycle in the data: show each unit once
            continue
        item = QTreeWidgetItem(parent_item if parent_item is not None else tree)
        item.setText(0, unit_label(unit, by_id))
        if columns > 1:
            item.setText(1, unit.code)
        item.setData(0, ID_ROLE, unit.id)
        if unit.is_group:
            item.setFont(0, bold)
        if not unit.active:
            for col in range(columns):
                item.setForeground(col, QBrush(ARCHIVED_COLOR))
        items[unit.id] = item
        stack.extend((item, child) for child in reversed(children.get(unit.id, [])))
    return items


def apply_tree_filter(tree: QTreeWidget, keys: dict[int, str], query: str) -> None:
    """Hide the items that do not match ``query`` (accent-free), keeping the parents of matches."""
    terms = query_terms(query)

    def visit(item: QTreeWidgetItem) -> bool:
        key = keys.get(item.data(0, ID_ROLE), "")
        own = all(term in key for term in terms)
        any_child = False
        for i in range(item.childCount()):
            any_child = visit(item.child(i)) or any_child
        visible = own or any_child
        item.setHidden(not visible)
        if terms and any_child:
            item.setExpanded(True)
        return visible

    for i in range(tree.topLevelItemCount()):
        visit(tree.topLevelItem(i))
