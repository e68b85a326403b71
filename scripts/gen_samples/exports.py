"""The database exports: one logical row list written in six physical shapes.

Every file holds the same rows in the same order with no blank rows, so a row's `line` (1-based,
counted after the header row) is the same in all of them.
"""
import csv
import datetime
import io
import re
import zipfile

import openpyxl

from .text import to_windows_1258_form

FIXED_TIME = datetime.datetime(2018, 7, 20, 8, 0, 0)


def _split_name(name):
    """`Họ đệm` + `Tên`: the given name is the last word; the gap kept as written goes to Họ đệm."""
    m = re.match(r"^(.*\S)\s+(\S+)$", name)
    return (m.group(1), m.group(2)) if m else ("", name)


def _csv_bytes(header, rows, delimiter, encoding, bom):
    buf = io.StringIO()
    # Excel writes CRLF line ends and quotes only where needed.
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow(header)
    w.writerows(rows)
    text = buf.getvalue()
    if encoding == "windows-1258":
        return to_windows_1258_form(text).encode("cp1258")
    data = text.encode("utf-16-le" if encoding == "utf-16" else "utf-8")
    return (b"\xff\xfe" if encoding == "utf-16" else b"\xef\xbb\xbf" if bom else b"") + data


def _specs(ctx):
    """(file, format, encoding, separator, header → (column key, value function))."""
    school, year = ctx["school"], ctx["year"]
    nien_khoa = f"{year - 3}-{year}"
    g = lambda k: (lambda r: r[k])  # noqa: E731 - a small table of accessors reads best inline
    return [
        ("export_utf8.csv", "csv", "utf-8", ",", [
            ("STT", "stt", lambda r: str(r["stt"])), ("Họ và tên", "name", g("name")),
            ("Ngày sinh", "dob", g("dob_text")), ("Nơi sinh", "birthplace", g("birthplace")),
            ("Giới tính", "gender", g("gender")), ("Dân tộc", "ethnicity", g("ethnicity")),
            ("Xếp loại", "grade", g("grade")), ("Số hiệu văn bằng", "diploma_no", g("diploma_no")),
            ("Số vào sổ", "register_no", g("register_no")), ("Mã học sinh", "student_id", g("student_id")),
            ("Năm tốt nghiệp", "year", lambda r: str(year)), ("Trường", "school", lambda r: school),
            ("Lớp", "class", g("class"))]),
        ("export_utf8_bom.csv", "csv", "utf-8-sig", ",", [
            ("STT", "stt", lambda r: str(r["stt"])), ("Số hiệu bằng", "diploma_no", g("diploma_no")),
            ("Số vào sổ gốc cấp văn bằng", "register_no", g("register_no")),
            ("Tên văn bằng", "other", lambda r: "Bằng tốt nghiệp trung học phổ thông"),
            ("Họ, chữ đệm và tên", "name", g("name")), ("Mã người học", "student_id", g("student_id")),
            ("Số định danh cá nhân", "other", lambda r: ""), ("Hộ chiếu", "other", lambda r: ""),
            ("Ngày, tháng, năm sinh", "dob", g("dob_text")), ("Giới tính", "gender", g("gender")),
            ("Dân tộc", "ethnicity", g("ethnicity")), ("Quốc tịch", "other", lambda r: "Việt Nam"),
            ("Nơi sinh", "birthplace", g("birthplace")), ("Tên trường đã học", "school", lambda r: school),
            ("Niên khóa", "other", lambda r: nien_khoa), ("Xếp loại", "grade", g("grade")),
            ("Ghi chú", "other", g("note")), ("Trạng thái số hóa", "other", lambda r: "Đã số hóa")]),
        ("export_excel_vn.csv", "csv", "utf-8-sig", ";", [
            ("STT", "stt", lambda r: str(r["stt"])),
            ("Họ đệm", "family_middle", lambda r: _split_name(r["name"])[0]),
            ("Tên", "given", lambda r: _split_name(r["name"])[1]),
            ("Ngày tháng năm sinh", "dob", g("dob_text")), ("Giới tính", "gender", g("gender")),
            ("Nơi sinh", "birthplace", g("birthplace")), ("Dân tộc", "ethnicity", g("ethnicity")),
            ("Xếp loại", "grade", g("grade")), ("Số hiệu VBCC", "diploma_no", g("diploma_no")),
            ("Số vào sổ cấp bằng", "register_no", g("register_no")), ("Lớp", "class", g("class"))]),
        ("export_cp1258.csv", "csv", "windows-1258", ";", [
            ("Họ tên", "name", g("name")), ("Ngày sinh", "dob", g("dob_text")),
            ("Giới tính", "gender", g("gender")), ("Nơi sinh", "birthplace", g("birthplace")),
            ("Dân tộc", "ethnicity", g("ethnicity")), ("Xếp loại", "grade", g("grade")),
            ("Số hiệu văn bằng", "diploma_no", g("diploma_no")), ("Số vào sổ", "register_no", g("register_no")),
            ("Mã học sinh", "student_id", g("student_id"))]),
        ("export_utf16.txt", "tsv", "utf-16", "\t", [
            ("STT", "stt", lambda r: str(r["stt"])), ("HoTen", "name", g("name")),
            ("NgaySinh", "dob", g("dob_text")), ("NoiSinh", "birthplace", g("birthplace")),
            ("GioiTinh", "gender", g("gender")), ("DanToc", "ethnicity", g("ethnicity")),
            ("XepLoai", "grade", g("grade")), ("SoHieuVanBang", "diploma_no", g("diploma_no")),
            ("SoVaoSo", "register_no", g("register_no")), ("MaHocSinh", "student_id", g("student_id")),
            ("Lop", "class", g("class"))]),
    ]


XLSX_HEADER = [("STT", "stt"), ("Họ và tên", "name"), ("Ngày sinh", "dob"), ("Giới tính", "gender"),
               ("Nơi sinh", "birthplace"), ("Dân tộc", "ethnicity"), ("Xếp loại", "grade"),
               ("Số hiệu văn bằng", "diploma_no"), ("Số vào sổ gốc", "register_no"),
               ("Mã học sinh", "student_id"), ("Lớp", "class")]
XLSX_HEADER_ROW = 4


def write_exports(out_dir, db_rows, ctx, text_dob_lines):
    """Write all exports; return their truth entries. text_dob_lines: xlsx rows whose DOB is text."""
    entries = []
    for file, fmt, enc, sep, cols in _specs(ctx):
        data = _csv_bytes([h for h, _, _ in cols], [[f(r) for _, _, f in cols] for r in db_rows],
                          sep, enc, enc == "utf-8-sig")
        with open(f"{out_dir}/{file}", "wb") as fh:
            fh.write(data)
        entries.append({"file": file, "format": fmt, "encoding": enc, "separator": sep, "header_row": 1,
                        "sheet": None, "columns": {h: k for h, k, _ in cols}})
    _write_xlsx(f"{out_dir}/export.xlsx", db_rows, ctx, text_dob_lines)
    entries.append({"file": "export.xlsx", "format": "xlsx", "encoding": None, "separator": None,
                    "header_row": XLSX_HEADER_ROW, "sheet": "Danh sách", "columns": dict(XLSX_HEADER)})
    return entries


def _write_xlsx(path, db_rows, ctx, text_dob_lines):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Danh sách"
    ws["A1"] = f"DANH SÁCH CẤP BẰNG TỐT NGHIỆP THPT NĂM {ctx['year']}"
    ws["A2"] = f"Trường: {ctx['school']}"
    ws["A3"] = "(Kèm theo Quyết định công nhận tốt nghiệp số " + ctx["decision"] + ")"
    ws.append([h for h, _ in XLSX_HEADER])
    for r in db_rows:
        values = []
        for _, key in XLSX_HEADER:
            if key == "dob":
                # Most rows hold a real date cell; a few were typed as text, as happens in practice.
                values.append(r["dob_text"] if r["line"] in text_dob_lines
                              else datetime.datetime.fromisoformat(r["dob"]))
            elif key == "stt":
                values.append(r["stt"])
            else:
                values.append(r[key])
        ws.append(values)
    for row in ws.iter_rows(min_row=XLSX_HEADER_ROW + 1, min_col=3, max_col=3):
        for cell in row:
            if isinstance(cell.value, datetime.datetime):
                cell.number_format = "dd/mm/yyyy"
    for letter, width in zip("ABCDEFGHIJK", [6, 28, 12, 9, 26, 9, 10, 14, 16, 13, 7]):
        ws.column_dimensions[letter].width = width
    notes = wb.create_sheet("Ghi chú")
    notes["A1"] = "Danh sách xuất từ hệ thống quản lý; ngày sinh định dạng ngày/tháng/năm."
    notes["A2"] = "Người lập: Tổ số hóa văn bằng"
    wb.properties.creator = "gen-samples"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    buf = io.BytesIO()
    wb.save(buf)
    _freeze_zip(buf.getvalue(), path)


def _freeze_zip(data, path):
    """Rewrite the zip with fixed member times and core.xml dates: openpyxl stamps both with now."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*", rb"\g<1>" + stamp, body)
            zi = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            dst.writestr(zi, body)
    with open(path, "wb") as fh:
        fh.write(out.getvalue())
