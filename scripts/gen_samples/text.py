"""Vietnamese text helpers shared by the generator and scripts/check_truth.py.

Kept free of third-party imports so the checker can use them with a plain Python.
"""
import re
import unicodedata

# Combining tone marks: grave, acute, tilde, hook above, dot below.
TONES = "\u0300\u0301\u0303\u0309\u0323"
VOWELS = "aeiouyăâêôơư"


def nfc(s):
    return unicodedata.normalize("NFC", s)


def to_windows_1258_form(s):
    """Decompose tone marks, keep the letters Windows-1258 has precomposed (â ă ê ô ơ ư đ).

    Python's cp1258 codec maps only the code points the code page holds; most precomposed
    Vietnamese letters (ấ, ộ …) are not among them, so they must be split into base + tone first.
    """
    out, tones = [], []

    def flush():
        out.extend(tones)
        tones.clear()

    for ch in unicodedata.normalize("NFD", s):
        if ch in TONES:
            tones.append(ch)
        elif unicodedata.combining(ch) and out:
            # NFD puts the dot below before the circumflex (ệ = e + ̣ + ̂): compose past the tones.
            composed = unicodedata.normalize("NFC", out[-1] + ch)
            if len(composed) == 1:
                out[-1] = composed
            else:
                tones.append(ch)
        else:
            flush()
            out.append(ch)
    flush()
    return "".join(out)


def _split_tone(word):
    """Return (word without tone mark, tone mark or '', index of the toned letter or -1)."""
    base, tone, pos = [], "", -1
    for ch in unicodedata.normalize("NFD", word):
        if ch in TONES:
            tone, pos = ch, len(base) - 1
        elif unicodedata.combining(ch):
            base[-1] = unicodedata.normalize("NFC", base[-1] + ch)
        else:
            base.append(ch)
    return "".join(base), tone, pos


def _put_tone(base, tone, pos):
    letters = list(base)
    letters[pos] = unicodedata.normalize("NFC", letters[pos] + tone)
    return "".join(letters)


_OPEN_PAIRS = ("oa", "oe", "uy")


def alternate_tone_placement(word):
    """`hòa`→`hoà`, `Thuỷ`→`Thủy`, `khoẻ`→`khỏe`; None when the word has no such variant.

    Only the open syllables ending in oa/oe/uy (no final consonant, not after `q`) have two
    accepted placements; `Toàn`, `Quý` and the like have one.
    """
    base, tone, pos = _split_tone(word)
    low = base.lower()
    if not tone or len(low) < 2 or low[-2:] not in _OPEN_PAIRS:
        return None
    if low[-2:] == "uy" and low[:-2].endswith("q"):
        return None
    first, second = len(base) - 2, len(base) - 1
    if pos == first:
        return _put_tone(base, tone, second)
    if pos == second:
        return _put_tone(base, tone, first)
    return None


def canonical_tone(word):
    """One spelling per word: tone on the first vowel of an open oa/oe/uy pair (`hòa`, `thủy`)."""
    base, tone, pos = _split_tone(word)
    alt = alternate_tone_placement(word)
    if alt is not None and pos == len(base) - 1:
        return alt
    return word


def fold(s):
    """What a reader must treat as equal: NFC, spaces of any kind collapsed, case, tone placement."""
    s = " ".join(nfc(s).split())  # str.split also splits at U+00A0
    # Word by word (punctuation stays outside): `Thuỵ,` must fold like `Thủy,`.
    return re.sub(r"\w+", lambda m: canonical_tone(m.group()), s).lower()


def strip_diacritics(s):
    s = unicodedata.normalize("NFD", s)
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    return s.replace("đ", "d").replace("Đ", "D")


def title_case(s):
    return " ".join(w[:1].upper() + w[1:].lower() for w in s.split(" "))


_DATE = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$")


def parse_dmy(s):
    """`05/03/2000`, `5-3-2000` → `2000-03-05`; None for anything else."""
    m = _DATE.match(s)
    if not m:
        return None
    d, mth, y = (int(x) for x in m.groups())
    return f"{y:04d}-{mth:02d}-{d:02d}"


def compact(s):
    """Diploma and register numbers compare without spaces of any kind."""
    return re.sub(r"\s+", "", nfc(s)).upper()
