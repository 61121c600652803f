"""Score the directive reader on the constructed corpus (tests/data/intake_corpus).

    python scripts/score_intake.py [-v] [FOLDER]

Each NAME.txt has its expected proposal in NAME.json: the document's number and date (issuer and
title as phrases the proposal must contain), and its tasks, each found among the proposals by a
phrase of its source sentence ("key"), with the unit codes ("@phuong" = every active unit of that
kind, "@TDP" = every tổ dân phố), dates and recurrence, and the names that are not in the unit
tree ("unmatched"). Prints recall and precision for tasks, each date field, units and unmatched
names; -v also lists what was missed or extra per document.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

CORPUS = ROOT / "tests" / "data" / "intake_corpus"
UNIT_FILES = {"quan": ROOT / "resources" / "default_units.json",
              "phuong": CORPUS / "units_phuong.json",
              "sau_sap_nhap": CORPUS / "units_sau_sap_nhap.json"}
DATE_FIELDS = ("start", "due", "report", "recurrence")


@dataclass
class Counts:
    tp: int = 0
    predicted: int = 0
    truth: int = 0

    @property
    def precision(self) -> float:
        return self.tp / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.tp / self.truth if self.truth else 1.0

    def add(self, other: "Counts") -> None:
        self.tp += other.tp
        self.predicted += other.predicted
        self.truth += other.truth

    def line(self, label: str) -> str:
        return (f"{label:<22} recall {self.recall:6.1%} ({self.tp}/{self.truth})   "
                f"precision {self.precision:6.1%} ({self.tp}/{self.predicted})")


def _fold(text: str) -> str:
    from desktop.intake.textutil import fold_keep

    return " ".join(fold_keep(text or "").split())


def expand_units(codes: list[str], units) -> set[str]:
    active = [u for u in units if not getattr(u, "archived_on", None)]
    out: set[str] = set()
    for code in codes:
        if code == "@TDP":
            out |= {u.code for u in active if u.name.startswith("Tổ dân phố")}
        elif code.startswith("@"):
            out |= {u.code for u in active if u.kind == code[1:]}
        else:
            out.add(code)
    return out


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def score_document(txt: Path, expected: dict) -> dict:
    from desktop.intake import load_default_units, read_directive

    units = load_default_units(UNIT_FILES[expected.get("units", "quan")])
    proposal = read_directive(txt, units=units)
    result = {"name": txt.stem, "tasks": Counts(), "units": Counts(), "unmatched": Counts(), "units_exact": Counts(),
              **{f: Counts() for f in DATE_FIELDS}, "doc": Counts(), "missed": [], "extra": [], "wrong": []}
    # the document's own data
    want = expected["doc"]
    got = proposal.to_dict()
    for key in ("doc_number", "doc_date"):
        result["doc"].truth += 1
        result["doc"].predicted += 1
        if got[key] == want.get(key):
            result["doc"].tp += 1
        elif got[key] or want.get(key):
            result["wrong"].append(f"{key}: {got[key]!r} ≠ {want.get(key)!r}")
    for key in ("issuer", "title"):
        if want.get(key):
            result["doc"].truth += 1
            result["doc"].predicted += 1
            if got[key] and _fold(want[key]) in _fold(got[key]):
                result["doc"].tp += 1
            else:
                result["wrong"].append(f"{key}: {got[key]!r} ≠ …{want[key]!r}…")
    # tasks, matched by their key phrase
    used: set[int] = set()
    pairs: list[tuple[dict, object]] = []
    for t in expected["tasks"]:
        key = _fold(t["key"])
        j = next((j for j, p in enumerate(proposal.tasks) if j not in used and key in _fold(p.evidence)), None)
        if j is None:
            result["missed"].append(t["key"])
            continue
        used.add(j)
        pairs.append((t, proposal.tasks[j]))
    result["tasks"] = Counts(len(pairs), len(proposal.tasks), len(expected["tasks"]))
    result["extra"] = [p.evidence[:70] for j, p in enumerate(proposal.tasks) if j not in used]
    for t, p in pairs:
        want_units = expand_units(t["units"], units)
        got_units = set(p.unit_codes)
        result["units"].add(Counts(len(want_units & got_units), len(got_units), len(want_units)))
        result["units_exact"].add(Counts(1 if want_units == got_units else 0, 1, 1))
        if want_units != got_units:
            result["wrong"].append(f"units «{t['key'][:40]}»: -{sorted(want_units - got_units)} "
                                   f"+{sorted(got_units - want_units)}")
        got_dates = {"start": _iso(p.start_date), "due": _iso(p.due_date), "report": _iso(p.report_due_date),
                     "recurrence": p.recurrence}
        for f in DATE_FIELDS:
            w, g = t.get(f), got_dates[f]
            result[f].add(Counts(1 if w and w == g else 0, 1 if g else 0, 1 if w else 0))
            if w != g:
                result["wrong"].append(f"{f} «{t['key'][:40]}»: {g} ≠ {w}")
        want_unmatched = [_fold(x) for x in t.get("unmatched", [])]
        got_unmatched = [_fold(x) for x in getattr(p, "unmatched", [])]
        hit = sum(1 for w in want_unmatched if any(w in g or g in w for g in got_unmatched if g))
        result["unmatched"].add(Counts(hit, len(got_unmatched) if want_unmatched else 0, len(want_unmatched)))
    return result


def score_corpus(folder: Path = CORPUS) -> tuple[dict, list[dict]]:
    docs = []
    totals = {k: Counts() for k in ("tasks", "units", "units_exact", "unmatched", *DATE_FIELDS, "doc")}
    for js in sorted(folder.glob("*.json")):
        if js.stem.startswith("units_"):
            continue
        expected = json.loads(js.read_text(encoding="utf-8"))
        r = score_document(js.with_suffix(".txt"), expected)
        docs.append(r)
        for k in totals:
            totals[k].add(r[k])
    return totals, docs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", default=str(CORPUS))
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    totals, docs = score_corpus(Path(args.folder))
    if args.verbose:
        for r in docs:
            if r["missed"] or r["extra"] or r["wrong"]:
                print(f"== {r['name']}")
                for m in r["missed"]:
                    print(f"   missed: {m}")
                for e in r["extra"]:
                    print(f"   extra:  {e}")
                for w in r["wrong"]:
                    print(f"   wrong:  {w}")
    print(f"{len(docs)} documents")
    labels = {"tasks": "tasks", "start": "start_date", "due": "due_date", "report": "report_due_date",
              "recurrence": "recurrence", "units": "units (task × unit)",
              "units_exact": "tasks with exact units", "unmatched": "unmatched names",
              "doc": "own number/date/issuer/title (right / asked)"}
    for key, label in labels.items():
        print(totals[key].line(label))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
