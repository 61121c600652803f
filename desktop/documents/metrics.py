"""Printed widths of Times New Roman text, and the column widths of grid tables from them
(what must stay on one line: dates, numbers, status words; what may wrap at words).
"""

from __future__ import annotations

import unicodedata
from typing import Iterable, Sequence

from docx.shared import Cm

from desktop.documents.ooxml import MERGE_UP
from desktop.documents.text import clean, inline

# Advance widths of Times New Roman in thousandths of an em, read from Liberation Serif (made to the
# same metrics): printable ASCII, then the few other characters the tables print. A Vietnamese
# letter is as wide as its base letter (NFD), except Ơ/ơ/Ư/ư whose horn adds about 0.06 em.
_METRIC_CHARS = "".join(chr(c) for c in range(32, 127)) + "Đđ–—«»…‘’“”"
_WIDTHS = {
    False: (250, 333, 408, 500, 500, 833, 778, 180, 333, 333, 500, 564, 250, 333, 250, 278, 500, 500, 500, 500, 500,
            500, 500, 500, 500, 500, 278, 278, 564, 564, 564, 444, 921, 722, 667, 667, 722, 611, 556, 722, 722, 333,
            389, 722, 611, 889, 722, 722, 556, 722, 667, 556, 611, 722, 722, 944, 722, 722, 611, 333, 278, 333, 469,
            500, 333, 444, 500, 444, 500, 444, 333, 500, 500, 278, 278, 500, 278, 778, 500, 500, 500, 500, 333, 389,
            278, 500, 500, 722, 500, 500, 444, 480, 200, 480, 541, 722, 500, 500, 1000, 500, 500, 1000, 333, 333,
            444, 444),
    True: (250, 333, 555, 500, 500, 1000, 833, 278, 333, 333, 500, 570, 250, 333, 250, 278, 500, 500, 500, 500, 500,
           500, 500, 500, 500, 500, 333, 333, 570, 570, 570, 500, 930, 722, 667, 722, 722, 667, 611, 778, 778, 389,
           500, 778, 667, 944, 722, 778, 611, 778, 722, 556, 667, 722, 722, 1000, 722, 722, 667, 333, 278, 333, 581,
           500, 333, 500, 556, 444, 556, 444, 333, 500, 556, 278, 333, 556, 278, 833, 556, 500, 556, 556, 444, 389,
           333, 556, 500, 722, 500, 500, 444, 394, 220, 394, 520, 722, 556, 500, 1000, 500, 500, 1000, 333, 333,
           500, 500),
}
_ADVANCE = {bold: dict(zip(_METRIC_CHARS, widths)) for bold, widths in _WIDTHS.items()}
_HORNED = "ƠơƯư"

# Left and right margin of a grid table cell (twips): 1 mm, narrow status columns need the room.
GRID_CELL_MARGIN = 57
# What a line may lack before LibreOffice or Word breaks it (rounding of glyph positions, kerning).
_LINE_SLACK = 1.02


def _advance(ch: str, bold: bool) -> int:
    table = _ADVANCE[bold]
    width = table.get(ch)
    if width is not None:
        return width
    base = unicodedata.normalize("NFD", ch)[:1]
    width = table.get(base)
    if width is None:
        return 722 if ch.isupper() else 500
    return width + (60 if ch in _HORNED else 0)


def text_twips(text: str, points: float, bold: bool = False) -> int:
    """Printed width of ``text`` on one line in Times New Roman, in twips (1/20 pt).

    A 12 pt "05/09/2025" is 1,094 twips: eight digits of 0.5 em and two slashes of 0.278 em.
    """
    thousandths = sum(_advance(ch, bold) for ch in clean(text))
    return int(thousandths * points * 20 / 1000 + 0.999)


def cell_twips(text: str, points: float, bold: bool = False) -> int:
    """The narrowest grid-table column (twips) that shows ``text`` on one line."""
    return int(text_twips(text, points, bold) * _LINE_SLACK) + 2 * GRID_CELL_MARGIN + 10


def longest_word_twips(texts: Iterable[object], points: float, bold: bool = False) -> int:
    """The column width (twips) under which one of the words of ``texts`` would be cut."""
    words = {w for t in texts for line in (t if isinstance(t, (list, tuple)) else [t]) for w in inline(line).split()}
    return max((cell_twips(w, points, bold) for w in words), default=0)


def longest_line_twips(texts: Iterable[object], points: float, bold: bool = False) -> int:
    """The column width (twips) that shows every line of ``texts`` unbroken."""
    lines = {inline(line) for t in texts for line in (t if isinstance(t, (list, tuple)) else [t])}
    return max((cell_twips(line, points, bold) for line in lines), default=0)


def fit_columns(minimum: Sequence[int], natural: Sequence[int], total: int,
                stretch: Sequence[float] | None = None) -> list[int] | None:
    """Column widths (twips) adding up to ``total``: every column its ``minimum`` (what must not
    break: dates, numbers, single words), then the room left given towards each column's
    ``natural`` width (its longest line) in proportion to what it lacks, then what is still left by
    ``stretch`` (weights; the wrapping columns). None when the minimums do not fit."""
    widths = [int(m) for m in minimum]
    room = int(total) - sum(widths)
    if room < 0:
        return None
    wants = [max(0, int(n) - w) for n, w in zip(natural, widths)]
    wanted = sum(wants)
    if wanted:
        share = min(1.0, room / wanted)
        for i, want in enumerate(wants):
            widths[i] += int(want * share)
    room = int(total) - sum(widths)
    weights = list(stretch) if stretch is not None else [1.0] * len(widths)
    if room > 0 and sum(weights) > 0:
        for i, weight in enumerate(weights):
            widths[i] += int(room * weight / sum(weights))
    widths[max(range(len(widths)), key=lambda i: weights[i])] += int(total) - sum(widths)
    return widths


# A column of text that wraps is never narrower than this (twips, 2.5 cm).
MIN_TEXT_COLUMN = 1417


def column_needs(headers: Sequence[str], columns: Sequence[Sequence[object]], size: float,
                  whole: Sequence[bool | float], bold_values: Sequence[Sequence[object]] = ()
                  ) -> tuple[list[int], list[int]]:
    """(minimum, natural) per column. A ``whole`` column never breaks a line (dates, counts,
    status words); a fraction keeps that share of its lines whole (the rare long status may
    wrap); the others keep their words whole. Headers wrap at words, in bold."""
    minimum, natural = [], []
    for i, header in enumerate(headers):
        values = [v for v in columns[i] if v is not MERGE_UP]
        bold = [row[i] for row in bold_values if i < len(row) and row[i] is not MERGE_UP]
        head = longest_word_twips([header], size, bold=True)
        lines = max(longest_line_twips(values, size), longest_line_twips(bold, size, bold=True))
        if whole[i] is not True and whole[i]:
            widths = sorted(longest_line_twips([v], size) for v in values) or [0]
            share = widths[min(len(widths) - 1, int(len(widths) * float(whole[i])))]
            minimum.append(max(head, share, longest_word_twips(values, size),
                               longest_line_twips(bold, size, bold=True)))
        elif whole[i]:
            minimum.append(max(head, lines))
        else:
            minimum.append(max(head, longest_word_twips(values, size), longest_word_twips(bold, size, bold=True),
                               MIN_TEXT_COLUMN))
        natural.append(max(minimum[-1], lines))
    return minimum, natural


def estimate_width(text: str, points: float, bold: bool = False, upper: bool = False) -> int:
    """Rough printed width (EMU) of a Times New Roman line; used only to size decorative rules."""
    per_char_cm = (0.263 if upper else 0.205) * points / 12 * (1.0 if bold else 0.93)
    return int(Cm(per_char_cm * len(text)))
