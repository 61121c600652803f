"""From the body's paragraphs to tasks.

The paragraphs form a tree by their list markers (I. > 1. > a) > - > +); unit headings
("Phòng Giáo dục và Đào tạo:") and short headings ("2. Sở Tài chính") take the paragraphs under
them. A leaf is a task unless it is explanation ("Chủ đề: ...", "Địa chỉ ...", "Hoặc ..."); an
item whose children are all explanation is one task with them as its content. Sections about
aims, funding or grounds (Mục đích, Mục tiêu, Kinh phí, Căn cứ) hold no tasks; a "Nội dung"
section gives one task per top item. Unnumbered paragraphs are tasks only when they direct
someone ("Giao ...", "Đề nghị ...") and say who; one that ends with ":" and names units sets the
units of the items after it. Rows of a Phụ lục table are tasks, with their columns (``table_tasks``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from db.models import Role, TaskKind
from desktop.intake.clean import MARKER_RANK, CleanDoc, Para, is_caps_heading, marker_of, num_depth
from desktop.intake.dates import TaskDates, extract_dates
from desktop.intake.model import ProposedAssignment, TaskProposal
from desktop.intake.proposal import apply_dates, set_kind, task_summary
from desktop.intake.roles import Subject, assign_roles, subject_of_heading
from desktop.intake.table_tasks import table_tasks
from desktop.intake.textutil import fold_keep
from desktop.intake.units import Mention, UnitMatcher, UnitRef


@dataclass
class Node:
    index: int  # paragraph index
    para: Para | None
    kind: str | None  # marker kind, "caps", "unit", "body", "free" or None for the root
    rank: float
    own: int = 0  # offset in para.text where the item's own text starts
    children: list["Node"] = field(default_factory=list)
    parent: "Node | None" = None
    mentions: list[Mention] = field(default_factory=list)  # in own-text coordinates

    @property
    def text(self) -> str:
        return self.para.text if self.para else ""

    @property
    def own_text(self) -> str:
        return self.para.text[self.own:] if self.para else ""

    @property
    def folded(self) -> str:
        return fold_keep(self.own_text).strip()

    def descendants(self):
        for c in self.children:
            yield c
            yield from c.descendants()


@dataclass
class Context:
    subject: Subject | None = None
    dates: TaskDates | None = None
    mode: str = "normal"  # normal | shallow | skip
    defaults: Subject | None = None


_SKIP_SECTION = re.compile(r"^(?:muc dich|yeu cau|muc tieu|kinh phi|can cu|danh gia|tinh hinh|ket qua|quan diem"
                           r"|dac diem|thuc trang|su can thiet|co so|pham vi|doi tuong|giai thich|nguyen tac)")
_TASK_SECTION = re.compile(r"nhiem vu|giai phap|to chuc thuc hien|hoat dong|trach nhiem|phan cong|thuc hien")
_CONTENT_SECTION = re.compile(r"^noi dung")
_INFO_START = re.compile(r"^(?:dia chi|dia diem|thoi gian|thanh phan|hinh thuc|kinh phi|luu y|ghi chu|hoac|link|duong"
                         r" link|moi chi tiet|thong tin lien he|dau moi|so dien thoai|email|san pham|chu de|khau hieu"
                         r"|tai lieu|de cuong|https?:|www\.|quy mo|so luong|noi dung:|vi du|goi y)")
_TIME_INFO = re.compile(r"^(?:thoi gian|thoi han|tien do|han)")
_VERBS = re.compile(
    r"^(?:tuyen truyen|to chuc|thuc hien|trien khai|xay dung|phat dong|pho cap|khuyen khich|tim kiem|ton vinh|dang"
    r"|bao cao|tong hop|chi dao|huong dan|tham muu|phoi hop|chu tri|chu dong|nghien cuu|kiem tra|ra soat|cap nhat"
    r"|treo|bo tri|du toan|lap|gui|cu |tang cuong|day manh|phat song|tiep song|duy tri|boi duong|tap huan|van dong"
    r"|phat hanh|in |tham gia|thong tin|pho bien|quan triet|giao|de nghi|yeu cau|dam bao|bao dam|theo doi|giam sat"
    r"|xu ly|chuan bi|thanh lap|ban hanh|phan cong|thong ke|danh gia|so ket|tong ket|khen thuong|ho tro|dang ky|nop"
    r"|ra quan|lam |hoan thanh|tiep tuc|nang cao|long ghep|su dung|ung dung|phat trien|mo |thay|hien thi|cai dat"
    r"|tai |tao|huy dong|ket noi|cung cap|rut kinh nghiem|khao sat|du thao|soan|thiet ke|san xuat|bien tap|xuat ban"
    r"|dan|niem yet|truyen thong|phan phoi|van hanh|kien toan|quan ly|doc|xem|thuc hanh|thi|de xuat)")
_CLOSING = re.compile(
    r"trong qua trinh (?:trien khai |to chuc )*thuc hien.{0,80}(?:kho khan|vuong mac)"
    r"|^tran trong|nghiem tuc (?:trien khai |to chuc )*thuc hien|(?:chiu trach nhiem|co trach nhiem) (?:trien khai )?"
    r"(?:thuc hien|thi hanh) (?:cac nhiem vu duoc giao tai )?(?:ke hoach|cong van|van ban|quyet dinh|chi thi) nay"
    r"|(?:quyet dinh|ke hoach|van ban) nay co hieu luc|chiu trach nhiem thi hanh"
    # "Đề nghị các đơn vị quan tâm thực hiện./.": a courtesy, no task
    r"|^(?:de nghi|yeu cau|kinh de nghi|rat mong)\s(?:[a-z ,]{0,60}\s)?(?:quan tam|nghiem tuc|khan truong|tich cuc)?"
    r"\s*(?:phoi hop\s*)?(?:trien khai\s*)?(?:thuc hien|trien khai)(?: tot| kip thoi| nghiem tuc)?"
    r"(?: (?:cong van|ke hoach|van ban|thong bao|noi dung) (?:nay|tren))?\W*$")
_PREAMBLE = re.compile(r"^(?:thuc hien|can cu|theo|xet|nham|ngay \d|tiep theo|sau khi|qua |hien nay|\(kem theo"
                       r"|\(ban hanh kem)")
_DIRECTIVE_CUE = re.compile(r"(?:^|\W)(?:giao|de nghi|yeu cau|chu tri|phoi hop|co trach nhiem|thuc hien|bao cao"
                            r"|trien khai|to chuc)(?:\W|$)")
_TERMINAL = re.compile(r"[.;!?]\W*$")
_CONNECTOR_START = re.compile(r"^(?:theo do|dong thoi|ben canh do|ngoai ra|cung voi do|tiep do|sau do|vi vay"
                              r"|do do|tu nay)\s*,?\s*")
_LEADING_CLAUSE = re.compile(r"^(?:de (?!nghi)|tren co so|nham|can cu|huong ung|trien khai|thuc hien|truoc tinh hinh"
                             r"|trong (?:thoi gian|qua trinh|dip)|ngay \d)")
# an entitlement, a figure or a fact is not a task: "được nghỉ", "được hưởng nguyên lương",
# "Năm 2024, toàn quận có 96% ...", "12/12 phường đã tổ chức ...", "vẫn tiếp nhận hồ sơ"
_NOT_A_TASK = re.compile(r"(?<![a-z])duoc (?:nghi|huong|cap|tang|mien|giam|khen|nhan)(?![a-z])"
                         r"|^(?:nam|trong nam) \d{4},"
                         r"|^\d+/\d+ (?:phuong|xa|don vi|truong|co quan)"
                         r"|(?<![a-z])(?:van|se) (?:tiep nhan|lam viec|hoat dong binh thuong)(?![a-z])"
                         r"|^(?:toan (?:quan|phuong|xa|thanh pho)|ca nuoc) (?:co|da|dat)\b"
                         r"|^(?:tinh hinh|ket qua dat duoc|ket qua thuc hien)\b"
                         r"|(?<![a-z])da (?:hoan thanh|thuc hien|to chuc|trien khai|duoc)(?![a-z])"
                         # what a decision does by itself ("Điều 1. Thành lập Ban Tổ chức ...")
                         r"|^(?:thanh lap|phe duyet|cong nhan|kien toan|bai bo|ban hanh kem theo)\b")
_GENERIC_SUBJECT = re.compile(r"^(?:(?:de nghi|yeu cau) )?(?:toan the |tat ca )?(?:(?:cac )?co quan, don vi|can bo, "
                              r"(?:cong chuc|dang vien|hoi vien)|cong chuc, vien chuc|nhan dan|hoi vien|doan vien"
                              r"|cac ho gia dinh|nguoi dan|cac tang lop nhan dan)\b")
_SENTENCE_TASK = re.compile(r"(?<=[.;])\s+(?=(?:Giao|Đề nghị|Yêu cầu|giao|đề nghị|yêu cầu)\s)")


def _rank_of(kind: str, label: str) -> float:
    rank = MARKER_RANK.get(kind, 3)
    if kind == "num":
        rank += 0.25 * num_depth(label)
    return float(rank)


class Segmenter:
    def __init__(self, doc: CleanDoc, matcher: UnitMatcher, year_hint: int | None, doc_date: date | None,
                 recipients: list[UnitRef], doc_type: str | None):
        self.doc = doc
        self.matcher = matcher
        self.year = year_hint
        self.doc_date = doc_date
        self.recipients = recipients
        self.doc_type = doc_type
        self.tasks: list[TaskProposal] = []
        self._last_task: TaskProposal | None = None
        self._last_index = -10  # paragraph index that made (or last extended) _last_task

    # -------------------------------------------------------------- tree

    def build_tree(self, indexes: list[int]) -> Node:
        root = Node(-1, None, None, -1.0)
        stack = [root]
        for i in indexes:
            para = self.doc.paras[i]
            if para.kind != "p":
                continue
            text = para.text
            kind, label, own = marker_of(text)
            node = Node(i, para, kind, 0.0, own)
            node.mentions = self.matcher.find(node.own_text, self.recipients)
            if kind is not None:
                node.rank = _rank_of(kind, label)
                if is_caps_heading(text[own:]) and kind == "roman":
                    node.kind = "roman"
            elif is_caps_heading(text) and len(text) < 120:
                node.kind, node.rank = "caps", 0.0
            else:
                top = stack[-1]
                if self._is_unit_heading(node):
                    # a unit heading sits under a section or a numbered item, never under a bullet
                    base = next((n for n in reversed(stack) if n.kind in (None, "roman", "caps", "num", "article",
                                                                          "letter", "letterdot")), root)
                    node.kind, node.rank = "unit", base.rank + 0.5
                elif top.para is not None and top.kind not in ("free", "body", "caps", "roman") and not top.children \
                        and (self._short_heading(top) or _TIME_INFO.match(node.folded) or _INFO_START.match(node.folded)):
                    node.kind, node.rank = "body", top.rank + 0.5
                else:
                    section = next((n for n in reversed(stack) if n.kind in ("caps", "roman")), root)
                    node.kind, node.rank = "free", section.rank + 0.5
            while len(stack) > 1 and stack[-1].rank >= node.rank:
                stack.pop()
            node.parent = stack[-1]
            stack[-1].children.append(node)
            if node.kind not in ("free", "body"):
                stack.append(node)  # running paragraphs hold no items
        return root

    def _is_unit_heading(self, node: Node) -> bool:
        text = node.own_text.strip()
        if not node.mentions or len(text) > 160:
            return False
        covered = sum(m.end - m.start for m in node.mentions)
        rest = fold_keep(text)
        for m in sorted(node.mentions, key=lambda m: -m.start):
            rest = rest[:m.start] + rest[m.end:]
        rest = re.sub(r"\b(?:giao|doi voi|trach nhiem cua|nhiem vu cua|cac|va|quan|thuoc quan|ngo quyen)\b", " ", rest)
        rest = re.sub(r"[\W\d_]+", "", rest)
        return covered > 0 and len(rest) <= 6 and (text.endswith(":") or len(text) < 90)

    @staticmethod
    def _short_heading(node: Node) -> bool:
        text = node.own_text.strip()
        return len(text.split()) <= 15 and not _TERMINAL.search(text)

    # -------------------------------------------------------------- tasks

    def run(self, body: list[int], appendix: list[int]) -> list[TaskProposal]:
        self._closing_reports: list[tuple[date, list[tuple[int, int, str]]]] = []
        root = self.build_tree(body)
        self._visit_children(root, Context())
        if appendix:
            self._last_task = None
            app_root = self.build_tree(appendix)
            self._visit_children(app_root, Context())
        self.tasks.extend(table_tasks(self.doc, self.matcher, self.recipients, self.year, self.doc_date))
        for when, spans in self._closing_reports:
            # "Các đơn vị báo cáo kết quả về ... trước ngày X" after the tasks covers each of them
            for task in self.tasks:
                if task.report_due_date is None and task.recurrence is None:
                    task.report_due_date = when
                    task.notes.append(f"Hạn báo cáo {when:%d/%m/%Y} lấy từ đoạn cuối văn bản, chung cho "
                                      f"các nhiệm vụ: cần kiểm tra.")
                    task.guessed.add("report_due_date")
        self.tasks.sort(key=lambda t: t.span[0])
        return self.tasks

    def _visit_children(self, node: Node, ctx: Context) -> None:
        local = Context(ctx.subject, ctx.dates, ctx.mode, ctx.defaults)
        for child in node.children:
            local = self._visit(child, local) or local

    def _visit(self, node: Node, ctx: Context) -> Context | None:
        """Handle one node; may return an updated context for its following siblings."""
        f = node.folded
        if node.kind not in ("roman", "caps") and self._closing_report(node, ctx):
            return None
        if _CLOSING.search(f):
            return None
        if node.kind in ("roman", "caps"):
            title = re.sub(r"^[ivx]+\W+", "", f)
            mode = "normal"
            if _APPENDIX_TITLE.match(title):
                mode = "normal"
            elif _SKIP_SECTION.match(title) and not _TASK_SECTION.search(title):
                mode = "skip"
            elif _CONTENT_SECTION.match(title) and not _TASK_SECTION.search(title):
                mode = "shallow"
            self._last_task = None
            self._visit_children(node, Context(ctx.subject, ctx.dates, mode, ctx.defaults))
            return None
        if ctx.mode == "skip":
            return None
        if ctx.mode == "shallow" and node.parent is not None and node.parent.kind in ("roman", "caps") \
                and node.kind != "free" and not self._dated_actions(node):
            self._make_task(node, ctx, content_nodes=list(node.descendants()))
            return None
        content_children = [c for c in node.children if self._content_like(c)]
        task_children = [c for c in node.children if c not in content_children]
        if node.kind == "free" or (node.kind == "body" and node.own_text.rstrip().endswith(":")):
            return self._free(node, ctx)  # an introduction under a heading hands its units down
        if task_children:
            # a heading: hand its units and dates down
            sub_ctx = Context(ctx.subject, ctx.dates, ctx.mode, ctx.defaults)
            subject = subject_of_heading(node.own_text, node.mentions)
            if subject is not None:
                sub_ctx.subject = subject
            dates = extract_dates(node.own_text, self.year, self.doc_date)
            if not dates.empty():
                sub_ctx.dates = dates
            if node.kind == "unit" or subject is not None:
                self._last_task = None
            self._visit_children(node, sub_ctx)
            return None
        if node.kind == "unit":
            return None
        if self._content_like(node):
            if self._last_task is not None and node.parent is not None and node.parent.kind not in (None,):
                self._append_content(self._last_task, [node] + list(node.descendants()))
            return None
        if _NOT_A_TASK.search(f) and not re.search(r"(?<![a-z])(?<!duoc )(?:giao|de nghi|yeu cau)(?![a-z])", f):
            return None  # "Cán bộ ... được nghỉ ...", "Năm 2024, toàn quận có ...": information
        if len(f.split()) < 3 or (_APPENDIX_POINTER.search(f) and not _VERBS.match(f) and len(f.split()) <= 15):
            return None  # too short, or "Các nhiệm vụ cụ thể khác theo Phụ lục đính kèm."
        self._make_task(node, ctx, content_nodes=content_children + [d for c in content_children for d in c.descendants()])
        return None

    def _free(self, node: Node, ctx: Context) -> Context | None:
        f = node.folded
        text = node.own_text.strip()
        res = assign_roles(node.own_text, node.mentions)
        if text.endswith(":") and res.roles:
            # "... đề nghị các cơ quan, đơn vị, UBND các phường ... một số nội dung sau:"
            defaults = Subject(units=[u for u, _, _ in res.ordered()], phrases=[p for _, _, p in res.ordered()])
            return Context(ctx.subject, ctx.dates, ctx.mode, defaults)
        if text.endswith(":") or self._content_like(node):
            if self._content_like(node) and self._last_task is not None and _TIME_INFO.match(f):
                self._append_content(self._last_task, [node])
            return None
        if not _TERMINAL.search(text) and len(f.split()) <= 20 and not re.search(r"\d{1,2}/\d{1,2}", f):
            return None  # a headline or a line cut short, not a sentence
        # the main clause after a lead-in: "Theo đó, X giao Y ...", "Nhằm ..., X đề nghị Y ...",
        # "Ngày ..., X ban hành ...; X giao Y ...", "Trên cơ sở ..., Y tổ chức ..."
        cut = self._main_clause(node)
        if cut is None:
            return None
        if cut:
            node.own += cut
            node.mentions = self.matcher.find(node.own_text, self.recipients)
            f = node.folded
            res = assign_roles(node.own_text, node.mentions)
        if _NOT_A_TASK.search(f):
            return None
        dates = extract_dates(node.own_text, self.year, self.doc_date)
        generic = _GENERIC_SUBJECT.match(f)
        if not (_DIRECTIVE_CUE.search(self._without_names(node)) or self._subject_then_verb(node, res) or generic):
            return None
        if not (res.roles or res.unmatched or not dates.empty() or generic):
            return None
        if self._follow_up_report(node, res, dates):
            return None
        self._make_task(node, ctx, content_nodes=list(node.descendants()))
        return None

    def _main_clause(self, node: Node) -> int | None:
        """Offset in the node's text where its directing clause starts (0: the whole of it), or
        None when it is only a lead-in (grounds, a summary of what was issued)."""
        f = node.folded
        m = _CONNECTOR_START.match(f)
        start = m.end() if m else 0
        if not _PREAMBLE.match(f[start:]) and not _LEADING_CLAUSE.match(f[start:]):
            return start
        for cut in re.finditer(r"[,;]\s+", f):
            pos = cut.end()
            if pos <= start:
                continue
            rest = f[pos:]
            if re.match(r"(?:giao|de nghi|yeu cau|dong thoi)\b", rest):
                return pos
            mention = next((x for x in node.mentions if pos <= x.start <= pos + 2), None)
            if mention is None:
                mention = next((x for x in self.matcher.find(node.own_text[pos:]) if x.start <= 2), None)
                end = pos + mention.end if mention else None
            else:
                end = mention.end
            if end is None:
                continue
            after = f[end:end + 60]
            if re.match(r"[^,;.]{0,80}?(?<![a-z])ban hanh\b", f[pos:]):
                continue  # "ngày 08/3, Phòng ... ban hành Văn bản số ...": what was issued, not a task
            if re.match(r"[\s,]*(?:[a-z]+ ){0,3}?(?:da )?[a-z]", after):
                return pos
        return None

    def _without_names(self, node: Node) -> str:
        """The folded text with unit names blanked ("Ban Tổ chức" holds no "tổ chức")."""
        f = node.folded
        for m in node.mentions:
            f = f[:m.start] + " " * (m.end - m.start) + f[m.end:]
        return f

    def _subject_then_verb(self, node: Node, res) -> bool:
        """"<unit> <verb> ...": a named (or unmatched) unit opens the sentence and a lower-case word
        follows it, whatever the verb ("dựng pano", "sơn sửa", "vận động", "đăng ký")."""
        first = node.mentions[0] if node.mentions else None
        if first is None or first.start > 3:
            return False
        chain_end = first.end
        for m in node.mentions[1:]:
            if re.fullmatch(r"[\s,;&()\-–]*(?:va|cung|cac|va cac|\(.*?\))?[\s,;&()\-–]*",
                            fold_keep(node.own_text[chain_end:m.start])):
                chain_end = m.end
            else:
                break
        after = node.own_text[chain_end:].lstrip(" ,)")
        after = re.sub(r"^\([^)]*\)\s*", "", after)  # "(quận Hải An)"
        return bool(after[:1].islower()) and not re.match(r"(?:được|đã|là|có|gồm|thuộc|của)\b", after)

    def _closing_report(self, node: Node, ctx: Context) -> bool:
        """A paragraph that only asks for a report by a date, addressed to nobody in particular
        ("Các đơn vị báo cáo kết quả về Phòng ... trước 9h00 ngày X", "Kết quả gửi về ... chậm nhất
        ngày X"): the report deadline of the tasks, not a task of its own."""
        if node.kind != "free" or (ctx.subject is not None and ctx.subject.named()) \
                or not (self.tasks or self.doc.tables):
            return False
        if any(m.units and not m.recipients and not m.unmatched for m in node.mentions
               if not re.search(r"(?:ve|cho|gui|qua|len|bao cao)\s*\(?\s*$", fold_keep(node.own_text[:m.start]))):
            return False  # a named unit is asked: its own task
        dates = extract_dates(node.own_text, self.year, self.doc_date)
        if not dates.report_due_date or dates.due_date or dates.start_date or dates.recurrence:
            return False
        if not re.search(r"bao cao|ket qua|so lieu|tong hop", node.folded) \
                or re.match(r"\W*bao cao (?:nam|6 thang|sau thang|quy|thang|so ket|tong ket|dinh ky)", node.folded):
            return False  # "Tác phẩm gửi về Ban Tổ chức ...", "Báo cáo năm gửi ...": not a closing report
        base = node.para.start + node.own
        self._closing_reports.append((dates.report_due_date,
                                      [(base + s, base + e, w) for s, e, w in dates.used if w == "report"]))
        return True

    def _follow_up_report(self, node: Node, res, dates: TaskDates) -> bool:
        """"X báo cáo kết quả ... trước ngày D" right after X's task (a page break may have cut
        the item in two): the report deadline of that task, not a task of its own."""
        task = self._last_task
        if task is None or self._last_index != node.index - 1 or not dates.report_due_date \
                or dates.due_date or dates.start_date or task.report_due_date:
            return False
        start = res.subject_at_start[1] if res.subject_at_start else 0
        if not re.match(r"[\W]*(?:tong hop(?: ket qua)?,?\s*)?bao cao", fold_keep(node.own_text[start:])):
            return False
        codes = {a.unit.code for a in task.assignments}
        mine = {c for c, (u, role, _) in res.roles.items() if role != Role.COORDINATE.value}
        if not mine or not mine <= codes:
            return False
        task.report_due_date = dates.report_due_date
        task.content = f"{task.content}\n{node.text}"
        base = node.para.start + node.own
        task.date_spans.extend((base + s, base + e, what) for s, e, what in dates.used)
        self._last_index = node.index
        return True

    def _dated_actions(self, node: Node) -> bool:
        """Sub-items that are actions with their own period ("- Tuyên truyền trực quan: treo băng rôn
        từ ngày ... đến ngày ..."): tasks of their own, even in a "Nội dung" section."""
        for child in node.children:
            if self._content_like(child):
                continue
            d = extract_dates(child.own_text, self.year, self.doc_date)
            if d.start_date or d.due_date:
                return True
        return False

    def _content_like(self, node: Node) -> bool:
        f = node.folded
        if node.kind in ("roman", "caps", "unit"):
            return False
        if _INFO_START.match(f):
            return True
        if ":" in f[:120]:
            label, rest = f.split(":", 1)
            words = label.split()
            if _VERBS.match(rest.strip()) and (extract_dates(node.own_text, self.year, self.doc_date).start_date
                                               or extract_dates(node.own_text, self.year, self.doc_date).due_date):
                return False  # "- Tuyên truyền trực quan: treo băng rôn từ ngày ... đến ngày ...": an action
            if 0 < len(words) <= 10 and not _VERBS.match(label) and not node.mentions:
                return True
        return False

    # -------------------------------------------------------------- building a task

    def _append_content(self, task: TaskProposal, nodes: list[Node]) -> None:
        extra = "\n".join(n.text for n in nodes)
        task.content = f"{task.content}\n{extra}" if task.content else extra
        for n in nodes:
            if _TIME_INFO.match(n.folded) or re.search(r"thoi gian|thoi han", n.folded[:40]):
                d = extract_dates(n.own_text, self.year, self.doc_date)
                apply_dates(task, d, n.para.start + n.own, self.doc.text, fill_only=True)

    def _make_task(self, node: Node, ctx: Context, content_nodes: list[Node]) -> None:
        segments = self._sentence_segments(node.own_text)
        for seg_start, seg_end in segments:
            text = node.own_text[seg_start:seg_end]
            if seg_start == 0 and len(segments) == 1:
                mentions = node.mentions
                evidence_start, evidence_end = node.para.start, node.para.end
                evidence = node.text
            else:
                lead_ws = len(text) - len(text.lstrip())
                text = text.strip()
                mentions = self.matcher.find(text, self.recipients)
                evidence_start = node.para.start + node.own + seg_start + lead_ws
                evidence_end = evidence_start + len(text)
                evidence = text
            own_abs = evidence_start if len(segments) > 1 else node.para.start + node.own
            res = assign_roles(text, mentions, ctx.subject, ctx.defaults or self._recipient_subject())
            dates = extract_dates(text, self.year, self.doc_date)
            task = TaskProposal(summary=task_summary(text, res), evidence=evidence, span=(evidence_start, evidence_end),
                                content=evidence)
            guessed = {u.code for m in mentions if m.fuzzy for u in m.units}
            for unit, role, phrase in res.ordered():
                task.assignments.append(ProposedAssignment(unit, role, phrase, guess=unit.code in guessed))
            if any(a.guess for a in task.assignments):
                task.guessed.add("units")
            # every name found and not in the tree, whatever its role: the officer sees what was meant
            task.unmatched = list(res.unmatched) + [m.phrase for m in mentions if (m.unmatched or not m.units)
                                                    and m.phrase not in res.unmatched]
            apply_dates(task, dates, own_abs, self.doc.text)
            if ctx.dates is not None and not (task.start_date or task.due_date or task.recurrence):
                task.start_date = task.start_date or ctx.dates.start_date
                task.due_date = task.due_date or ctx.dates.due_date
                task.recurrence = task.recurrence or ctx.dates.recurrence
                task.report_due_date = task.report_due_date or ctx.dates.report_due_date
                if ctx.dates.ongoing and not task.due_date:
                    task.kind = TaskKind.ONGOING.value
            set_kind(task)
            self.tasks.append(task)
            self._last_task = task
            self._last_index = node.index
        if content_nodes and self._last_task is not None:
            self._append_content(self._last_task, content_nodes)

    def _recipient_subject(self) -> Subject | None:
        if not self.recipients:
            return None
        return Subject(units=list(self.recipients), phrases=["Kính gửi"])

    @staticmethod
    def _sentence_segments(text: str) -> list[tuple[int, int]]:
        """Split "Giao X ...; giao Y ..." into one task per directed sentence."""
        cuts = [m.start() for m in _SENTENCE_TASK.finditer(text)]
        if not cuts:
            return [(0, len(text))]
        bounds = [0] + cuts + [len(text)]
        segs = [(bounds[k], bounds[k + 1]) for k in range(len(bounds) - 1)]
        # a first segment that only introduces ("Ủy ban nhân dân quận có ý kiến:") folds into the next
        first = fold_keep(text[segs[0][0]:segs[0][1]]).strip()
        if not re.match(r"^[\W\d]*(?:giao|de nghi|yeu cau)\b", first) and len(segs) > 1:
            if _PREAMBLE.match(first) or len(first.split()) < 8:
                segs = [(segs[0][0], segs[1][1])] + segs[2:]
        return segs

_APPENDIX_TITLE = re.compile(r"^(?:phu luc|danh muc)")
_APPENDIX_POINTER = re.compile(r"(?:theo|tai|o|trong) (?:cac )?(?:phu luc|danh muc)")
