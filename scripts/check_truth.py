#!/usr/bin/env python3
"""Check a generated set against its truth.json: usage `check_truth.py DIR`.

Reads every export back with csv/openpyxl and asserts that
  * each file holds exactly truth's db_rows, in order, with the stated values;
  * every planted discrepancy and non-discrepancy is where truth says, with its paper and db values;
  * non-discrepancies fold equal (NFC, spaces, case, tone placement, date, diploma space) and
    discrepancies do not;
  * any other difference between a paper row and its db row is a hand correction.
Exit status 1 with one line per failure.
"""
import csv
import datetime
import hashlib
import io
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_samples.text import compact, fold, nfc, parse_dmy, to_windows_1258_form  # noqa: E402

failures = []


def fail(msg):
    failures.append(msg)


def read_table(path, spec):
    """Rows of an export as lists of cell values (header excluded)."""
    if spec["format"] == "xlsx":
        import openpyxl
        wb = openpyxl.load_workbook(path, read_only=True)
        ws = wb[spec["sheet"]]
        rows = [list(r) for r in ws.iter_rows(min_row=spec["header_row"], values_only=True)]
        return [("" if v is None else v) for v in rows[0]], [[("" if v is None else v) for v in r] for r in rows[1:]]
    with open(path, "rb") as f:
        raw = f.read()
    enc = {"utf-8": "utf-8", "utf-8-sig": "utf-8-sig", "utf-16": "utf-16", "windows-1258": "cp1258"}[spec["encoding"]]
    if spec["encoding"] == "utf-8" and raw.startswith(b"\xef\xbb\xbf"):
        fail(f"{spec['file']}: has a BOM but truth says utf-8 without")
    text = raw.decode(enc)
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=spec["separator"]))
    return rows[0], rows[1:]


def expected_text(spec, value):
    # cp1258 text is written in the code page's own (non-NFC) form; the others as-is.
    return to_windows_1258_form(value) if spec["encoding"] == "windows-1258" else value


def check_export(d, spec, db_rows):
    header, rows = read_table(os.path.join(d, spec["file"]), spec)
    if [nfc(str(h)) for h in header] != list(spec["columns"]):
        fail(f"{spec['file']}: header {header} != truth columns {list(spec['columns'])}")
        return
    if len(rows) != len(db_rows):
        fail(f"{spec['file']}: {len(rows)} data rows, truth has {len(db_rows)}")
        return
    keys = list(spec["columns"].values())
    for cells, db in zip(rows, db_rows):
        where = f"{spec['file']} line {db['line']}"
        got = dict(zip(keys, cells))
        if "family_middle" in got:
            m = re.match(r"^(.*\S)\s+(\S+)$", db["name"])
            want = (m.group(1), m.group(2))
            if (got["family_middle"], got["given"]) != tuple(expected_text(spec, w) for w in want):
                fail(f"{where}: split name {got['family_middle']!r}+{got['given']!r} != {want}")
        for key in ("name", "birthplace", "gender", "ethnicity", "grade", "diploma_no", "register_no", "student_id",
                    "class"):
            if key in got and got[key] != expected_text(spec, db[key]):
                fail(f"{where}: {key} {got[key]!r} != {db[key]!r}")
        if "stt" in got and str(got["stt"]) != str(db["stt"]):
            fail(f"{where}: stt {got['stt']!r} != {db['stt']}")
        if "dob" in got:
            v = got["dob"]
            if isinstance(v, datetime.datetime):
                if db["xlsx_dob_is_text"] or v.date().isoformat() != db["dob"]:
                    fail(f"{where}: dob date cell {v} vs truth {db['dob']} (text: {db['xlsx_dob_is_text']})")
            elif v != db["dob_text"] or parse_dmy(v) != db["dob"]:
                fail(f"{where}: dob {v!r} != {db['dob_text']!r} ({db['dob']})")


FOLD = {
    "name": fold, "birthplace": fold, "gender": fold, "ethnicity": fold, "register_no": compact,
    "diploma_no": compact, "dob": lambda v: parse_dmy(v), "grade": lambda v: fold(v.replace("TB", "Trung bình")),
}


def check_items(t):
    rows = {(r["file"], r["page"], r["row"]): r for r in t["rows"]}
    db = {r["line"]: r for r in t["db_rows"]}
    sourced = {}
    for r in t["db_rows"]:
        if r["source"]:
            sourced.setdefault((r["source"]["file"], r["source"]["page"], r["source"]["row"]), []).append(r)
    explained = set()  # (line, field) pairs a planted item accounts for
    for item in t["planted"] + t["non_discrepancies"]:
        iid, kind, field = item["id"], item["kind"], item["field"]
        scan = item["scan"] and rows.get((item["scan"]["file"], item["scan"]["page"], item["scan"]["row"]))
        line = item["db_line"] and db.get(item["db_line"])
        if kind == "missing_in_db":
            key = (scan["file"], scan["page"], scan["row"])
            if key in sourced or item["db_line"] is not None or scan["name"] != item["paper_value"]:
                fail(f"{iid}: paper row {key} should be missing from the db")
            continue
        if kind == "not_in_scan":
            if line is None or line["source"] is not None or line["name"] != item["db_value"]:
                fail(f"{iid}: db line {item['db_line']} should be an extra row")
            continue
        if kind == "duplicate_in_db":
            orig = db[item["original_db_line"]]
            same = all(orig[k] == line[k] for k in ("name", "dob", "diploma_no", "register_no"))
            if not same or line["source"] != orig["source"] or orig["line"] == line["line"]:
                fail(f"{iid}: line {item['db_line']} is not a copy of line {item['original_db_line']}")
            explained.add((line["line"], "*"))
            continue
        if scan is None or line is None or line["source"] != item["scan"]:
            fail(f"{iid}: scan {item['scan']} and db line {item['db_line']} are not the same row")
            continue
        paper = scan["dob_text"] if field == "dob" else scan[field]
        dbv = line["dob_text"] if field == "dob" else line[field]
        if paper != item["paper_value"] or dbv != item["db_value"]:
            fail(f"{iid}: values {paper!r}/{dbv!r} != truth {item['paper_value']!r}/{item['db_value']!r}")
        if kind == "nfd" and (dbv == nfc(dbv) or "name" not in line.get("non_nfc_fields", [])):
            fail(f"{iid}: db value is not NFD or not declared")
        equal = FOLD[field](paper) == FOLD[field](dbv)
        if kind == "empty_grade":
            equal = (paper == "") != (dbv == "")
        if kind == "field_mismatch" and equal:
            fail(f"{iid}: discrepancy {paper!r}/{dbv!r} folds equal")
        if kind != "field_mismatch" and not equal:
            fail(f"{iid}: non-discrepancy {paper!r}/{dbv!r} does not fold equal")
        explained.add((line["line"], field))
    # Nothing else may differ: a planted item, a hand correction, or a book-wide format explains it.
    for line in t["db_rows"]:
        if not line["source"] or (line["line"], "*") in explained:
            continue
        paper = rows[(line["source"]["file"], line["source"]["page"], line["source"]["row"])]
        corrected = {c["field"] for c in paper["corrections"]}
        for field in ("name", "dob", "birthplace", "gender", "ethnicity", "grade", "diploma_no", "register_no"):
            p = paper["dob_text"] if field == "dob" else paper[field]
            v = line["dob_text"] if field == "dob" else line[field]
            if p != v and (line["line"], field) not in explained and field not in corrected:
                # Book-wide formats (dd-mm-yyyy) differ on every row by design; compare as dates.
                if field == "dob" and parse_dmy(p) == parse_dmy(v) and v == p.replace("-", "/"):
                    continue
                fail(f"db line {line['line']}: {field} {v!r} differs from paper {p!r} without a planted item")


def main(d):
    with open(os.path.join(d, "truth.json"), encoding="utf-8") as f:
        t = json.load(f)
    for spec in t["exports"]:
        check_export(d, spec, t["db_rows"])
    for entry in t["files"]:
        with open(os.path.join(d, entry["file"]), "rb") as f:
            if hashlib.sha256(f.read()).hexdigest() != entry["sha256"]:
                fail(f"{entry['file']}: sha256 differs from truth")
    check_items(t)
    if [r["line"] for r in t["db_rows"]] != list(range(1, len(t["db_rows"]) + 1)):
        fail("db_rows lines are not 1..N")
    for msg in failures:
        print(f"check_truth: {msg}", file=sys.stderr)
    if not failures:
        print(f"check_truth: ok ({len(t['exports'])} exports, {len(t['db_rows'])} db rows, "
              f"{len(t['planted'])} planted, {len(t['non_discrepancies'])} non-discrepancies)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "samples")))
