"""Invented people: names, birth dates, birthplaces, ethnicities drawn from the public lists in data/.

Names are recombined (family name by frequency + an unrelated middle/given part), so no row is a
real person's record.
"""
import csv
import datetime
import json
import os

from .text import nfc

DATA = os.path.join(os.path.dirname(__file__), "data")


def _load():
    with open(os.path.join(DATA, "family_names.tsv"), encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    families = [(nfc(r["family_name"].strip()), int(r["count"])) for r in rows]
    with open(os.path.join(DATA, "name_pools.json"), encoding="utf-8") as f:
        pools = json.load(f)
    # Rests seen once are often typos or ethnic-minority transliterations in the source; 2–3 words
    # keep "family + middle + given" (3–4 words), the shape of nearly every name on the registers.
    rests = {}
    for key, gender in (("m", "Nam"), ("f", "Nữ")):
        rests[gender] = [(" ".join(nfc(r).replace("\u00a0", " ").split()), c)
                         for r, c in pools["rests"][key] if c >= 2 and 2 <= len(r.split()) <= 3]
    with open(os.path.join(DATA, "districts_by_province.json"), encoding="utf-8") as f:
        districts = json.load(f)
    with open(os.path.join(DATA, "ethnic_groups.csv"), encoding="utf-8") as f:
        ethnic = [r["name"] for r in csv.DictReader(f)]
    return families, rests, districts, ethnic


FAMILIES, RESTS, DISTRICTS, ETHNIC = _load()

# Provinces merged away before 1997 still appear on birth certificates copied into registers.
OLD_PROVINCES = ["Hải Hưng", "Vĩnh Phú", "Hà Nam Ninh", "Hà Sơn Bình", "Nghệ Tĩnh", "Hà Bắc"]
# Hải Phòng's neighbours supply most births from outside the city.
NEAR_PROVINCES = ["Hải Dương", "Thái Bình", "Quảng Ninh", "Hà Nội", "Hưng Yên", "Nam Định"]
MINORITIES = [e for e in ETHNIC if e in ("Tày", "Mường", "Hoa", "Nùng", "Sán Dìu", "Thái", "Dao")]


def _weighted(rng, pairs):
    return rng.choices([p for p, _ in pairs], weights=[w for _, w in pairs], k=1)[0]


def name(rng, gender):
    return f"{_weighted(rng, FAMILIES)} {_weighted(rng, RESTS[gender])}"


def dob(rng, year):
    """Most graduates are 18 in their graduation year; a few repeated a year or two."""
    birth_year = year - rng.choices([18, 19, 20], weights=[85, 12, 3])[0]
    start = datetime.date(birth_year, 1, 1)
    return start + datetime.timedelta(days=rng.randrange(365))


def birthplace(rng, sep):
    r = rng.random()
    if r < 0.55:
        return f"{rng.choice(DISTRICTS['Hải Phòng'])}{sep}Hải Phòng"
    if r < 0.72:
        return "Hải Phòng"
    if r < 0.80:
        return rng.choice(OLD_PROVINCES)
    province = rng.choice(NEAR_PROVINCES)
    if r < 0.90:
        return province
    return f"{rng.choice(DISTRICTS[province])}{sep}{province}"


def ethnicity(rng):
    return rng.choice(MINORITIES) if rng.random() < 0.05 else "Kinh"
