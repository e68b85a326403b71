#!/usr/bin/env python3
"""Scores a doisoat report.json against the generator's truth.json.

Usage: score_report.py TRUTH.json REPORT.json [--json]

A planted discrepancy is *found* when the report has a discrepancy of the same kind (and field) at
the same paper row or database line, and *flagged for review* when the report at least puts an
`uncertain` item on that row or line (a person will look, so it is not missed). Every
non-`uncertain` discrepancy that matches no planted item is a false alarm; those on rows carrying a
planted non-discrepancy are counted apart. `uncertain` items are split by why a person looks: the
paper row carries a hand correction (DOMAIN.md: a person must see those), the item points at a
planted discrepancy, or neither (a doubted reading on a row that agrees with the database).
Prints per kind and field, and a summary.
"""
import json
import sys
from collections import Counter, defaultdict


def scan_key(ref):
    return (ref["file"], ref["page"], ref["row"]) if ref else None


def main():
    truth = json.load(open(sys.argv[1], encoding="utf-8"))
    report = json.load(open(sys.argv[2], encoding="utf-8"))
    as_json = "--json" in sys.argv
    found = report["discrepancies"]
    by_scan = defaultdict(list)
    by_line = defaultdict(list)
    for i, d in enumerate(found):
        if d.get("scan"):
            by_scan[scan_key(d["scan"])].append(i)
        if d.get("db"):
            by_line[d["db"]["line"]].append(i)

    used = set()
    per = Counter()
    per_found = Counter()
    per_review = Counter()
    missed = []
    for p in truth["planted"]:
        label = p["kind"] + (":" + p["field"] if p.get("field") else "")
        per[label] += 1
        lines = {p.get("db_line"), p.get("original_db_line")} - {None}
        cands = set(by_scan.get(scan_key(p.get("scan")), []))
        for line in lines:
            cands |= set(by_line.get(line, []))
        exact = [i for i in cands
                 if found[i]["kind"] == p["kind"]
                 and (p["kind"] != "field_mismatch" or found[i]["field"] == p["field"])]
        review = [i for i in cands if found[i]["kind"] == "uncertain"]
        if exact:
            per_found[label] += 1
            per_review[label] += 1
            used.update(exact)
        elif review:
            per_review[label] += 1
            used.update(review)
        else:
            missed.append(p)

    non_rows = {scan_key(n.get("scan")) for n in truth["non_discrepancies"]}
    alarms = [d for i, d in enumerate(found) if i not in used and d["kind"] != "uncertain"]
    on_non = [d for d in alarms if d.get("scan") and scan_key(d["scan"]) in non_rows]
    uncertain = [i for i, d in enumerate(found) if d["kind"] == "uncertain"]
    hand_rows = {scan_key(r) for r in truth["rows"] if r.get("corrections")}
    on_hand = [i for i in uncertain if found[i].get("scan") and scan_key(found[i]["scan"]) in hand_rows]
    on_planted = [i for i in uncertain if i in used and i not in on_hand]
    flags = [d for d in found if d["kind"] != "uncertain"]
    rows = len(truth["rows"])
    planted = len(truth["planted"])
    summary = {
        "planted": planted,
        "found_exact": sum(per_found.values()),
        "found_or_flagged_for_review": sum(per_review.values()),
        "recall_exact": sum(per_found.values()) / planted if planted else 1.0,
        "recall_review": sum(per_review.values()) / planted if planted else 1.0,
        "flags": len(flags),
        "false_alarms": len(alarms),
        "false_alarms_on_non_discrepancies": len(on_non),
        "precision": (len(flags) - len(alarms)) / len(flags) if flags else 1.0,
        "uncertain": len(uncertain),
        "uncertain_per_100_rows": 100.0 * len(uncertain) / rows if rows else 0.0,
        "uncertain_on_hand_corrected_rows": len(on_hand),
        "uncertain_on_planted": len(on_planted),
        "uncertain_other": len(uncertain) - len(on_hand) - len(on_planted),
        "paper_rows_truth": rows,
        "paper_rows_read": len(report["rows"]),
    }
    if as_json:
        print(json.dumps({"summary": summary, "per_kind": {k: [per_found[k], per_review[k], per[k]] for k in sorted(per)}}, indent=1))
        return
    print(f"{'kind:field':34} found  review  planted")
    for k in sorted(per):
        print(f"{k:34} {per_found[k]:5}  {per_review[k]:6}  {per[k]:7}")
    for k, v in summary.items():
        print(f"{k}: {v:.4f}" if isinstance(v, float) else f"{k}: {v}")
    for p in missed:
        print("MISSED", p["id"], p["kind"], p.get("field"), p.get("scan"), p.get("db_line"), p.get("paper_value"), "|", p.get("db_value"))
    for d in alarms[:40]:
        print("FALSE ALARM", d["kind"], d.get("field"), d.get("scan"), d.get("db"), "|", d.get("explanation", "")[:140])


if __name__ == "__main__":
    main()
