"""Checkable unit tree with a role per ticked unit, for assigning a task to units.

Ticking a group ticks all its active units; one unit can be chosen as the lead (chủ trì), the
others are "thực hiện" or "phối hợp". Units whose assignment already has a report (or started)
cannot be unticked: the officer is told to cancel instead, since history must stay.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QStyledItemDelegate,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db.models import Role
from desktop.tracking import labels
from desktop.ui import common
from desktop.ui.dialogs import data
from desktop.ui.dialogs.unit_tree import ID_ROLE, apply_tree_filter, build_unit_tree

ROLE_COLUMN = 1
_CHECKED, _UNCHECKED, _PARTIAL = Qt.CheckState.Checked, Qt.CheckState.Unchecked, Qt.CheckState.PartiallyChecked


class _RoleDelegate(QStyledItemDelegate):
    """A combo box in the role column; the choice goes through the checklist (one lead)."""

    def __init__(self, checklist: "UnitChecklist"):
        super().__init__(checklist.tree)
        self.checklist = checklist

    def createEditor(self, parent, option, index):  # noqa: N802 (Qt override)
        combo = QComboBox(parent)
        combo.setObjectName("roleEditor")
        for code, label in labels.ROLE.items():
            combo.addItem(label, code)
        return combo

    def setEditorData(self, editor, index):  # noqa: N802
        uid = index.siblingAtColumn(0).data(ID_ROLE)
        role = self.checklist.roles().get(uid, Role.EXECUTE.value)
        editor.setCurrentIndex(max(editor.findData(role), 0))

    def setModelData(self, editor, model, index):  # noqa: N802
        uid = index.siblingAtColumn(0).data(ID_ROLE)
        self.checklist.set_role(uid, editor.currentData())


class UnitChecklist(QWidget):
    """Tick units (or whole groups) and give each a role. ``changed`` fires on every change."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("unitChecklist")
        self.units: list[data.UnitRow] = []
        self.by_id: dict[int, data.UnitRow] = {}
        self.keys: dict[int, str] = {}
        self.items: dict[int, QTreeWidgetItem] = {}
        self._roles: dict[int, str] = {}  # ticked units only
        self._role_before_lead: dict[int, str] = {}
        self._locked: set[int] = set()
        self._busy = False
        self.read_only = False

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        lead_row = QHBoxLayout()
        lead_row.addWidget(QLabel("Đơn vị chủ trì:"))
        self.lead_combo = QComboBox(self)
        self.lead_combo.setObjectName("leadCombo")
        self.lead_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.lead_combo.setMinimumContentsLength(24)
        lead_row.addWidget(self.lead_combo, 1)
        layout.addLayout(lead_row)
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setObjectName("assignUnitFilter")
        self.filter_edit.setPlaceholderText("Tìm đơn vị (gõ không dấu được)…")
        self.filter_edit.setClearButtonEnabled(True)
        layout.addWidget(self.filter_edit)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("assignUnitTree")
        self.tree.setHeaderLabels(["Đơn vị", "Vai trò"])
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(ROLE_COLUMN, QHeaderView.ResizeMode.Fixed)
        self.tree.header().resizeSection(ROLE_COLUMN, self.fontMetrics().horizontalAdvance("Phối hợp") + 60)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setItemDelegateForColumn(ROLE_COLUMN, _RoleDelegate(self))
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        layout.addWidget(self.tree, 1)
        self.summary = QLabel(self)
        self.summary.setObjectName("assignSummary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)

        self.tree.itemChanged.connect(self._on_item_changed)
        self.tree.itemDoubleClicked.connect(self._on_double_clicked)
        self.tree.customContextMenuRequested.connect(self._context_menu)
        self.lead_combo.activated.connect(self._on_lead_chosen)
        self.filter_edit.textChanged.connect(lambda text: apply_tree_filter(self.tree, self.keys, text))

    # ------------------------------------------------------------ content

    def set_units(self, units: list[data.UnitRow]) -> None:
        self.units = units
        self.by_id = {u.id: u for u in units}
        self.keys = {u.id: u.key for u in units}

    def set_roles(self, roles: dict[int, str], locked: set[int] | None = None) -> None:
        """Show the units ticked with their roles; ``locked`` units cannot be unticked."""
        self._roles = dict(roles)
        self._locked = set(locked or ())
        self._role_before_lead = {}
        shown = [u for u in self.units if u.active or u.id in self._roles]
        self._busy = True
        self.items = build_unit_tree(self.tree, shown, show_archived=True, columns=2)
        for uid, item in self.items.items():
            unit = self.by_id[uid]
            flags = item.flags() | Qt.ItemFlag.ItemIsUserCheckable
            if not unit.is_group:
                flags |= Qt.ItemFlag.ItemIsEditable
            item.setFlags(flags)
            item.setCheckState(0, _CHECKED if uid in self._roles else _UNCHECKED)
            item.setText(ROLE_COLUMN, "")
            if uid in self._locked:
                item.setToolTip(0, "Đơn vị đã báo cáo hoặc đã thực hiện: không bỏ chọn được.")
        self._refresh_all()
        self._busy = False
        self.tree.expandAll()
        apply_tree_filter(self.tree, self.keys, self.filter_edit.text())

    def roles(self) -> dict[int, str]:
        return dict(self._roles)

    def lead_id(self) -> int | None:
        leads = [u for u, r in self._roles.items() if r == Role.LEAD.value]
        return leads[0] if leads else None

    # ------------------------------------------------------------ actions (also used by tests)

    def set_checked(self, unit_id: int, checked: bool) -> None:
        """Tick or untick a unit or a group, exactly as a click on its box does."""
        item = self.items.get(unit_id)
        if item is not None:
            item.setCheckState(0, _CHECKED if checked else _UNCHECKED)

    def set_role(self, unit_id: int, role: str) -> None:
        """Give a ticked unit a role; choosing a new lead gives the former one its earlier role back."""
        if unit_id not in self._roles or role not in labels.ROLE:
            return
        if role == Role.LEAD.value:
            for other, other_role in list(self._roles.items()):
                if other != unit_id and other_role == Role.LEAD.value:
                    self._roles[other] = self._role_before_lead.pop(other, Role.EXECUTE.value)
            if self._roles[unit_id] != Role.LEAD.value:
                self._role_before_lead[unit_id] = self._roles[unit_id]
        self._roles[unit_id] = role
        self._refresh_all()
        self.changed.emit()

    def set_lead(self, unit_id: int | None) -> None:
        if unit_id is None:
            for other, role in list(self._roles.items()):
                if role == Role.LEAD.value:
                    self._roles[other] = self._role_before_lead.pop(other, Role.EXECUTE.value)
            self._refresh_all()
            self.changed.emit()
        else:
            self.set_role(unit_id, Role.LEAD.value)

    # ------------------------------------------------------------ internals

    def _member_items(self, item: QTreeWidgetItem) -> list[QTreeWidgetItem]:
        """Unit items (not groups) under ``item``, active ones only."""
        result = []
        stack = [item.child(i) for i in range(item.childCount())]
        while stack:
            child = stack.pop()
            unit = self.by_id.get(child.data(0, ID_ROLE))
            if unit is not None and not unit.is_group and unit.active:
                result.append(child)
            stack.extend(child.child(i) for i in range(child.childCount()))
        return result

    def _on_item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        if self._busy or column != 0:
            return
        uid = item.data(0, ID_ROLE)
        unit = self.by_id.get(uid)
        if unit is None:
            return
        checked = item.checkState(0) == _CHECKED
        kept: list[str] = []
        self._busy = True
        try:
            targets = self._member_items(item) if unit.is_group else [item]
            for target in targets:
                tid = target.data(0, ID_ROLE)
                if checked:
                    self._roles.setdefault(tid, Role.EXECUTE.value)
                elif tid in self._roles:
                    if tid in self._locked:
                        kept.append(self.by_id[tid].name)
                        continue
                    del self._roles[tid]
                    self._role_before_lead.pop(tid, None)
            self._refresh_all()
        finally:
            self._busy = False
        if kept:
            common.warn(self, "Không bỏ chọn được: " + ", ".join(f"«{name}»" for name in kept)
                        + " đã báo cáo hoặc đã thực hiện nhiệm vụ này. Nếu không giao nữa, hãy chuyển nhiệm vụ "
                          "của đơn vị sang trạng thái «Hủy» ở phần kết quả.")
        self.changed.emit()

    def _refresh_all(self) -> None:
        """Check boxes, role texts, group states, the lead list and the summary from ``_roles``."""
        was_busy, self._busy = self._busy, True
        for uid, item in self.items.items():
            if self.by_id[uid].is_group:
                continue
            role = self._roles.get(uid)
            item.setCheckState(0, _CHECKED if role else _UNCHECKED)
            item.setText(ROLE_COLUMN, labels.ROLE.get(role, "") if role else "")
            font = item.font(ROLE_COLUMN)
            font.setBold(role == Role.LEAD.value)
            item.setFont(ROLE_COLUMN, font)
        for uid, item in self.items.items():
            if self.by_id[uid].is_group:
                members = [m.data(0, ID_ROLE) for m in self._member_items(item)]
                ticked = sum(1 for m in members if m in self._roles)
                item.setCheckState(0, _UNCHECKED if ticked == 0 else _CHECKED if ticked == len(members) else _PARTIAL)
                item.setText(ROLE_COLUMN, f"{ticked}/{len(members)}" if ticked else "")
        self._busy = was_busy
        self._refresh_lead_combo()
        self._refresh_summary()

    def _refresh_lead_combo(self) -> None:
        self.lead_combo.blockSignals(True)
        self.lead_combo.clear()
        self.lead_combo.addItem("(Không có đơn vị chủ trì)", None)
        for unit in self.units:
            if unit.id in self._roles:
                self.lead_combo.addItem(unit.name, unit.id)
        self.lead_combo.setCurrentIndex(max(self.lead_combo.findData(self.lead_id()), 0))
        self.lead_combo.blockSignals(False)

    def _refresh_summary(self) -> None:
        counts = {role: 0 for role in labels.ROLE}
        for role in self._roles.values():
            counts[role] += 1
        if not self._roles:
            self.summary.setText("Chưa chọn đơn vị nào. Đánh dấu một nhóm để chọn mọi đơn vị trong nhóm.")
            return
        parts = [f"{n} {labels.ROLE[role].lower()}" for role, n in counts.items() if n]
        self.summary.setText(f"Đã chọn {len(self._roles)} đơn vị: " + ", ".join(parts) + ".")

    def _on_lead_chosen(self, index: int) -> None:
        self.set_lead(self.lead_combo.itemData(index))

    def _on_double_clicked(self, item: QTreeWidgetItem, column: int) -> None:
        uid = item.data(0, ID_ROLE)
        if column == ROLE_COLUMN and uid in self._roles and not self.read_only:
            self.tree.editItem(item, ROLE_COLUMN)

    def _context_menu(self, pos) -> None:
        chosen = [i.data(0, ID_ROLE) for i in self.tree.selectedItems() if i.data(0, ID_ROLE) in self._roles]
        if not chosen or self.read_only:
            return
        menu = QMenu(self)
        for code, label in labels.ROLE.items():
            action = QAction(f"Vai trò: {label}", menu)
            action.triggered.connect(lambda _c=False, code=code: [self.set_role(uid, code) for uid in chosen])
            menu.addAction(action)
        menu.exec(self.tree.viewport().mapToGlobal(pos))
