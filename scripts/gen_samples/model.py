"""The paper truth (books, pages, rows) and the database rows derived from it with planted items.

Everything here is drawn from one `random.Random(seed)` in a fixed order, so the same arguments give
the same truth. Rendering adds geometry-dependent facts (which rows a stamp covers) afterwards.
"""
import datetime
import unicodedata

from . import people
from .text import alternate_tone_placement, fold, title_case

COLUMN_SETS = {
    # The default order named in the brief.
    "standard": ["stt", "name", "dob", "birthplace", "gender", "ethnicity", "grade", "diploma_no",
                 "register_no", "signature", "note"],
    # The Department template seen in DOMAIN.md has a "Hội đồng thi" column before the grade.
    "exam_council": ["stt", "name", "dob", "birthplace", "gender", "ethnicity", "exam_council",
                     "grade", "diploma_no", "register_no", "signature", "note"],
    # Older lists put the gender (often as a "Nữ" tick column) right after the name.
    "gender_first": ["stt", "name", "gender", "dob", "birthplace", "ethnicity", "grade",
                     "diploma_no", "register_no", "signature", "note"],
}

HEADER_SYNONYMS = {
    "stt": ["STT", "Số TT", "TT"],
    "name": ["Họ và tên", "Họ và tên người học", "Họ tên học sinh"],
    "dob": ["Ngày sinh", "Ngày tháng năm sinh", "Ngày, tháng, năm sinh"],
    "birthplace": ["Nơi sinh"],
    "gender": ["Giới tính", "Nam/Nữ"],
    "ethnicity": ["Dân tộc"],
    "exam_council": ["Hội đồng thi"],
    "grade": ["Xếp loại", "Xếp loại tốt nghiệp", "Xếp loại TN"],
    "diploma_no": ["Số hiệu văn bằng", "Số hiệu bằng", "Số hiệu VB"],
    "register_no": ["Số vào sổ", "Số vào sổ gốc", "Số vào sổ cấp bằng"],
    "signature": ["Chữ ký người nhận", "Chữ ký người nhận bằng", "Người nhận ký"],
    "note": ["Ghi chú"],
}

BOOK_NAMES = ["Sổ cấp bằng tốt nghiệp", "Sổ gốc cấp bằng tốt nghiệp THPT", "Sổ cấp phát bằng"]
GRADES = ["Khá", "Giỏi", "TB"]
SCHOOL_CODE = 68  # the school's code inside the Department, printed in register numbers

# Per profile: max rotation (deg), noise sigma and blur (px at 300 DPI) ranges, JPEG quality range by
# DPI, probabilities of a seal on a page, broken / faint ruling, and of a hand correction per row,
# and the strength of uneven light. A scanned text page at 300 DPI runs past 500 KB above q≈65,
# so 300 DPI pages get the lower qualities.
PROFILES = {
    "clean":     dict(rot=0.3, noise=(1.0, 2.0), blur=(0.6, 0.9), q={200: (75, 85), 300: (65, 75)}, stamp=0.0,
                      broken=0.0, faint=0.0, correction=0.0, light=0.04),
    "realistic": dict(rot=2.0, noise=(1.5, 3.5), blur=(0.9, 1.5), q={200: (60, 80), 300: (55, 65)}, stamp=0.35,
                      broken=0.25, faint=0.25, correction=0.025, light=0.10),
    "harsh":     dict(rot=4.0, noise=(4.0, 8.0), blur=(1.2, 1.8), q={200: (55, 65), 300: (55, 60)}, stamp=0.7,
                      broken=0.5, faint=0.5, correction=0.05, light=0.18),
}


def make_books(rng, n_books, n_pages, year):
    books = []
    used = set()
    for b in range(n_books):
        name = BOOK_NAMES[0] if b == 0 else rng.choice(BOOK_NAMES)
        base, k = name, 2
        while name in used:
            name, k = f"{base} quyển {k}", k + 1
        used.add(name)
        first = b == 0
        variant = "standard" if first else rng.choice(sorted(COLUMN_SETS))
        columns = COLUMN_SETS[variant]
        gender_style = "word" if first or variant != "gender_first" else rng.choice(["word", "x_if_female"])
        headers = []
        for c in columns:
            if c == "gender" and gender_style == "x_if_female":
                headers.append("Nữ")
            else:
                headers.append(rng.choice(HEADER_SYNONYMS[c]))
        register_format = "yyyy/sss/nnnn" if first else rng.choice(
            ["yyyy/sss/nnnn", "yyyy/yy/sss/nnnn", "nnn/ML", "ssssssnnnn"])
        books.append({
            "book": name,
            "variant": variant,
            "columns": columns,
            "headers": headers,
            "name_case": "upper" if first else rng.choice(["upper", "title"]),
            # The first book leaves the header to page 1 only: continuation pages are the hard case.
            "header_on_every_page": False if first else rng.random() < 0.6,
            "column_number_row": True if first else rng.random() < 0.5,
            "dob_format": "dd/mm/yyyy" if first else rng.choice(["dd/mm/yyyy", "dd-mm-yyyy"]),
            "gender_style": gender_style,
            "diploma_space": True if first else rng.random() < 0.5,
            "diploma_digits": 7 if first else rng.choice([6, 7]),
            "register_format": register_format,
            "grade_rate": 0.12 if first else rng.choice([0.0, 0.1, 0.3]),
            "pages": n_pages // n_books + (1 if b < n_pages % n_books else 0),
        })
    return books


def _register_no(fmt, year, seq):
    return {
        "yyyy/sss/nnnn": f"{year}/{SCHOOL_CODE:03d}/{seq:04d}",
        "yyyy/yy/sss/nnnn": f"{year}/{(year + 1) % 100:02d}/{SCHOOL_CODE:03d}/{seq:04d}",
        "nnn/ML": f"{seq}/ML",
        "ssssssnnnn": f"{SCHOOL_CODE:03d}{year % 1000:03d}{seq:04d}",
    }[fmt]


def _diploma(book, number):
    sep = " " if book["diploma_space"] else ""
    return f"B{sep}{number:0{book['diploma_digits']}d}"


def _dob_text(book, d):
    sep = "-" if book["dob_format"] == "dd-mm-yyyy" else "/"
    return f"{d.day:02d}{sep}{d.month:02d}{sep}{d.year}"


class Ids:
    """Student ids and classes are database-only fields; unique and stable per person."""

    def __init__(self, rng):
        self.rng, self.used = rng, set()

    def student_id(self):
        while True:
            sid = f"31{self.rng.randrange(10**8):08d}"
            if sid not in self.used:
                self.used.add(sid)
                return sid


def person(rng, book, year, sep, seen):
    """A fresh invented graduate; (name, dob) is unique so rows stay tellable apart."""
    while True:
        gender = rng.choice(["Nam", "Nữ"])
        name = people.name(rng, gender)
        d = people.dob(rng, year)
        if (name, d) not in seen:
            seen.add((name, d))
            break
    grade = rng.choice(GRADES) if rng.random() < book["grade_rate"] else ""
    return {"name": name, "gender": gender, "dob_date": d, "birthplace": people.birthplace(rng, sep),
            "ethnicity": people.ethnicity(rng), "grade": grade}


def make_paper(rng, books, year, school, profile, files_of_book):
    """Pages and rows of every book. Returns (pages, rows) in book/page/row order."""
    prof = PROFILES[profile]
    pages, rows = [], []
    seen = set()
    for book in books:
        # Consecutive blanks with a few spoiled ones skipped, as the Department hands them out.
        number = rng.randrange(10 ** (book["diploma_digits"] - 1), 3 * 10 ** (book["diploma_digits"] - 1))
        seq = rng.randrange(100, 3000)
        stt = 0
        n = book["pages"]
        for bp in range(1, n + 1):
            file, page_in_file = files_of_book(book, bp)
            last = bp == n
            if bp == 1:
                data_rows = rng.randint(13, 16)
            elif last:
                data_rows = rng.randint(6, 12)
            else:
                data_rows = rng.randint(18, 23)
            has_header = bp == 1 or book["header_on_every_page"]
            dpi = rng.choice([200, 200, 300])
            page = {
                "file": file, "page": page_in_file, "book": book["book"], "book_page": bp,
                "dpi": dpi,
                "rotation_deg": round(rng.uniform(-prof["rot"], prof["rot"]), 2),
                "jpeg_quality": rng.randint(*prof["q"][dpi]),
                "has_header": has_header,
                "has_title": bp == 1,
                "column_number_row": has_header and book["column_number_row"],
                "data_rows": data_rows,
                "empty_rows": rng.randint(2, 5) if last else 0,
                "footer_signature": last,
                "stamp": last or rng.random() < prof["stamp"],
                "broken_lines": rng.random() < prof["broken"],
                "faint_lines": rng.random() < prof["faint"],
                "noise_sigma": round(rng.uniform(*prof["noise"]), 2),
                "blur": round(rng.uniform(*prof["blur"]), 2),
                "light": prof["light"],
            }
            pages.append(page)
            for r in range(1, data_rows + 1):
                stt += 1
                number += 1 + (rng.random() < 0.03) * rng.randint(1, 3)
                seq += 1
                p = person(rng, book, year, " - " if rng.random() < 0.9 else ", ", seen)
                signed = rng.random() < 0.92
                row = {
                    "file": file, "page": page_in_file, "row": r, "book": book["book"], "book_page": bp,
                    "stt": stt,
                    "name": p["name"].upper() if book["name_case"] == "upper" else p["name"],
                    "dob": p["dob_date"].isoformat(),
                    "dob_text": _dob_text(book, p["dob_date"]),
                    "birthplace": p["birthplace"],
                    "gender": p["gender"],
                    "gender_text": p["gender"] if book["gender_style"] == "word" else (
                        "x" if p["gender"] == "Nữ" else ""),
                    "ethnicity": p["ethnicity"],
                    "exam_council": "Sở GDĐT Hải Phòng" if "exam_council" in book["columns"] else "",
                    "grade": p["grade"],
                    "diploma_no": _diploma(book, number),
                    "register_no": _register_no(book["register_format"], year, seq),
                    "note": "",
                    "artefacts": (["signature"] + (["signature_crosses_border"] if rng.random() < 0.35 else []))
                    if signed else [],
                    "corrections": [],
                }
                if rng.random() < prof["correction"]:
                    _hand_correction(rng, row, book, year)
                rows.append(row)
    for page in pages:
        on_page = [r for r in rows if r["file"] == page["file"] and r["page"] == page["page"]]
        inks = {c["ink"] for r in on_page for c in r["corrections"]}
        # Red seals and red ink only survive on a colour scan; other pages are gray most of the time.
        page["color"] = page["stamp"] and rng.random() < 0.8 or "red" in inks or rng.random() < 0.25
    return pages, rows


def _hand_correction(rng, row, book, year):
    """A printed value struck through and replaced by hand, or a new diploma number in Ghi chú."""
    kind = rng.choice(["dob", "birthplace", "name", "diploma_no"])
    ink = rng.choice(["red", "red", "blue"])
    if kind == "dob":
        d = datetime.date.fromisoformat(row["dob"])
        new = d.replace(day=d.day % 28 + 1)
        fixed = _dob_text(book, new)
        row["corrections"].append({"field": "dob", "printed": row["dob_text"], "handwritten": fixed,
                                   "handwritten_iso": new.isoformat(), "ink": ink, "where": "above"})
    elif kind == "birthplace":
        fixed = people.birthplace(rng, " - ")
        while fixed == row["birthplace"]:
            fixed = people.birthplace(rng, " - ")
        row["corrections"].append({"field": "birthplace", "printed": row["birthplace"], "handwritten": fixed,
                                   "ink": ink, "where": "above"})
    elif kind == "name":
        words = row["name"].split(" ")
        given = people.name(rng, row["gender"]).split(" ")[-1]
        fixed_words = words[:-1] + [given.upper() if book["name_case"] == "upper" else given]
        if fixed_words == words:
            fixed_words[-1] = fixed_words[-1] + ("H" if book["name_case"] == "upper" else "h")
        row["corrections"].append({"field": "name", "printed": row["name"], "handwritten": " ".join(fixed_words),
                                   "ink": ink, "where": "above"})
    else:
        digits = row["diploma_no"].replace("B", "").strip()
        fixed = f"B {int(digits) + 5000 + rng.randrange(4000):0{len(digits)}d}"
        row["corrections"].append({"field": "diploma_no", "printed": row["diploma_no"], "handwritten": fixed,
                                   "ink": ink, "where": "note"})
    row["artefacts"].append("hand_correction")


# ---------------------------------------------------------------------------------------------
# The database

DB_FIELDS = ["name", "dob", "dob_text", "birthplace", "gender", "ethnicity", "grade", "diploma_no",
             "register_no"]

# (kind, field, detail) of every planted discrepancy, with its count in an 8-page set.
DISCREPANCIES = [
    ("field_mismatch", "name", "one_letter_typo", 1),
    ("field_mismatch", "name", "wrong_diacritic", 1),
    ("field_mismatch", "name", "missing_middle_name", 1),
    ("field_mismatch", "dob", "digit_typo", 1),
    ("field_mismatch", "dob", "day_month_swapped", 1),
    ("field_mismatch", "dob", "wrong_year", 1),
    ("field_mismatch", "diploma_no", "digit_typo", 1),
    ("field_mismatch", "diploma_no", "digit_transposition", 1),
    ("field_mismatch", "register_no", "digit_typo", 1),
    ("field_mismatch", "gender", "changed", 1),
    ("field_mismatch", "birthplace", "changed", 1),
    ("field_mismatch", "ethnicity", "changed", 1),
    ("field_mismatch", "grade", "changed", 1),
    ("missing_in_db", None, None, 2),
    ("not_in_scan", None, None, 2),
    ("duplicate_in_db", None, None, 1),
]
NON_DISCREPANCIES = [("nfd", "name"), ("tone_placement", "name"), ("tone_placement", "birthplace"),
                     ("case", "name"), ("whitespace", "name"), ("date_format", "dob"),
                     ("diploma_space", "diploma_no"), ("empty_grade", "grade")]

TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"
CONSONANTS = "bcdghklmnprstv"


def _db_row(row, ids, rng):
    dob = datetime.date.fromisoformat(row["dob"])
    db = {"source": {"file": row["file"], "page": row["page"], "row": row["row"]},
          "name": row["name"], "dob": row["dob"], "dob_text": f"{dob.day:02d}/{dob.month:02d}/{dob.year}",
          "birthplace": row["birthplace"], "gender": row["gender"], "ethnicity": row["ethnicity"],
          "grade": row["grade"], "diploma_no": row["diploma_no"], "register_no": row["register_no"],
          "student_id": ids.student_id(), "class": f"12A{rng.randint(1, 10)}", "note": ""}
    # The database was keyed in after the hand corrections: it holds the handwritten value.
    for c in row["corrections"]:
        db[c["field"]] = c["handwritten"]
        if c["field"] == "dob":
            db["dob"] = c["handwritten_iso"]
            db["dob_text"] = f"{dob.day % 28 + 1:02d}/{dob.month:02d}/{dob.year}"
    return db


def _change_tone(rng, name):
    # Typos land on the given name (last word), where a typist's eye is least careful.
    words = name.split(" ")
    i = len(words) - 1
    nfd = unicodedata.normalize("NFD", words[i])
    current = [ch for ch in nfd if ch in TONE_MARKS]
    base = "".join(ch for ch in nfd if ch not in TONE_MARKS)
    choices = [t for t in TONE_MARKS if t not in current]
    tone = rng.choice(choices)
    # Tone goes on the last vowel letter of the base; enough for a plausible wrong diacritic.
    letters = list(unicodedata.normalize("NFC", base))
    for j in range(len(letters) - 1, -1, -1):
        if unicodedata.normalize("NFD", letters[j])[0].lower() in "aeiouy":
            letters[j] = unicodedata.normalize("NFC", letters[j] + tone)
            break
    words[i] = "".join(letters)
    return " ".join(words)


def _one_letter(rng, name):
    words = name.split(" ")
    i = len(words) - 1
    w = words[i]
    spots = [j for j, ch in enumerate(w) if j > 0 and ch.lower() in CONSONANTS]
    if not spots:
        spots = [0]
    j = rng.choice(spots)
    new = rng.choice([c for c in CONSONANTS if c != w[j].lower()])
    words[i] = w[:j] + (new.upper() if w[j].isupper() else new) + w[j + 1:]
    return " ".join(words)


def _digit_typo(rng, s, skip_prefix=0):
    spots = [j for j, ch in enumerate(s) if ch.isdigit() and j >= skip_prefix]
    j = rng.choice(spots[-4:])
    return s[:j] + rng.choice([d for d in "0123456789" if d != s[j]]) + s[j + 1:]


def _transpose(rng, s):
    spots = [j for j in range(len(s) - 1) if s[j].isdigit() and s[j + 1].isdigit() and s[j] != s[j + 1]]
    j = rng.choice(spots)
    return s[:j] + s[j + 1] + s[j] + s[j + 2:]


def _eligible(kind, field, detail, row):
    """Whether a planted item of this sort can be made on this paper row."""
    name_words = row["name"].split(" ")
    d = datetime.date.fromisoformat(row["dob"])
    if detail == "missing_middle_name":
        return len(name_words) >= 3
    if detail == "day_month_swapped":
        return d.day <= 12 and d.day != d.month
    if detail == "digit_transposition":
        return any(a != b for a, b in zip(row["diploma_no"][-7:], row["diploma_no"][-6:]))
    if field == "grade" and kind == "field_mismatch":
        return row["grade"] != ""
    if kind == "tone_placement":
        return any(alternate_tone_placement(w) for w in row[field].replace(",", " ").split())
    if kind == "date_format":
        return d.day < 10 or d.month < 10
    if kind == "nfd":
        return unicodedata.normalize("NFD", row["name"]) != row["name"]
    return True


def _plant(rng, kind, field, detail, row, db, book):
    """Change db (a db row dict) for one planted item; return (paper_value, db_value)."""
    if field == "dob":
        paper = row["dob_text"]
    else:
        paper = row[field] if field else row["name"]
    d = datetime.date.fromisoformat(row["dob"])
    if kind == "field_mismatch":
        if detail == "one_letter_typo":
            db["name"] = _one_letter(rng, db["name"])
        elif detail == "wrong_diacritic":
            db["name"] = _change_tone(rng, db["name"])
        elif detail == "missing_middle_name":
            w = db["name"].split(" ")
            db["name"] = " ".join([w[0]] + w[2:]) if len(w) > 3 else f"{w[0]} {w[-1]}"
        elif field == "dob":
            if detail == "digit_typo":
                # One printed digit differs: the day's last digit moves by one (30/31 lose ten instead).
                new = d.replace(day=d.day - 10 if d.day >= 30 else d.day + 1 if d.day % 10 != 9 else d.day - 1)
            elif detail == "day_month_swapped":
                new = d.replace(day=d.month, month=d.day)
            else:
                # 29 February has no twin in the year before or after: the 28th stands in.
                year = d.year + rng.choice([-1, 1])
                new = d.replace(year=year, day=28) if (d.month, d.day) == (2, 29) else d.replace(year=year)
            db["dob"] = new.isoformat()
            db["dob_text"] = f"{new.day:02d}/{new.month:02d}/{new.year}"
            return paper, db["dob_text"]
        elif field == "diploma_no":
            db["diploma_no"] = (_digit_typo(rng, db["diploma_no"]) if detail == "digit_typo"
                                else _transpose(rng, db["diploma_no"]))
        elif field == "register_no":
            db["register_no"] = _digit_typo(rng, db["register_no"])
        elif field == "gender":
            db["gender"] = "Nữ" if db["gender"] == "Nam" else "Nam"
        elif field == "birthplace":
            new = people.birthplace(rng, " - ")
            while fold(new) == fold(db["birthplace"]):
                new = people.birthplace(rng, " - ")
            db["birthplace"] = new
        elif field == "ethnicity":
            db["ethnicity"] = "Mường" if db["ethnicity"] == "Kinh" else "Kinh"
        elif field == "grade":
            db["grade"] = rng.choice([g for g in GRADES if g != db["grade"]])
    else:
        if kind == "nfd":
            db["name"] = unicodedata.normalize("NFD", db["name"])
            db["non_nfc_fields"] = ["name"]
        elif kind == "tone_placement":
            words = db[field].split(" ")
            i = next(i for i, w in enumerate(words) if alternate_tone_placement(w.rstrip(",")))
            tail = "," if words[i].endswith(",") else ""
            words[i] = alternate_tone_placement(words[i].rstrip(",")) + tail
            db[field] = " ".join(words)
        elif kind == "case":
            w = db["name"].split(" ")
            # Upper-case paper → the database's Title Case; Title Case paper → the family name in
            # capitals (NGUYỄN Văn An), a common data-entry habit.
            db["name"] = title_case(db["name"]) if book["name_case"] == "upper" else " ".join([w[0].upper()] + w[1:])
        elif kind == "whitespace":
            w = db["name"].split(" ")
            gap = rng.choice(["  ", "\u00a0"])
            db["name"] = w[0] + gap + " ".join(w[1:])
        elif kind == "date_format":
            db["dob_text"] = f"{d.day}/{d.month}/{d.year}"
            return paper, db["dob_text"]
        elif kind == "diploma_space":
            v = db["diploma_no"]
            db["diploma_no"] = v.replace(" ", "") if " " in v else v[0] + " " + v[1:]
        elif kind == "empty_grade":
            db["grade"] = "" if db["grade"] else rng.choice(["Khá", "Trung bình"])
    return paper, db[field] if field else db["name"]


def make_db(rng, books, rows, n_pages, year):
    """The logical export rows, shuffled, with planted discrepancies and non-discrepancies."""
    scale = n_pages / 8
    ids = Ids(rng)
    book_of = {b["book"]: b for b in books}
    dbs = [_db_row(r, ids, rng) for r in rows]
    # Hand-corrected rows already differ from print by design; planted items stay off them.
    free = [i for i, r in enumerate(rows) if not r["corrections"]]
    rng.shuffle(free)
    planted, non = [], []
    missing = set()

    def take(pred):
        for k, i in enumerate(free):
            if pred(rows[i]):
                return free.pop(k)
        return None

    for kind, field, detail, base in DISCREPANCIES:
        for _ in range(max(1, round(base * scale))):
            if kind == "not_in_scan":
                book = books[0]
                p = person(rng, book, year, " - ", set())
                new = {"source": None, "name": p["name"].upper() if book["name_case"] == "upper" else p["name"],
                       "dob": p["dob_date"].isoformat(),
                       "dob_text": f"{p['dob_date'].day:02d}/{p['dob_date'].month:02d}/{p['dob_date'].year}",
                       "birthplace": p["birthplace"], "gender": p["gender"], "ethnicity": p["ethnicity"],
                       "grade": p["grade"], "diploma_no": _diploma(book, rng.randrange(3 * 10 ** 6, 4 * 10 ** 6)
                                                                    // (10 if book["diploma_digits"] == 6 else 1)),
                       "register_no": _register_no(book["register_format"], year, rng.randrange(5000, 6000)),
                       "student_id": ids.student_id(), "class": f"12A{rng.randint(1, 10)}", "note": ""}
                dbs.append(new)
                planted.append({"kind": kind, "field": None, "detail": None, "scan": None, "_db": new,
                                "paper_value": None, "db_value": new["name"]})
                continue
            i = take(lambda r: _eligible(kind, field, detail, r))
            if i is None:
                continue
            row = rows[i]
            scan = {"file": row["file"], "page": row["page"], "row": row["row"]}
            if kind == "missing_in_db":
                missing.add(i)
                planted.append({"kind": kind, "field": None, "detail": None, "scan": scan, "_db": None,
                                "paper_value": row["name"], "db_value": None})
            elif kind == "duplicate_in_db":
                copy = dict(dbs[i], student_id=ids.student_id())
                dbs.append(copy)
                planted.append({"kind": kind, "field": None, "detail": "copy_is_extra", "scan": scan,
                                "_db": copy, "_orig": dbs[i], "paper_value": row["name"], "db_value": copy["name"]})
            else:
                paper, dbv = _plant(rng, kind, field, detail, row, dbs[i], book_of[row["book"]])
                planted.append({"kind": kind, "field": field, "detail": detail, "scan": scan, "_db": dbs[i],
                                "paper_value": paper, "db_value": dbv})
    for kind, field in NON_DISCREPANCIES:
        for _ in range(max(1, round(2 * scale))):
            i = take(lambda r: _eligible(kind, field, None, r))
            if i is None:
                continue
            row = rows[i]
            paper, dbv = _plant(rng, kind, field, None, row, dbs[i], book_of[row["book"]])
            item = {"kind": kind, "field": field, "scan": {"file": row["file"], "page": row["page"], "row": row["row"]},
                    "_db": dbs[i], "paper_value": paper, "db_value": dbv}
            if kind == "nfd":
                item["note"] = "db_value is deliberately NFD (decomposed); everything else here is NFC"
            non.append(item)

    kept = [db for i, db in enumerate(dbs) if i not in missing]
    rng.shuffle(kept)
    for line, db in enumerate(kept, 1):
        db["line"] = line
        db["stt"] = line
    for n, item in enumerate(planted, 1):
        item["id"] = f"P{n:03d}"
        item["db_line"] = item.pop("_db")["line"] if item.get("_db") else item.pop("_db")
        if "_orig" in item:
            item["original_db_line"] = item.pop("_orig")["line"]
    for n, item in enumerate(non, 1):
        item["id"] = f"N{n:03d}"
        item["db_line"] = item.pop("_db")["line"]
    return kept, planted, non
