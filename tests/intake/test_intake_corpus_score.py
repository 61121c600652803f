"""The constructed reading corpus (tests/data/intake_corpus) scored by scripts/score_intake.py:
the reader must stay at least this good on it (figures measured when the corpus was written:
see the corpus README)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _scorer():
    spec = importlib.util.spec_from_file_location("score_intake", ROOT / "scripts" / "score_intake.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("score_intake", module)  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_corpus_has_every_layout_and_scores():
    scorer = _scorer()
    totals, docs = scorer.score_corpus()
    assert len(docs) >= 40
    units = {d["name"] for d in docs}
    assert any("zalo" in n for n in units) and any("phu-luc" in n for n in units)
    assert totals["tasks"].recall >= 0.97 and totals["tasks"].precision >= 0.97
    for field in ("start", "due", "report"):
        assert totals[field].recall >= 0.95 and totals[field].precision >= 0.95, field
    assert totals["units"].precision >= 0.98 and totals["units_exact"].recall >= 0.98
    assert totals["units"].recall >= 0.99  # 99.7 % (901/904) on 03/12/2026
    assert totals["doc"].recall >= 0.98


def test_scoring_notices_a_wrong_proposal(tmp_path):
    """The scorer itself: a truth that asks for another unit and date scores lower."""
    scorer = _scorer()
    src = scorer.CORPUS / "13-su-kien-mot-ngay"
    (tmp_path / "x.txt").write_text(src.with_suffix(".txt").read_text(encoding="utf-8"), encoding="utf-8")
    import json

    truth = json.loads(src.with_suffix(".json").read_text(encoding="utf-8"))
    truth["tasks"][0]["units"] = ["YT"]
    truth["tasks"][1]["due"] = "2025-03-03"
    (tmp_path / "x.json").write_text(json.dumps(truth, ensure_ascii=False), encoding="utf-8")
    totals, _ = scorer.score_corpus(tmp_path)
    assert totals["units_exact"].recall < 1 and totals["due"].recall < 1
