#!/usr/bin/env python3
"""Derives src/data/name_parts.tsv from ../shared/data/names/name_pools.json.

Counts how often each syllable is a middle part and how often it is the given name (the last
part) across the name rests (everything after the family name) of both genders, weighted as in the
source. The normalize stage uses these counts to restore a mark the recogniser dropped only where
one spelling of the same letters dominates at that position (see src/normalize.rs).

    python3 scripts/derive_name_parts.py ../shared/data/names/name_pools.json > src/data/name_parts.tsv
"""
import collections
import json
import sys
import unicodedata


def main(path):
    pools = json.load(open(path, encoding="utf-8"))["rests"]
    counts = {"middle": collections.Counter(), "given": collections.Counter()}
    for gender in sorted(pools):
        for rest, weight in pools[gender]:
            words = unicodedata.normalize("NFC", rest).replace("\xa0", " ").lower().split()
            if not words:
                continue
            counts["given"][words[-1]] += weight
            for w in words[:-1]:
                counts["middle"][w] += weight
    print("position\tsyllable\tcount")
    for position in ("middle", "given"):
        for syllable, count in sorted(counts[position].items(), key=lambda kv: (-kv[1], kv[0])):
            print(f"{position}\t{syllable}\t{count}")


if __name__ == "__main__":
    main(sys.argv[1])
