"""gen-samples: a deterministic corpus of scanned diploma registers, database exports and truth.json.

Run through scripts/gen-samples; see docs/SAMPLES.md.
"""
import argparse
import hashlib
import json
import os
import random
import sys
from concurrent.futures import ProcessPoolExecutor

import numpy as np

from . import model, people
from .exports import write_exports
from .pdf import write_pdf
from .render import render

VERSION = 1
DEFAULT_SEED = 20180720


def parse_args(argv):
    p = argparse.ArgumentParser(prog="gen-samples", description=__doc__.splitlines()[0])
    p.add_argument("--out", required=True, help="output directory (created if missing)")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED)
    p.add_argument("--pages", type=int, default=8, help="register pages in total, over all books")
    p.add_argument("--books", type=int, default=1)
    p.add_argument("--year", type=int, default=2018)
    p.add_argument("--school", default="THPT Nguyễn Trãi")
    p.add_argument("--profile", choices=sorted(model.PROFILES), default="realistic")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                   help="pages rendered in parallel; does not change the output")
    a = p.parse_args(argv)
    if a.books < 1 or a.pages < 2 * a.books:
        p.error("need at least 2 pages per book (each book is split over 2 PDFs)")
    return a


def file_name(year, book, school, first, last):
    return f"{year}_{book}_{school}_T{first:02d}_T{last:02d}.pdf"


def _render_job(job):
    meta, book, rows, ctx, seed = job
    return render(meta, book, rows, ctx, seed)


def main(argv):
    a = parse_args(argv)
    os.makedirs(a.out, exist_ok=True)
    rng = random.Random(a.seed)
    books = model.make_books(rng, a.books, a.pages, a.year)

    # Each book is scanned into two PDFs (first half, second half), as a team splits a thick book.
    splits = {}
    for b in books:
        half = (b["pages"] + 1) // 2
        splits[b["book"]] = [(1, half), (half + 1, b["pages"])]

    def files_of_book(book, bp):
        for first, last in splits[book["book"]]:
            if first <= bp <= last:
                return file_name(a.year, book["book"], a.school, first, last), bp - first + 1
        raise AssertionError(bp)

    pages, rows = model.make_paper(rng, books, a.year, a.school, a.profile, files_of_book)
    ctx = {"school": a.school, "year": a.year,
           "decision": f"{rng.randint(900, 1500)}/QĐ-SGDĐT ngày {rng.randint(8, 14)}/7/{a.year}",
           "exam_date": f"25, 26, 27/6/{a.year}",
           "sign_day": rng.randint(15, 28), "sign_month": rng.choice([7, 8]),
           "director": people.name(rng, rng.choice(["Nam", "Nữ"]))}
    db_rows, planted, non = model.make_db(rng, books, rows, a.pages, a.year)
    # In the xlsx a few DOBs were typed as text; the date_format items must be (a date cell has no format).
    text_dob = {n["db_line"] for n in non if n["kind"] == "date_format"}
    text_dob |= set(rng.sample([r["line"] for r in db_rows], 3))

    book_of = {b["book"]: b for b in books}
    jobs = []
    for idx, page in enumerate(pages):
        on_page = [r for r in rows if r["file"] == page["file"] and r["page"] == page["page"]]
        jobs.append((page, book_of[page["book"]], on_page, ctx, [a.seed, idx]))
    with ProcessPoolExecutor(max_workers=max(1, a.jobs)) as ex:
        results = list(ex.map(_render_job, jobs))

    row_index = {(r["file"], r["page"], r["row"]): r for r in rows}
    by_file = {}
    for page, (jpeg, row_art, page_art) in zip(pages, results):
        page["artefacts"] = page_art
        for n, extra in row_art.items():
            row_index[(page["file"], page["page"], n)]["artefacts"].extend(extra)
        by_file.setdefault(page["file"], []).append((jpeg, page["dpi"]))

    files = []
    for b in books:
        for first, last in splits[b["book"]]:
            name = file_name(a.year, b["book"], a.school, first, last)
            data = write_pdf(os.path.join(a.out, name), by_file[name])
            files.append({"file": name, "book": b["book"], "from_page": first, "to_page": last,
                          "sha256": hashlib.sha256(data).hexdigest()})

    exports = write_exports(a.out, db_rows, ctx, text_dob)
    truth = build_truth(a, books, files, pages, rows, exports, db_rows, planted, non, text_dob)
    with open(os.path.join(a.out, "truth.json"), "w", encoding="utf-8", newline="\n") as f:
        json.dump(truth, f, ensure_ascii=False, indent=1)
        f.write("\n")
    return 0


PAGE_KEYS = ["file", "page", "book", "book_page", "dpi", "color", "rotation_deg", "jpeg_quality", "noise_sigma",
             "blur", "has_title", "has_header", "column_number_row", "data_rows", "empty_rows", "artefacts"]
ROW_KEYS = ["file", "page", "row", "book", "book_page", "stt", "name", "dob", "dob_text", "birthplace", "gender",
            "gender_text", "ethnicity", "exam_council", "grade", "diploma_no", "register_no", "note", "artefacts",
            "corrections"]
DB_KEYS = ["line", "stt", "source", "name", "dob", "dob_text", "birthplace", "gender", "ethnicity", "grade",
           "diploma_no", "register_no", "student_id", "class", "note", "xlsx_dob_is_text"]
BOOK_KEYS = ["book", "variant", "columns", "headers", "name_case", "header_on_every_page", "column_number_row",
             "dob_format", "gender_style", "diploma_space", "register_format", "pages"]
ITEM_KEYS = ["id", "kind", "field", "detail", "scan", "db_line", "original_db_line", "paper_value", "db_value",
             "note"]


def _pick(d, keys):
    return {k: d[k] for k in keys if k in d}


def build_truth(a, books, files, pages, rows, exports, db_rows, planted, non, text_dob):
    for db in db_rows:
        db["xlsx_dob_is_text"] = db["line"] in text_dob
    return {
        "generator": {"name": "gen-samples", "version": VERSION, "seed": a.seed,
                      "args": {"seed": a.seed, "pages": a.pages, "books": a.books, "year": a.year,
                               "school": a.school, "profile": a.profile},
                      "python_packages": {"numpy": np.__version__}},
        "year": a.year, "school": a.school, "region": "D",
        "books": [_pick(b, BOOK_KEYS) for b in books],
        "files": files,
        "pages": [_pick(p, PAGE_KEYS) for p in pages],
        "rows": [_pick(r, ROW_KEYS) | {"artefacts": sorted(set(r["artefacts"]))} for r in rows],
        "exports": exports,
        "db_rows": [_pick(d, DB_KEYS) | ({"non_nfc_fields": d["non_nfc_fields"]} if "non_nfc_fields" in d else {})
                    for d in db_rows],
        "planted": [_pick(p, ITEM_KEYS) for p in planted],
        "non_discrepancies": [_pick(n, ITEM_KEYS) for n in non],
        "row_order_shuffled": True,
    }


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
