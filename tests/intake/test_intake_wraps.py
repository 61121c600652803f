"""A PDF's printed lines break wherever the font puts the margin. The reader must give the same
tasks whatever the wrap points and page breaks are: a wrapped line's tail ("ngày 10/10/2024")
is part of its sentence, never a web page's date stamp or a page furniture line."""

from __future__ import annotations

import textwrap

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from intake_truth import DATA

from desktop.intake import read_directive
from desktop.intake.clean import _soft_lines
from desktop.intake.extract import WRAPPED

SEED = "2024-cv-vhtt-ngay-cds.txt"


def printed(text: str, width: int, page_every: int) -> str:
    """The text as the PDF reader gives it: each paragraph wrapped at ``width`` with the wrap
    marker on every line but the last, a page break every ``page_every`` lines."""
    lines: list[str] = []
    for para in text.split("\n"):
        if "\t" in para or "|" in para or not para.strip():
            lines.append(para)
            continue
        parts = textwrap.wrap(para, width, break_long_words=False, break_on_hyphens=False)
        lines.extend(p + WRAPPED for p in parts[:-1])
        lines.append(parts[-1])
    for k in range(len(lines) - page_every, 0, -page_every):
        lines.insert(k, "\f")
    return "\n".join(lines)


def test_the_tail_of_a_wrapped_line_that_looks_like_a_date_stamp_is_kept():
    lines = _soft_lines("Kế hoạch tuyên truyền\n- Phổ cập bộ nhận diện từ ngày 01/10/2024 đến" + WRAPPED
                        + "\nngày 10/10/2024\n\f\n- Khuyến khích cán bộ hưởng ứng.")
    assert any("ngày 10/10/2024" in x for x in lines)


def test_a_date_stamp_line_of_a_web_page_is_still_dropped():
    lines = _soft_lines("Kế hoạch tuyên truyền\nThứ hai, 07/10/2024 08:15\n- Khuyến khích cán bộ hưởng ứng.")
    assert not any("07/10/2024" in x for x in lines)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(width=st.integers(min_value=60, max_value=110), page_every=st.integers(min_value=12, max_value=45))
def test_the_seed_reads_the_same_at_any_wrap_width_and_page_break(width, page_every):
    text = (DATA / SEED).read_text(encoding="utf-8")
    expected = read_directive(text, filename=SEED)
    got = read_directive(printed(text, width, page_every), filename=SEED)
    assert [(t.summary[:40], t.start_date, t.due_date) for t in got.tasks] == \
        [(t.summary[:40], t.start_date, t.due_date) for t in expected.tasks]
