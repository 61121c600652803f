"""A directive given to many units: Phụ lục I becomes a per-unit summary plus the late and overdue
assignments, the body gives counts; and the fast paths (row XML, text cleaning, loaders by task)
give what the plain ones gave."""

from __future__ import annotations

import copy
import re
import unicodedata
from datetime import date, timedelta

import docx
import pytest
from docx.oxml.ns import qn
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from sqlalchemy import select

from db.models import Assignment, AssignmentState, Directive, Task, Unit
from desktop.documents import build_report, report_data
from desktop.documents.common import load_lateness, load_latest_reports, load_reminders
from desktop.documents.form import OfficialDocument
from desktop.documents.ooxml import MERGE_UP, set_run_bold, set_run_text, vmerge
from desktop.documents.report_data import APPENDIX_MAX_ROWS, NAMED_UNITS_MAX, collect_report, merged_summary
from desktop.documents.text import clean, inline
from desktop.services.settings import Settings
from desktop.tracking.stats import summarize

from .form_check import ITEMS, Doc, appendix_tables

TODAY = date(2026, 4, 1)
GROUPS = ["Cụm xã phía Bắc", "Cụm xã phía Nam", "Các trường học"]
UNITS = 150  # 50 a group
TASKS = 15  # more than MATRIX_MAX_TASKS: the appendix would list 2,250 assignments
LATER = date(2026, 5, 4)


def _due(k: int) -> date:
    return date(2026, 3, 1) + timedelta(days=k)


def _kind(i: int, k: int) -> str:
    """The fate of unit i's task k, a fixed pattern the tests recompute on their own."""
    return ["on_time", "late", "overdue", "running", "on_time"][(i + k) % 5]


def _late_days(i: int, k: int) -> int:
    return 1 + (i + k) % 7


def _build(db) -> int:
    with db.session() as s:
        groups = [Unit(code=f"G{g}", name=name, is_group=True, sort_order=g) for g, name in enumerate(GROUPS)]
        s.add_all(groups)
        s.flush()
        units = [Unit(code=f"U{i:03d}", name=f"Đơn vị thử số {i + 1:03d}", parent_id=groups[i // 50].id,
                      sort_order=i) for i in range(UNITS)]
        s.add_all(units)
        d = Directive(number="77/KH-UBND", issued_on=date(2026, 2, 20), issuer="UBND thành phố",
                      doc_type="ke_hoach", title="Thử báo cáo nhiều đơn vị")
        s.add(d)
        s.flush()
        tasks = [Task(directive_id=d.id, sort_order=k, title=f"Nhiệm vụ thử {k}", due_date=_due(k))
                 for k in range(1, TASKS + 1)]
        s.add_all(tasks)
        s.flush()
        rows = []
        for i, unit in enumerate(units):
            for k, task in enumerate(tasks, 1):
                kind = _kind(i, k)
                row = dict(task_id=task.id, unit_id=unit.id, due_date=_due(k), period="", role="phoi_hop",
                           state=AssignmentState.NOT_STARTED.value, version=1, completed_on=None)
                if kind == "on_time":
                    row.update(state=AssignmentState.DONE.value, completed_on=_due(k) - timedelta(days=1))
                elif kind == "late":
                    row.update(state=AssignmentState.DONE.value,
                               completed_on=_due(k) + timedelta(days=_late_days(i, k)))
                elif kind == "running":
                    row.update(due_date=LATER)
                rows.append(row)
        # ORM objects, not bulk SQL: the flush hooks store the derived columns (deadline in force)
        s.add_all(Assignment(**row) for row in rows)
        return d.id


@pytest.fixture(scope="module")
def large(tmp_path_factory):
    from desktop.infra.database import open_database

    folder = tmp_path_factory.mktemp("large-report")
    db = open_database(folder / "large.db")
    directive = _build(db)
    result = build_report(db, folder / "Báo cáo lớn.docx", today=TODAY, directive_ids=[directive])
    yield db, directive, result, Doc(result.path, "report", db.settings().place_name)
    db.dispose()


def _expected(i: int) -> dict:
    kinds = [_kind(i, k) for k in range(1, TASKS + 1)]
    return {kind: kinds.count(kind) for kind in ("on_time", "late", "overdue", "running")}


def _rate(on_time: int, due: int) -> str:
    value = round(100.0 * on_time / due, 1)
    return (f"{value:.1f}".rstrip("0").rstrip(".").replace(".", ",")) + "%"


def test_the_scope_is_large(large):
    _, _, result, _ = large
    assert result.assignments == UNITS * TASKS > APPENDIX_MAX_ROWS
    assert result.units == UNITS > NAMED_UNITS_MAX


def test_per_unit_summary_table(large):
    d = large[3]
    tables = appendix_tables(d)
    assert len(tables) == 2
    rows = [[c.text for c in r.cells] for r in tables[0].rows]
    assert rows[0][:8] == ["STT", "Cơ quan, đơn vị", "Số lượt giao", "Đúng hạn", "Hoàn thành quá hạn", "Quá hạn",
                           "Chưa đến hạn", "Tỷ lệ đúng hạn"]
    # header, 3 group rows, 150 units, Tổng cộng
    assert len(rows) == 1 + len(GROUPS) + UNITS + 1
    assert [r[1] for r in rows if r[0] in ("I", "II", "III")] == GROUPS
    units = [r for r in rows[1:] if r[0].isdigit()]
    assert [r[0] for r in units] == [str(n) for n in range(1, UNITS + 1)]
    for i in (0, 1, 2, 3, 4, 77, 149):
        e = _expected(i)
        due = e["on_time"] + e["late"] + e["overdue"]
        overdue_tasks = ", ".join(str(k) for k in range(1, TASKS + 1) if _kind(i, k) == "overdue")
        assert units[i] == [str(i + 1), f"Đơn vị thử số {i + 1:03d}", str(TASKS), str(e["on_time"]), str(e["late"]),
                            str(e["overdue"]), str(e["running"]), _rate(e["on_time"], due), overdue_tasks]
    # a group row adds up its 50 units; the last row the 150
    group = rows[1]
    expected = [_expected(i) for i in range(50)]
    assert group[2:7] == [str(50 * TASKS)] + [str(sum(e[k] for e in expected))
                                              for k in ("on_time", "late", "overdue", "running")]
    total = rows[-1]
    assert total[1] == "Tổng cộng"
    everyone = [_expected(i) for i in range(UNITS)]
    on_time = sum(e["on_time"] for e in everyone)
    assert total[2] == "2.250"  # thousands separator
    assert total[3] == (f"{on_time:,}".replace(",", ".")) and total[5] == str(sum(e["overdue"] for e in everyone))
    assert all(len(r) == 9 for r in rows)
    # bold: group rows and the total, not the units
    bold = [any(run.bold for p in r.cells[1].paragraphs for run in p.runs) for r in tables[0].rows[1:]]
    assert bold[0] and bold[-1] and not bold[1]


def test_attention_list_holds_only_late_and_overdue(large):
    d = large[3]
    table = appendix_tables(d)[1]
    rows = [[c.text for c in r.cells] for r in table.rows]
    assert rows[0] == ["STT", "Nhiệm vụ", "Hạn", "Ngày hoàn thành", "Số ngày quá hạn", "Tình trạng"]
    # a unit's name once, on a row across the table, above its assignments numbered from 1
    spans = [len(tr.findall(qn("w:tc"))) == 1 for tr in table._tbl.findall(qn("w:tr"))]
    headings = [r[0] for r, span in zip(rows, spans) if span]
    units = [h for h in headings if re.match(r"\d+\. ", h)]
    expected_units = [i for i in range(UNITS) if _expected(i)["late"] + _expected(i)["overdue"]]
    assert units == [f"{n}. Đơn vị thử số {i + 1:03d}" for n, i in enumerate(expected_units, 1)]
    assert [h for h in headings if re.match(r"[IVX]+\. ", h)] == [f"{r}. {g.upper()}" for r, g in
                                                                  zip(("I", "II", "III"), GROUPS)]
    items = [r for r, span in zip(rows[1:], spans[1:]) if not span]
    expected = sum(e["late"] + e["overdue"] for e in map(_expected, range(UNITS)))
    assert len(items) == expected
    assert {r[5] for r in items} == {"Chưa hoàn thành", "Đã hoàn thành"}
    assert all(r[0].isdigit() for r in items)
    # unit 2 (index 1): its overdue tasks first, then the late ones, by task number
    start = rows.index([units[1]] * 6)
    mine = []
    for r, span in zip(rows[start + 1:], spans[start + 1:]):
        if span:
            break
        mine.append(r)
    assert units[1].endswith("Đơn vị thử số 002")
    overdue = [k for k in range(1, TASKS + 1) if _kind(1, k) == "overdue"]
    late = [k for k in range(1, TASKS + 1) if _kind(1, k) == "late"]
    assert [r[0] for r in mine] == [str(n) for n in range(1, len(overdue + late) + 1)]
    assert [r[1] for r in mine] == [f"NV{k}" for k in overdue + late]
    first_overdue = mine[0]
    k = overdue[0]
    assert first_overdue[2] == _due(k).strftime("%d/%m/%Y") and first_overdue[3] == "—"
    assert first_overdue[4] == str((TODAY - _due(k)).days) and first_overdue[5] == "Chưa hoàn thành"
    first_late = mine[len(overdue)]
    k = late[0]
    assert first_late[3] == (_due(k) + timedelta(days=_late_days(1, k))).strftime("%d/%m/%Y")
    assert first_late[4] == str(_late_days(1, k)) and first_late[5] == "Đã hoàn thành"
    # Tổng cộng closes the table
    overdue_all = sum(e["overdue"] for e in map(_expected, range(UNITS)))
    def vn(n: int) -> str:
        return f"{n:,}".replace(",", ".")

    assert rows[-1][0] == (f"Tổng cộng: {vn(expected)} lượt nhiệm vụ tại {len(expected_units)} cơ quan, đơn vị, "
                           f"trong đó: quá hạn chưa hoàn thành {vn(overdue_all)}; hoàn thành quá hạn "
                           f"{vn(expected - overdue_all)}.")


def test_appendix_notes_point_to_the_excel_workbook(large):
    d = large[3]
    texts = [p.text for p in d.appendix]
    assert texts[0] == "Phụ lục I"
    assert [t.split(":")[0] for t in texts if re.match(r"NV\d+:", t)] == [f"NV{k}" for k in range(1, TASKS + 1)]
    note = next(p for p in d.appendix if "Excel" in p.text)
    assert "2.250 lượt giao nhiệm vụ" in note.text and "«Xuất Excel»" in note.text
    assert all(run.italic for run in note.runs if run.text.strip())
    assert "1. Tổng hợp theo cơ quan, đơn vị" in texts
    expected = sum(e["late"] + e["overdue"] for e in map(_expected, range(UNITS)))
    assert f"2. Các lượt nhiệm vụ quá hạn chưa hoàn thành, hoàn thành quá hạn ({expected} lượt)" in texts


def test_body_gives_counts_not_150_names(large):
    d = large[3]
    body = "\n".join(p.text for p in d.body)
    # names appear in the 10 units most behind only, never in per-task lists of 30
    assert body.count("Đơn vị thử số") <= 10
    assert "- Cụm xã phía Bắc: 50 đơn vị;" in body
    assert "- Các trường học: 50 đơn vị." in body
    per_task = [p.text for p in d.body if p.text.startswith("a) Hoàn thành đúng hạn")]
    assert len(per_task) == TASKS
    on_time_1 = sum(_kind(i, 1) == "on_time" for i in range(UNITS))
    assert per_task[0] == f"a) Hoàn thành đúng hạn: {on_time_1} đơn vị."
    overdue_1 = [p.text for p in d.body if p.text.startswith("c) Chưa hoàn thành")][0]
    assert overdue_1 == (f"c) Chưa hoàn thành, đã quá hạn: {sum(_kind(i, 1) == 'overdue' for i in range(UNITS))} "
                         f"đơn vị, quá hạn {(TODAY - _due(1)).days} ngày (chi tiết tại Phụ lục I).")
    late_1 = [p.text for p in d.body if p.text.startswith("b) Hoàn thành quá hạn")][0]
    days = sorted({_late_days(i, 1) for i in range(UNITS) if _kind(i, 1) == "late"})
    assert f"chậm từ {days[0]} đến {days[-1]} ngày (chi tiết tại Phụ lục I)." in late_1
    slow = [p.text for p in d.body if p.text.startswith("- Đơn vị thử số")]
    assert len(slow) == 10 and slow[-1].endswith(".") and all(t.endswith(";") for t in slow[:-1])


@pytest.mark.parametrize("item", list(ITEMS))
def test_large_report_keeps_the_official_form(large, item):
    ITEMS[item](large[3])


def test_the_threshold_switches_the_appendix(large, tmp_path, monkeypatch):
    """The same directive under a higher threshold gets today's full list, one row an assignment."""
    db, directive, _, _ = large
    monkeypatch.setattr(report_data, "APPENDIX_MAX_ROWS", UNITS * TASKS)
    result = build_report(db, tmp_path / "full.docx", today=TODAY, directive_ids=[directive])
    tables = appendix_tables(Doc(result.path, "report", db.settings().place_name))
    assert len(tables) == 1
    rows = tables[0].rows
    assert [c.text for c in rows[0].cells] == ["STT", "Nhiệm vụ", "Hạn", "Ngày hoàn thành", "Tình trạng"]
    # header, a heading row per group and per unit (its name once), the assignments, Tổng cộng
    assert len(rows) == 1 + len(GROUPS) + UNITS + UNITS * TASKS + 1


def test_merged_summary_equals_one_pass(large):
    db, directive, _, _ = large
    with db.session() as s:
        data = collect_report(s, TODAY, directive_ids=[directive])
    assert data.summary.as_dict() == summarize(data.tracked).as_dict()
    assert data.summary.counts == summarize(data.tracked).counts
    parts = [summarize([t for t in data.tracked if t.row.unit_id == uid]) for uid in data.unit_order[:7]]
    merged = merged_summary(parts)
    assert merged.as_dict() == summarize([t for t in data.tracked if t.row.unit_id in data.unit_order[:7]]).as_dict()


def test_loaders_by_task_equal_loaders_by_id(demo_db):
    """Reading by task (a few queries) gives what reading by slices of ids gave."""
    with demo_db.session() as s:
        pairs = s.execute(select(Assignment.id, Assignment.task_id)).all()
        ids = [a for a, _ in pairs][::2]  # half of them: the others must be left out
        tasks = sorted({t for _, t in pairs})
        lateness_by_id, lateness_by_task = load_lateness(s, ids), load_lateness(s, ids, tasks)
        assert {k: (v.extensions, v.notes) for k, v in lateness_by_id.items()} == \
               {k: (v.extensions, v.notes) for k, v in lateness_by_task.items()}
        assert load_latest_reports(s, ids) == load_latest_reports(s, ids, tasks)
        assert load_latest_reports(s, ids)  # the demo has reports: the comparison is not of two empties
        by_id = {k: sorted(v, key=repr) for k, v in load_reminders(s, ids).items()}
        assert by_id == {k: sorted(v, key=repr) for k, v in load_reminders(s, ids, tasks).items()}


# ---------------------------------------------------------------- fast paths equal the plain ones


def _reference_clean(text) -> str:
    if text is None:
        return ""
    return re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]", "",
                  unicodedata.normalize("NFC", str(text)))


def _reference_inline(text) -> str:
    return re.sub(r"[ \t\r\n\u00a0]+", " ", _reference_clean(text)).strip()


TEXT = st.text(alphabet=st.sampled_from(list("aàá ̀ \t\n\r\u00a0\u2003\x0b\x85\ufffe\u2028Ưư&<>1.")) | st.characters())


@settings(max_examples=400)
@given(TEXT)
def test_clean_and_inline_fast_paths(text):
    assert clean(text) == _reference_clean(text)
    assert inline(text) == _reference_inline(text)


CELL = st.one_of(st.just(MERGE_UP), st.text(max_size=12), st.lists(st.text(max_size=6), max_size=3), st.none(),
                 st.integers(0, 99))


def _reference_rows(template, rows, bold) -> list:
    """The former way: a deep copy of the template row per row, filled through lxml."""
    out, above = [], [None] * len(template.findall(qn("w:tc")))
    for index, values in enumerate(rows):
        tr = copy.deepcopy(template)
        for col, (tc, value) in enumerate(zip(tr.findall(qn("w:tc")), values)):
            if value is MERGE_UP and above[col] is not None:
                vmerge(above[col], restart=True)
                vmerge(tc, restart=False)
                set_run_text(tc.find(qn("w:p")).find(qn("w:r")), [])
                continue
            above[col] = tc
            run_el = tc.find(qn("w:p")).find(qn("w:r"))
            lines = value if isinstance(value, (list, tuple)) else [value]
            set_run_text(run_el, [inline("" if v is MERGE_UP else v) for v in lines])
            if index in bold:
                set_run_bold(run_el)
        out.append(tr)
    return out


@settings(max_examples=30, deadline=None)
@given(st.lists(st.lists(CELL, min_size=0, max_size=4), min_size=1, max_size=6), st.sets(st.integers(0, 5)))
def test_table_rows_as_text_equal_rows_built_in_the_tree(tmp_path_factory, rows, bold):
    """Rows written as XML text into the saved file are the rows the former deep-copy code made:
    merged cells, bold rows, short rows, lists of lines, markup characters."""
    document = OfficialDocument(Settings())
    widths = [int(1440 * 635)] * 3
    document.add_grid_table(["A", "B", "C"], rows, widths, bold_rows=bold)
    path = tmp_path_factory.mktemp("rows") / "rows.docx"
    document.save(path)
    saved = docx.Document(str(path)).tables[-1]._tbl.findall(qn("w:tr"))[1:]
    expected = _reference_rows(_template_like(document, widths), [list(r)[:3] for r in rows], bold)
    assert [_canonical(tr) for tr in saved] == [_canonical(tr) for tr in expected]


def _canonical(element) -> bytes:
    """Canonical XML without namespace declarations (the two documents declare different sets)."""
    return re.sub(rb' xmlns:\w+="[^"]*"', b"", etree.tostring(element, method="c14n"))


def _template_like(document: OfficialDocument, widths) -> object:
    """The template row add_grid_table prepares, made again through its own steps."""
    from desktop.documents import form, ooxml

    probe = OfficialDocument(Settings())
    table = probe.doc.add_table(rows=2, cols=3)
    ooxml.fixed_widths(table, widths)
    template_row = table.rows[1]
    for cell in template_row.cells:
        p = cell.paragraphs[0]
        probe._format_cell_paragraph(p, form.WD_ALIGN_PARAGRAPH.LEFT)
        run = p.add_run("")
        run.font.size = form.Pt(document.sizes.table)
    ooxml.cant_split(template_row._tr)
    return template_row._tr


def test_progress_of_a_large_report_runs_forward(large, tmp_path):
    db, directive, _, _ = large
    seen: list[tuple[int, str]] = []
    build_report(db, tmp_path / "progress.docx", today=TODAY, directive_ids=[directive],
                 progress=lambda value, text: seen.append((value, text)))
    values = [v for v, _ in seen]
    assert values == sorted(values) and values[0] >= 0 and values[-1] == 100
    assert any("bảng tổng hợp" in text for _, text in seen) and any("danh sách quá hạn" in t for _, t in seen)
    assert all(text for _, text in seen)
