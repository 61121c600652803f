"""Đơn vị: the unit tree, editable (add, edit, move, archive, rename keeping history, merge).

The tree itself is drawn by ``unit_tree`` (shared with the unit pickers); the merger asks its
target in ``unit_merge.MergeTargetDialog``."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db.models import UnitKind
from desktop.services import operations as ops
from desktop.services import units as units_service
from desktop.services.operations import ValidationError
from desktop.tracking import labels
from desktop.ui import common
from desktop.ui.dialogs import data
from desktop.ui.dialogs.unit_merge import MergeTargetDialog
from desktop.ui.dialogs.unit_tree import ID_ROLE, apply_tree_filter, build_unit_tree
from desktop.ui.dialogs.widgets import DateField, EditDialog, make_table


class UnitsDialog(EditDialog):
    """Danh mục đơn vị. ``exec()`` returns Accepted when anything was saved while it was open."""

    geometry_key = "unitsDialog"

    def __init__(self, db, parent: QWidget | None = None, today: date | None = None):
        super().__init__(db, parent)
        self.today = today or date.today()
        self.setObjectName("unitsDialog")
        self.setWindowTitle("Danh mục đơn vị")
        self.units: list[data.UnitRow] = []
        self.by_id: dict[int, data.UnitRow] = {}
        self.items: dict[int, QTreeWidgetItem] = {}
        self.current: data.UnitRow | None = None  # the unit shown in the form; None = new one
        self._new_is_group = False
        self._dirty = False
        self._loading = False
        self._renaming = False  # the name differs from the stored one: ask for the date of the change
        self._build()
        self.reload()
        common.restore_geometry(self, self.geometry_key)

    # ------------------------------------------------------------ layout

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.setObjectName("unitsSplitter")
        outer.addWidget(splitter, 1)

        left = QWidget(splitter)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        self.filter_edit = QLineEdit(left)
        self.filter_edit.setObjectName("unitFilter")
        self.filter_edit.setPlaceholderText("Tìm đơn vị (gõ không dấu được)…")
        self.filter_edit.setClearButtonEnabled(True)
        self.show_archived = QCheckBox("Hiện cả đơn vị đã lưu trữ", left)
        self.show_archived.setObjectName("showArchivedCheck")
        self.show_archived.setChecked(True)
        top.addWidget(self.filter_edit, 1)
        top.addWidget(self.show_archived)
        left_layout.addLayout(top)
        self.tree = QTreeWidget(left)
        self.tree.setObjectName("unitEditTree")
        self.tree.setHeaderLabels(["Đơn vị", "Mã"])
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setStretchLastSection(False)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        left_layout.addWidget(self.tree, 1)
        actions = QHBoxLayout()
        self.add_group_button = QPushButton("Thêm nhóm", left)
        self.add_group_button.setObjectName("addGroupButton")
        self.add_unit_button = QPushButton("Thêm đơn vị", left)
        self.add_unit_button.setObjectName("addUnitButton")
        self.archive_button = QPushButton("Lưu trữ", left)
        self.archive_button.setObjectName("archiveButton")
        self.merge_button = QPushButton("Sáp nhập…", left)
        self.merge_button.setObjectName("mergeButton")
        for button in (self.add_group_button, self.add_unit_button, self.archive_button, self.merge_button):
            actions.addWidget(button)
        left_layout.addLayout(actions)
        self.import_button = QPushButton("Nhập danh sách từ Excel/CSV…", left)
        self.import_button.setObjectName("importUnitListButton")
        self.import_button.clicked.connect(self.import_list)
        left_layout.addWidget(self.import_button)

        right = QWidget(splitter)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(6, 0, 0, 0)
        self.form_box = QGroupBox("Thông tin đơn vị", right)
        self.form_box.setObjectName("unitForm")
        form = QFormLayout(self.form_box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.state_label = QLabel(self.form_box)
        self.state_label.setObjectName("unitStateLabel")
        self.state_label.setWordWrap(True)
        self.code_edit = QLineEdit(self.form_box)
        self.code_edit.setObjectName("unitCodeEdit")
        self.code_edit.setMaxLength(40)
        self.code_edit.setPlaceholderText("Ví dụ: P-DK, VHTT (chữ không dấu)")
        self.name_edit = QLineEdit(self.form_box)
        self.name_edit.setObjectName("unitNameEdit")
        self.name_edit.setMaxLength(255)
        self.renamed_on = DateField(optional=False, default=lambda: self.today)
        self.renamed_on.setObjectName("renamedOnField")
        self.renamed_label = QLabel("Ngày đổi tên:")
        self.short_edit = QLineEdit(self.form_box)
        self.short_edit.setObjectName("unitShortNameEdit")
        self.short_edit.setMaxLength(120)
        self.kind_combo = QComboBox(self.form_box)
        self.kind_combo.setObjectName("unitKindCombo")
        for code, label in labels.UNIT_KIND.items():
            self.kind_combo.addItem(label, code)
        self.parent_combo = QComboBox(self.form_box)
        self.parent_combo.setObjectName("unitParentCombo")
        self.parent_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.parent_combo.setMinimumContentsLength(22)
        self.order_spin = QSpinBox(self.form_box)
        self.order_spin.setObjectName("unitOrderSpin")
        self.order_spin.setRange(0, 9999)
        self.contact_edit = QLineEdit(self.form_box)
        self.contact_edit.setObjectName("unitContactEdit")
        self.phone_edit = QLineEdit(self.form_box)
        self.phone_edit.setObjectName("unitPhoneEdit")
        self.email_edit = QLineEdit(self.form_box)
        self.email_edit.setObjectName("unitEmailEdit")
        self.aliases_edit = QLineEdit(self.form_box)
        self.aliases_edit.setObjectName("unitAliasesEdit")
        self.aliases_edit.setPlaceholderText("Các tên khác trong văn bản, cách nhau bằng dấu ;")
        form.addRow(self.state_label)
        form.addRow("Mã đơn vị:", self.code_edit)
        form.addRow("Tên đơn vị:", self.name_edit)
        form.addRow(self.renamed_label, self.renamed_on)
        form.addRow("Tên viết tắt:", self.short_edit)
        form.addRow("Loại:", self.kind_combo)
        form.addRow("Thuộc nhóm:", self.parent_combo)
        form.addRow("Thứ tự:", self.order_spin)
        form.addRow("Người liên hệ:", self.contact_edit)
        form.addRow("Điện thoại:", self.phone_edit)
        form.addRow("E-mail:", self.email_edit)
        form.addRow("Tên gọi khác:", self.aliases_edit)
        form_buttons = QHBoxLayout()
        form_buttons.addStretch(1)
        self.revert_button = QPushButton("Hoàn tác", self.form_box)
        self.revert_button.setObjectName("revertUnitButton")
        self.save_button = QPushButton("Lưu thay đổi", self.form_box)
        self.save_button.setObjectName("saveUnitButton")
        self.save_button.setDefault(True)
        form_buttons.addWidget(self.revert_button)
        form_buttons.addWidget(self.save_button)
        form.addRow(form_buttons)
        right_layout.addWidget(self.form_box)
        history_box = QGroupBox("Lịch sử tên", right)
        history_layout = QVBoxLayout(history_box)
        self.history_table = make_table(history_box, "nameHistoryTable", ["Ngày đổi", "Tên cũ", "Tên mới"], (1, 2))
        history_layout.addWidget(self.history_table)
        right_layout.addWidget(history_box, 1)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([430, 470])

        self.add_footer(outer, QDialogButtonBox.StandardButton.Close)
        self.resize(960, 640)

        self.tree.currentItemChanged.connect(self._on_current_changed)
        self.filter_edit.textChanged.connect(self._apply_filter)
        self.show_archived.toggled.connect(lambda _on: self._refill_tree(self.current_id()))
        self.add_group_button.clicked.connect(lambda: self.start_new(is_group=True))
        self.add_unit_button.clicked.connect(lambda: self.start_new(is_group=False))
        self.archive_button.clicked.connect(self.toggle_archive)
        self.merge_button.clicked.connect(self._on_merge_clicked)
        self.save_button.clicked.connect(self.save_unit)
        self.revert_button.clicked.connect(self._revert)
        for edit in (self.code_edit, self.short_edit, self.contact_edit, self.phone_edit, self.email_edit,
                     self.aliases_edit):
            edit.textEdited.connect(self._mark_dirty)
        self.name_edit.textEdited.connect(self._on_name_edited)
        self.kind_combo.currentIndexChanged.connect(self._mark_dirty)
        self.parent_combo.currentIndexChanged.connect(self._mark_dirty)
        self.order_spin.valueChanged.connect(self._mark_dirty)

    def import_list(self) -> None:
        """The office's unit list from Excel/CSV, previewed and written on confirmation."""
        from desktop.ui.first_run import import_unit_list

        if import_unit_list(self, self.db):
            self.saved = True
            self.reload()

    def field_widgets(self) -> dict[str, QWidget]:
        return {"code": self.code_edit, "name": self.name_edit, "kind": self.kind_combo,
                "email": self.email_edit, "parent_id": self.parent_combo}

    # ------------------------------------------------------------ loading

    def reload(self, select_id: int | None = None) -> None:
        """Load the units again and show ``select_id`` (default: the unit shown now)."""
        keep = select_id if select_id is not None else self.current_id()
        self.units = units_service.all_units(self.db)
        self.by_id = {u.id: u for u in self.units}
        self.keys = {u.id: u.key for u in self.units}
        self._refill_tree(keep)

    def _refill_tree(self, select_id: int | None) -> None:
        self.tree.blockSignals(True)
        self.items = build_unit_tree(self.tree, self.units, self.show_archived.isChecked())
        self.tree.expandAll()
        self.tree.blockSignals(False)
        self._apply_filter()
        item = self.items.get(select_id) if select_id is not None else None
        if item is None and self.tree.topLevelItemCount():
            item = self.tree.topLevelItem(0)
        if item is not None:
            self.tree.blockSignals(True)
            self.tree.setCurrentItem(item)
            self.tree.blockSignals(False)
            self._show_unit(self.by_id.get(item.data(0, ID_ROLE)))
        else:
            self._show_unit(None)

    def _apply_filter(self) -> None:
        apply_tree_filter(self.tree, self.keys, self.filter_edit.text())

    def current_id(self) -> int | None:
        return self.current.id if self.current is not None else None

    def select_unit(self, unit_id: int) -> None:
        """Select a unit in the tree and show it in the form (asks first when the form has changes)."""
        item = self.items.get(unit_id)
        if item is not None:
            self.tree.setCurrentItem(item)

    def _fill_parent_combo(self, own_id: int | None, parent_id: int | None) -> None:
        excluded: set[int] = set()
        if own_id is not None:  # not into itself nor its own subtree
            children: dict[int | None, list[int]] = {}
            for u in self.units:
                children.setdefault(u.parent_id, []).append(u.id)
            stack = [own_id]
            while stack:
                current = stack.pop()
                excluded.add(current)
                stack.extend(children.get(current, []))
        self.parent_combo.blockSignals(True)
        self.parent_combo.clear()
        self.parent_combo.addItem("(Không thuộc nhóm nào)", None)

        def depth(unit: data.UnitRow) -> int:
            level, seen = 0, set()
            while unit.parent_id is not None and unit.parent_id in self.by_id and unit.id not in seen:
                seen.add(unit.id)
                unit = self.by_id[unit.parent_id]
                level += 1
            return level

        for unit in self.units:
            if unit.is_group and unit.id not in excluded and (unit.active or unit.id == parent_id):
                self.parent_combo.addItem("    " * depth(unit) + unit.name, unit.id)
        index = self.parent_combo.findData(parent_id)
        self.parent_combo.setCurrentIndex(max(index, 0))
        self.parent_combo.blockSignals(False)

    def _show_unit(self, unit: data.UnitRow | None) -> None:
        self._loading = True
        self.clear_error()
        self.current = unit
        self._new_is_group = False
        if unit is None:
            self._clear_form()
            self.form_box.setTitle("Thông tin đơn vị")
            self.state_label.setText("Chưa có đơn vị nào. Bấm «Thêm nhóm» hoặc «Thêm đơn vị».")
            self.form_box.setEnabled(False)
        else:
            self.form_box.setEnabled(True)
            self.form_box.setTitle("Thông tin nhóm" if unit.is_group else "Thông tin đơn vị")
            self.code_edit.setText(unit.code)
            self.name_edit.setText(unit.name)
            self.short_edit.setText(unit.short_name)
            self.kind_combo.setCurrentIndex(max(self.kind_combo.findData(unit.kind), 0))
            self._fill_parent_combo(unit.id, unit.parent_id)
            self.order_spin.setValue(unit.sort_order)
            self.contact_edit.setText(unit.contact_person)
            self.phone_edit.setText(unit.phone)
            self.email_edit.setText(unit.email)
            self.aliases_edit.setText(unit.aliases)
            self.state_label.setText(self._state_text(unit))
            self._fill_history(unit.id)
        self._set_rename_visible(False)
        self._update_buttons()
        self._dirty = False
        self._loading = False

    def _clear_form(self) -> None:
        for edit in (self.code_edit, self.name_edit, self.short_edit, self.contact_edit, self.phone_edit,
                     self.email_edit, self.aliases_edit):
            edit.clear()
        self.order_spin.setValue(0)
        self.history_table.setRowCount(0)

    def _state_text(self, unit: data.UnitRow) -> str:
        if unit.merged_into_id is not None:
            target = self.by_id.get(unit.merged_into_id)
            return (f"Đã sáp nhập vào «{target.name if target else '…'}» ngày {labels.fmt_date(unit.merged_on)}.")
        if not unit.active:
            return f"Đã lưu trữ ngày {labels.fmt_date(unit.archived_on)}."
        return "Nhóm đơn vị đang sử dụng." if unit.is_group else "Đơn vị đang hoạt động."

    def _fill_history(self, unit_id: int) -> None:
        history = units_service.history_of(self.db, unit_id)
        self.history_table.setRowCount(len(history))
        for row, change in enumerate(reversed(history)):
            self.history_table.setItem(row, 0, QTableWidgetItem(labels.fmt_date(change.changed_on)))
            self.history_table.setItem(row, 1, QTableWidgetItem(change.old_name))
            self.history_table.setItem(row, 2, QTableWidgetItem(change.new_name))

    def _update_buttons(self) -> None:
        unit = self.current
        existing = unit is not None
        self.archive_button.setEnabled(existing)
        self.archive_button.setText("Khôi phục" if existing and not unit.active else "Lưu trữ")
        self.merge_button.setEnabled(existing and not unit.is_group and unit.active)

    def _set_rename_visible(self, visible: bool) -> None:
        self._renaming = visible
        self.renamed_label.setVisible(visible)
        self.renamed_on.setVisible(visible)

    # ------------------------------------------------------------ editing

    def _mark_dirty(self, *_args) -> None:
        if not self._loading:
            self._dirty = True

    def _on_name_edited(self, text: str) -> None:
        self._mark_dirty()
        renamed = self.current is not None and text.strip() != self.current.name
        if renamed and not self._renaming:
            self.renamed_on.set_value(self.today)
        self._set_rename_visible(renamed)

    def has_unsaved_changes(self) -> bool:
        return self._dirty

    def _confirm_leave(self) -> bool:
        """True when the form may be left: nothing changed, saved, or changes thrown away."""
        if not self._dirty:
            return True
        choice = common.ask_save(self, "Thông tin đơn vị đã thay đổi nhưng chưa lưu. Lưu lại không?")
        if choice is common.SaveChoice.SAVE:
            return self.save_unit()
        return choice is common.SaveChoice.DISCARD

    def _on_current_changed(self, current: QTreeWidgetItem | None, previous: QTreeWidgetItem | None) -> None:
        wanted = current.data(0, ID_ROLE) if current is not None else None
        if self._dirty:
            stay = previous.data(0, ID_ROLE) if previous is not None else None
            if not self._confirm_leave():  # stay where the changes are, once this signal is over
                QTimer.singleShot(0, lambda: self._select_quietly(stay))
                return
            if wanted not in self.by_id or self.items.get(wanted) is not current:
                # Saving rebuilt the tree: select the wanted unit among the new items.
                QTimer.singleShot(0, lambda: self._select_quietly(wanted, show=True))
                return
        self._show_unit(self.by_id.get(wanted))

    def _select_quietly(self, unit_id: int | None, show: bool = False) -> None:
        item = self.items.get(unit_id) if unit_id is not None else None
        if item is None:
            return
        self.tree.blockSignals(True)
        self.tree.setCurrentItem(item)
        self.tree.blockSignals(False)
        if show:
            self._show_unit(self.by_id.get(unit_id))

    def _revert(self) -> None:
        if self.current is None:  # a new unit not saved: back to the tree's selection
            self._dirty = False
            self._refill_tree(self.parent_combo.currentData())
        else:
            self._show_unit(self.current)

    def start_new(self, is_group: bool) -> None:
        """Empty form for a new group, or a new unit under the selected group (or the selected
        unit's group)."""
        if self._dirty and not self._confirm_leave():
            return
        selected = self.current
        if is_group:
            parent_id = None
        elif selected is None:
            parent_id = None
        else:
            parent_id = selected.id if selected.is_group else selected.parent_id
        parent = self.by_id.get(parent_id) if parent_id is not None else None
        self._loading = True
        self.clear_error()
        self.current = None
        self._new_is_group = is_group
        self.form_box.setEnabled(True)
        self._clear_form()
        self.form_box.setTitle("Thêm nhóm mới" if is_group else "Thêm đơn vị mới")
        where = f" trong nhóm «{parent.name}»" if parent else ""
        what = "Nhóm mới" if is_group else "Đơn vị mới"
        self.state_label.setText(f"{what}{where}: nhập thông tin rồi bấm «Lưu thay đổi».")
        self._fill_parent_combo(None, parent_id)
        kind = parent.kind if parent else UnitKind.OTHER.value
        self.kind_combo.setCurrentIndex(max(self.kind_combo.findData(kind), 0))
        siblings = [u.sort_order for u in self.units if u.parent_id == parent_id]
        self.order_spin.setValue(max(siblings, default=0) + 1)
        self._set_rename_visible(False)
        self.archive_button.setEnabled(False)
        self.merge_button.setEnabled(False)
        self._loading = False
        self._dirty = False  # an empty new form has nothing to lose yet
        self.code_edit.setFocus()

    def form_input(self) -> ops.UnitInput:
        is_group = self.current.is_group if self.current is not None else self._new_is_group
        return ops.UnitInput(
            code=self.code_edit.text(), name=self.name_edit.text(), kind=self.kind_combo.currentData(),
            short_name=self.short_edit.text(), parent_id=self.parent_combo.currentData(), is_group=is_group,
            sort_order=self.order_spin.value(), contact_person=self.contact_edit.text(),
            phone=self.phone_edit.text(), email=self.email_edit.text().strip(), aliases=self.aliases_edit.text())

    def save_unit(self) -> bool:
        """Save the form (new or existing unit); False when refused (message shown, nothing saved)."""
        values = self.form_input()
        current = self.current
        if current is None:
            saved_id = self.run_save(lambda s: ops.add_unit(s, values).id, "Thêm đơn vị")
        else:
            renamed_on = self.renamed_on.value() if self._renaming else None
            saved_id = self.run_save(lambda s: ops.update_unit(
                s, current.id, values, expected_version=current.version, renamed_on=renamed_on).id, "Sửa đơn vị")
        if saved_id is None:
            return False
        self._dirty = False
        self.reload(saved_id)
        return True

    def toggle_archive(self) -> bool:
        """Archive the selected unit (after a question), or restore an archived one."""
        unit = self.current
        if unit is None:
            return False
        if unit.active:
            active_children = [u for u in self.units if u.parent_id == unit.id and u.active]
            if active_children:
                self.show_error(f"Nhóm «{unit.name}» còn {len(active_children)} đơn vị đang hoạt động; hãy chuyển "
                                "sang nhóm khác hoặc lưu trữ các đơn vị đó trước.")
                return False
            open_count = units_service.open_count(self.db, unit.id)
            question = (f"Lưu trữ «{unit.name}»?\n\nĐơn vị sẽ không còn được chọn khi giao nhiệm vụ mới; "
                        "lịch sử được giữ nguyên.")
            if open_count:
                question += f"\nĐơn vị còn {open_count} nhiệm vụ chưa hoàn thành (vẫn được theo dõi)."
            if not common.ask(self, question):
                return False
            done = self.run_save(lambda s: ops.archive_unit(s, unit.id, self.today), "Lưu trữ đơn vị")
        else:
            done = self.run_save(lambda s: ops.restore_unit(s, unit.id), "Khôi phục đơn vị")
        if done is None:
            return False
        self.reload()
        return True

    def merge_candidates(self, source_id: int) -> list[data.UnitRow]:
        return [u for u in self.units if u.active and not u.is_group and u.id != source_id]

    def _on_merge_clicked(self) -> None:
        source = self.current
        if source is None or (self._dirty and not self._confirm_leave()):
            return
        chooser = MergeTargetDialog(source, self.merge_candidates(source.id), self.today, self)
        if chooser.exec() == QDialog.DialogCode.Accepted:
            self.merge_into(chooser.target.currentData(), chooser.on.value())

    def merge_into(self, target_id: int, on: date | None = None) -> bool:
        """Merge the selected unit into ``target_id`` after a confirmation that says how many
        open assignments move. True when merged."""
        source = self.current
        target = self.by_id.get(target_id)
        if source is None or target is None:
            return False
        on = on or self.today
        self.clear_error()
        try:
            moved, open_count = units_service.merge_preview(self.db, source.id, target.id, on)
        except ValidationError as exc:
            self.show_error(exc.message)
            return False
        question = (f"Sáp nhập «{source.name}» vào «{target.name}» từ ngày {labels.fmt_date(on)}?\n\n"
                    f"{moved} nhiệm vụ chưa hoàn thành của «{source.name}» sẽ chuyển sang «{target.name}».")
        if open_count > moved:
            question += (f"\n{open_count - moved} nhiệm vụ khác «{target.name}» cũng được giao nên giữ lại ở "
                         f"«{source.name}».")
        question += "\nĐơn vị bị sáp nhập được lưu trữ; tên, lịch sử và kết quả đã báo cáo được giữ nguyên."
        if not common.ask(self, question):
            return False
        result = self.run_save(lambda s: ops.merge_units(s, source.id, target.id, on), "Sáp nhập đơn vị")
        if result is None:
            return False
        self.reload()
        self.select_unit(target.id)
        common.info(self, f"Đã sáp nhập «{source.name}» vào «{target.name}»; đã chuyển {moved} nhiệm vụ.")
        return True

    # ------------------------------------------------------------ closing

    def reject(self) -> None:
        if self._dirty and not self._confirm_leave():
            return
        self.finish()


__all__ = ["UnitsDialog"]
