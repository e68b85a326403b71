"""Draw one register page and make it look scanned. Returns JPEG bytes and geometry facts for truth."""
import io
import math

import numpy as np
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

FONT_DIR = "/usr/share/fonts/truetype/liberation2/"
FONT_FILES = {"regular": "LiberationSerif-Regular.ttf", "bold": "LiberationSerif-Bold.ttf",
              "italic": "LiberationSerif-Italic.ttf", "bolditalic": "LiberationSerif-BoldItalic.ttf"}
_fonts = {}

PAGE_W_MM, PAGE_H_MM = 297.0, 210.0
MARGIN_MM = 12.0
INK = {"red": (200, 30, 45), "blue": (30, 50, 160), "black": (25, 25, 35)}
PRINT = (20, 20, 24)

# Relative widths; scaled to the table width, so any column set fits the page.
COL_WIDTH = {"stt": 9, "name": 46, "dob": 23, "birthplace": 42, "gender": 13, "ethnicity": 14,
             "exam_council": 27, "grade": 16, "diploma_no": 25, "register_no": 28, "signature": 30, "note": 24}
ALIGN = {"name": "left", "birthplace": "left", "note": "left", "exam_council": "left"}


def font(style, px):
    key = (style, int(px))
    if key not in _fonts:
        _fonts[key] = ImageFont.truetype(FONT_DIR + FONT_FILES[style], int(px))
    return _fonts[key]


class Page:
    def __init__(self, meta):
        self.dpi = meta["dpi"]
        self.w = round(PAGE_W_MM / 25.4 * self.dpi)
        self.h = round(PAGE_H_MM / 25.4 * self.dpi)
        self.img = Image.new("RGB", (self.w, self.h), (255, 255, 255))
        self.draw = ImageDraw.Draw(self.img)
        # Handwriting and seals are drawn on a white layer multiplied in at the end: ink over print
        # darkens it instead of hiding it, as on paper.
        self.ink = Image.new("RGB", (self.w, self.h), (255, 255, 255))
        self.ink_draw = ImageDraw.Draw(self.ink)

    def mm(self, v):
        return v * self.dpi / 25.4

    def pt(self, v):
        return v * self.dpi / 72

    def text(self, x_mm, y_mm, s, size_pt, style="regular", anchor="ls", fill=PRINT, max_w_mm=None):
        px = self.pt(size_pt)
        f = font(style, px)
        if max_w_mm is not None:
            limit = self.mm(max_w_mm)
            while f.getlength(s) > limit and px > self.pt(5):
                px *= 0.94
                f = font(style, px)
        self.draw.text((self.mm(x_mm), self.mm(y_mm)), s, font=f, fill=fill, anchor=anchor)
        return f.getlength(s) / self.dpi * 25.4


def _line(page, rng, x0, y0, x1, y1, width_mm, color, broken):
    """A ruling line; a broken one is drawn in pieces with short gaps, like a worn printer."""
    w = max(1, round(page.mm(width_mm)))
    if not broken:
        page.draw.line([(page.mm(x0), page.mm(y0)), (page.mm(x1), page.mm(y1))], fill=color, width=w)
        return
    length = math.hypot(x1 - x0, y1 - y0)
    t = 0.0
    while t < length:
        seg = rng.uniform(8, 60)
        gap = rng.uniform(0.3, 1.2) if rng.random() < 0.35 else 0
        a, b = t / length, min(1.0, (t + seg) / length)
        page.draw.line([(page.mm(x0 + (x1 - x0) * a), page.mm(y0 + (y1 - y0) * a)),
                        (page.mm(x0 + (x1 - x0) * b), page.mm(y0 + (y1 - y0) * b))], fill=color, width=w)
        t += seg + gap


def _wrap(s, f, limit):
    words, lines, cur = s.split(), [], ""
    for w in words:
        cand = f"{cur} {w}".strip()
        if cur and f.getlength(cand) > limit:
            lines.append(cur)
            cur = w
        else:
            cur = cand
    return lines + [cur]


def scribble(page, rng, x0, y0, x1, y1, color, width_mm=0.35):
    """A signature-like stroke inside (x0,y0)-(x1,y1): a few superposed loops of unrelated
    frequencies drifting rightwards, so no two look alike and none is periodic."""
    w, h = x1 - x0, y1 - y0
    comps = [(rng.uniform(1.5, 7.5), rng.uniform(0, math.tau), w * rng.uniform(0.015, 0.06), h * rng.uniform(0.08, 0.22))
             for _ in range(3)]
    rise = rng.uniform(-0.25, 0.05) * h
    pw = max(2, round(page.mm(width_mm)))
    # One to three pen lifts: a signature is seldom a single stroke.
    cuts = sorted(rng.uniform(0.2, 0.9) for _ in range(int(rng.uniform(0, 2.99))))
    bounds = [0.0] + cuts + [1.0]
    for a, b in zip(bounds, bounds[1:]):
        pts = []
        for i in range(90):
            t = a + (b - a) * i / 89
            x = x0 + w * (0.05 + 0.85 * t) + sum(ax * math.cos(math.tau * f * t + ph) for f, ph, ax, _ in comps)
            y = (y0 + y1) / 2 + rise * t + sum(ay * math.sin(math.tau * f * t + 1.7 * ph) for f, ph, _, ay in comps)
            pts.append((page.mm(x), page.mm(y)))
        page.ink_draw.line(pts, fill=color, width=pw, joint="curve")
    if rng.random() < 0.5:
        # The closing flourish: a quick slanted underline.
        yl = y1 - h * rng.uniform(0.1, 0.3)
        page.ink_draw.line([(page.mm(x0 + w * rng.uniform(0.1, 0.4)), page.mm(yl)),
                            (page.mm(x1 - w * rng.uniform(0, 0.15)), page.mm(yl - rng.uniform(0.5, 2.5)))],
                           fill=color, width=pw)


def handwrite(page, rng, x_mm, y_mm, s, color, size_pt=11.0):
    """Hand-lettered text: italic glyphs, each with its own tilt, size and baseline wobble."""
    px = page.pt(size_pt)
    x = page.mm(x_mm)
    for ch in s:
        f = font("italic", px * rng.uniform(0.92, 1.1))
        if ch == " ":
            x += f.getlength(" ") * rng.uniform(0.8, 1.3)
            continue
        w = int(f.getlength(ch)) + int(px)
        glyph = Image.new("L", (w, int(px * 2)), 0)
        # Ballpoint ink is not solid black: a little lighter and uneven from glyph to glyph.
        ImageDraw.Draw(glyph).text((px / 2, px * 1.4), ch, font=f, fill=int(rng.uniform(190, 245)), anchor="ls")
        glyph = glyph.rotate(rng.uniform(-8, 8), resample=Image.BICUBIC)
        y = page.mm(y_mm) - px * 1.4 + rng.uniform(-0.06, 0.06) * px
        page.ink.paste(color, (int(x - px / 2), int(y)), glyph)
        x += f.getlength(ch) * rng.uniform(0.95, 1.08)
    return (x / page.dpi * 25.4) - x_mm


def stamp(page, rng, cx_mm, cy_mm, color, r_mm=17.0):
    """The Department's round seal: two rings, the name around them, a star in the middle."""
    size = round(page.mm(2 * r_mm + 4))
    mask = Image.new("L", (size, size), 0)
    d = ImageDraw.Draw(mask)
    c = size / 2
    r = page.mm(r_mm)
    d.ellipse([c - r, c - r, c + r, c + r], outline=255, width=round(page.mm(0.9)))
    ri = r - page.mm(6.5)
    d.ellipse([c - ri, c - ri, c + ri, c + ri], outline=255, width=round(page.mm(0.45)))
    ring = "SỞ GIÁO DỤC VÀ ĐÀO TẠO ★ THÀNH PHỐ HẢI PHÒNG ★ "
    f = font("bold", page.pt(8.5))
    rt = r - page.mm(3.4)
    step = 360 / len(ring)
    for i, ch in enumerate(ring):
        if ch == " ":
            continue
        ang = -90 + i * step
        g = Image.new("L", (int(page.pt(14)), int(page.pt(14))), 0)
        ImageDraw.Draw(g).text((g.width / 2, g.height / 2), ch, font=f, fill=255, anchor="mm")
        g = g.rotate(-(ang + 90), resample=Image.BICUBIC)
        x = c + rt * math.cos(math.radians(ang)) - g.width / 2
        y = c + rt * math.sin(math.radians(ang)) - g.height / 2
        mask.paste(255, (int(x), int(y)), g)
    star = []
    for k in range(10):
        rr = page.mm(5) if k % 2 == 0 else page.mm(2)
        a = math.radians(-90 + k * 36)
        star.append((c + rr * math.cos(a), c - page.mm(1.5) + rr * math.sin(a)))
    d.polygon(star, fill=255)
    d.text((c, c + page.mm(6)), "SỞ GD&ĐT", font=font("bold", page.pt(7)), fill=255, anchor="mm")
    # Uneven ink: blotchy pressure over the seal, some spots nearly dry.
    arr = np.asarray(mask, dtype=np.float32) / 255
    blot = rng.random((size // 16 + 1, size // 16 + 1)).astype(np.float32)
    blot = np.asarray(Image.fromarray((blot * 255).astype(np.uint8)).resize((size, size), Image.BICUBIC),
                      dtype=np.float32) / 255
    arr *= np.clip(0.45 + 0.7 * blot, 0, 1) * rng.uniform(0.75, 0.95)
    mask = Image.fromarray((arr * 255).astype(np.uint8)).rotate(rng.uniform(0, 360), resample=Image.BICUBIC)
    layer = Image.new("RGB", (size, size), color)
    page.ink.paste(layer, (int(page.mm(cx_mm) - c), int(page.mm(cy_mm) - c)), mask)


def render(meta, book, rows, ctx, seed):
    """Draw a page. meta: the truth page (plus render params); rows: its data rows in order.

    Returns (jpeg bytes, {row number: [artefacts added]}, [page artefacts]).
    """
    rng = np.random.default_rng(seed)
    page = Page(meta)
    py = _PyRng(rng)
    row_art = {r["row"]: [] for r in rows}
    page_art = []

    x_left, x_right = MARGIN_MM, PAGE_W_MM - MARGIN_MM
    y = 10.0
    if meta["has_title"]:
        left_c, right_c = 62.0, 215.0
        page.text(left_c, y + 4, "SỞ GIÁO DỤC VÀ ĐÀO TẠO HẢI PHÒNG", 11.5, "bold", "ms")
        page.draw.line([(page.mm(left_c - 18), page.mm(y + 6)), (page.mm(left_c + 18), page.mm(y + 6))],
                       fill=PRINT, width=max(1, round(page.mm(0.2))))
        page.text(right_c, y + 4, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 11.5, "bold", "ms")
        page.text(right_c, y + 9, "Độc lập - Tự do - Hạnh phúc", 11.5, "bold", "ms")
        page.draw.line([(page.mm(right_c - 25), page.mm(y + 10.5)), (page.mm(right_c + 25), page.mm(y + 10.5))],
                       fill=PRINT, width=max(1, round(page.mm(0.2))))
        page.text(PAGE_W_MM / 2, y + 21, "SỔ GỐC CẤP BẰNG TỐT NGHIỆP TRUNG HỌC PHỔ THÔNG", 16, "bold", "ms")
        page.text(60, y + 28.5, f"Quyết định công nhận tốt nghiệp số: {ctx['decision']}", 11, "regular", "ls")
        page.text(190, y + 28.5, f"Khóa thi ngày: {ctx['exam_date']}", 11, "regular", "ls")
        page.text(60, y + 34, f"Học sinh trường: {ctx['school']}", 11, "regular", "ls")
        page.text(190, y + 34, f"Năm tốt nghiệp: {ctx['year']}", 11, "regular", "ls")
        y += 38
    else:
        y = 12.0

    weights = [COL_WIDTH[c] for c in book["columns"]]
    scale = (x_right - x_left) / sum(weights)
    xs = [x_left]
    for wgt in weights:
        xs.append(xs[-1] + wgt * scale)

    line_color = (150, 150, 150) if meta["faint_lines"] else PRINT
    line_w = 0.16 if meta["faint_lines"] else 0.25
    broken = meta["broken_lines"]
    header_h = 13.0 if meta["has_header"] else 0.0
    num_h = 4.5 if meta["column_number_row"] else 0.0
    bottom = PAGE_H_MM - 12 - (40 if meta["footer_signature"] else 0)
    n_rows = meta["data_rows"] + meta["empty_rows"]
    row_h = min(8.5, (bottom - y - header_h - num_h) / n_rows)
    table_top = y
    rows_top = y + header_h + num_h
    table_bottom = rows_top + n_rows * row_h

    if meta["has_header"]:
        f = font("bold", page.pt(9.5))
        for i, h in enumerate(book["headers"]):
            lines = _wrap(h, f, page.mm(xs[i + 1] - xs[i] - 1.2))
            lh = 3.8
            y0 = table_top + header_h / 2 - (len(lines) - 1) * lh / 2 + 1.2
            for k, ln in enumerate(lines):
                page.text((xs[i] + xs[i + 1]) / 2, y0 + k * lh, ln, 9.5, "bold", "ms", max_w_mm=xs[i + 1] - xs[i] - 1)
        if num_h:
            for i in range(len(xs) - 1):
                page.text((xs[i] + xs[i + 1]) / 2, table_top + header_h + 3.3, f"({i + 1})", 8.5, "italic", "ms")

    # Ruling: horizontal lines, then column lines over the whole table height.
    hlines = [table_top] + ([table_top + header_h] if header_h else []) + \
             ([table_top + header_h + num_h] if num_h else []) + [rows_top + k * row_h for k in range(1, n_rows + 1)]
    for yy in sorted(set(hlines)):
        _line(page, py, x_left, yy, x_right, yy, line_w, line_color, broken)
    for xx in xs:
        _line(page, py, xx, table_top, xx, table_bottom, line_w, line_color, broken)
    if broken:
        page_art.append("broken_lines")
    if meta["faint_lines"]:
        page_art.append("faint_lines")

    col = {c: i for i, c in enumerate(book["columns"])}
    for r in rows:
        top = rows_top + (r["row"] - 1) * row_h
        base = top + row_h / 2 + 1.3
        for c, i in col.items():
            value = {"stt": str(r["stt"]), "dob": r["dob_text"], "gender": r["gender_text"],
                     "signature": ""}.get(c, r.get(c, ""))
            if not value:
                continue
            w = xs[i + 1] - xs[i]
            if ALIGN.get(c) == "left":
                page.text(xs[i] + 1.2, base, value, 10, "regular", "ls", max_w_mm=w - 2)
            else:
                page.text(xs[i] + w / 2, base, value, 10, "regular", "ms", max_w_mm=w - 1.5)
        if "signature" in r["artefacts"] and "signature" in col:
            i = col["signature"]
            crosses = "signature_crosses_border" in r["artefacts"]
            over = row_h * (0.35 if crosses else 0.0)
            color = INK["blue"] if py.random() < 0.7 else INK["black"]
            scribble(page, py, xs[i] + 2, top + 1.0 - over, xs[i + 1] - (-3 if crosses else 2),
                     top + row_h - 1.0 + over * 0.6, color)
        for corr in r["corrections"]:
            field = corr["field"]
            if field not in col:
                continue
            i = col[field]
            color = INK[corr["ink"]]
            w = xs[i + 1] - xs[i]
            # Strike through the printed value, slightly sloped, as a hand does.
            y_strike = base - 1.2
            page.ink_draw.line([(page.mm(xs[i] + 1), page.mm(y_strike + py.uniform(-0.4, 0.4))),
                                (page.mm(xs[i + 1] - 1), page.mm(y_strike + py.uniform(-0.6, 0.6)))],
                               fill=color, width=max(2, round(page.mm(0.35))))
            if corr["where"] == "note" and "note" in col:
                j = col["note"]
                handwrite(page, py, xs[j] + 1, base, corr["handwritten"], color, 10)
            else:
                handwrite(page, py, xs[i] + 1 + py.uniform(0, 2), top + 2.6, corr["handwritten"], color, 9)
        if r["corrections"]:
            page_art.append("hand_correction")

    if any("signature" in r["artefacts"] for r in rows):
        page_art.append("signature")
    if meta["empty_rows"]:
        page_art.append("empty_rows")

    page.text(PAGE_W_MM / 2, PAGE_H_MM - 7, f"Trang {meta['book_page']}", 10, "regular", "ms")

    if meta["footer_signature"]:
        sx = 225.0
        sy = table_bottom + 7
        page.text(sx, sy, f"Hải Phòng, ngày {ctx['sign_day']} tháng {ctx['sign_month']} năm {ctx['year']}",
                  11, "italic", "ms")
        page.text(sx, sy + 5.5, "GIÁM ĐỐC", 11.5, "bold", "ms")
        scribble(page, py, sx - 18, sy + 9, sx + 16, sy + 22, INK["blue"], 0.45)
        page.text(sx, sy + 30, ctx["director"], 11.5, "bold", "ms")

    if meta["stamp"]:
        # Always red ink: on a gray scan it comes out mid-gray, as a real seal does.
        red = INK["red"]
        if meta["footer_signature"]:
            cx, cy = 225.0 - 22 + py.uniform(-3, 3), table_bottom + 7 + 15 + py.uniform(-3, 3)
        else:
            # A seal over the signature/note columns, or half off the page edge (seals across joins).
            cx = py.choice([xs[-3] + py.uniform(0, 20), x_right + py.uniform(-4, 6), x_left + py.uniform(-6, 4)])
            cy = py.uniform(rows_top + 20, min(table_bottom, PAGE_H_MM - 20))
        stamp(page, rng, cx, cy, red)
        page_art.append("stamp")
        for r in rows:
            top = rows_top + (r["row"] - 1) * row_h
            # The seal disc touches the row's band within the table's width.
            dy = max(top - cy, 0, cy - (top + row_h))
            if dy < 17 and x_left - 17 < cx < x_right + 17:
                row_art[r["row"]].append("stamp")

    img = ImageChops.multiply(page.img, page.ink)
    jpeg = scan(img, meta, rng)
    return jpeg, row_art, sorted(set(page_art))


class _PyRng:
    """random.Random-like calls on a numpy Generator, so a page uses one seeded stream."""

    def __init__(self, g):
        self.g = g

    def random(self):
        return float(self.g.random())

    def uniform(self, a, b):
        return float(self.g.uniform(a, b))

    def choice(self, seq):
        return seq[int(self.g.integers(len(seq)))]


def scan(img, meta, rng):
    """Skew, paper tone, uneven light, sensor noise, blur, then JPEG at the page's quality."""
    w, h = img.size
    img = img.rotate(meta["rotation_deg"], resample=Image.BICUBIC, fillcolor=(236, 236, 232))
    a = np.asarray(img, dtype=np.float32)
    paper = np.array([246, 242, 232], dtype=np.float32) / 255
    yy, xx = np.ogrid[0:h, 0:w]
    yy, xx = yy.astype(np.float32) / h - 0.5, xx.astype(np.float32) / w - 0.5
    gx, gy = rng.uniform(-1, 1), rng.uniform(-1, 1)
    light = 1 - meta["light"] * (0.5 + 0.5 * (gx * xx + gy * yy)) - (xx ** 2 + yy ** 2) * meta["light"] * 0.8
    a = a * paper * light[..., None]
    # Sensor noise before the optics blur: it comes out grainy, not salt-and-pepper (and JPEG
    # does not spend half the file on it).
    a += rng.normal(0, meta["noise_sigma"], (h, w, 1)).astype(np.float32)
    img = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8), "RGB")
    out = img.filter(ImageFilter.GaussianBlur(meta["blur"] * meta["dpi"] / 300))
    if not meta["color"]:
        out = out.convert("L")
    buf = io.BytesIO()
    out.save(buf, "JPEG", quality=meta["jpeg_quality"], dpi=(meta["dpi"], meta["dpi"]))
    return buf.getvalue()
