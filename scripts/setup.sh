#!/usr/bin/env bash
# Installs everything doisoat needs on a bare Debian machine that has the Rust toolchain, Python 3 and
# npm. Idempotent: when everything is already there it prints one line and exits 0.
#
#   Debian packages   Tesseract 5 + Vietnamese (fast) model, libtesseract/leptonica headers, clang for
#                     bindgen, fonts for the sample generator, poppler-utils for looking at pages.
#   vendor/pdfium/    libpdfium.so taken from the pinned PyPI wheel of pypdfium2 (sha256 checked).
#   models/tessdata/best_int/  vie.traineddata "best_int" from the pinned npm package
#                     @tesseract.js-data/vie, kept for comparison: Debian's fast model read the
#                     generated registers better (docs/BENCHMARKS.md), so it is the default.
#   .venv/            Python packages of the sample and fixture generators (scripts/requirements-gen.txt).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

PYPDFIUM_VERSION=5.15.2
PYPDFIUM_WHEEL=pypdfium2-${PYPDFIUM_VERSION}-py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64.whl
PYPDFIUM_SHA256=dc31aea5b0fb9fefc9b537a65f4113980b2c40798445736a7e6565bc85161e37
VIE_NPM_VERSION=1.0.0
VIE_NPM_SHA256=4f0a17b39722269c1c5e5f10d7aa3acd9a74fe46b109621973450caa4d9fe19f
DEB_PACKAGES=(tesseract-ocr tesseract-ocr-vie libtesseract-dev libleptonica-dev clang libclang-dev
  pkg-config fonts-liberation2 fonts-noto-core poppler-utils)

say() { printf 'setup: %s\n' "$*"; }
die() { printf 'setup: error: %s\n' "$*" >&2; exit 1; }
did_something=0

# --- Debian packages -------------------------------------------------------------------------------
missing=()
for p in "${DEB_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  if [ "$(id -u)" -eq 0 ]; then sudo=(); elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    sudo=(sudo -n)
  else
    die "missing Debian packages: ${missing[*]}. Run as root: apt-get update && apt-get install -y ${missing[*]}"
  fi
  say "installing Debian packages: ${missing[*]}"
  "${sudo[@]}" apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
  did_something=1
fi

# --- libpdfium from the pypdfium2 wheel ----------------------------------------------------------
pdfium_dir="$root/vendor/pdfium"
if [ ! -s "$pdfium_dir/libpdfium.so" ] || [ "$(cat "$pdfium_dir/VERSION" 2>/dev/null)" != "$PYPDFIUM_VERSION" ]; then
  say "fetching libpdfium (pypdfium2==$PYPDFIUM_VERSION from PyPI)"
  tmp=$(mktemp -d)
  python3 -m pip download --quiet --no-deps --only-binary=:all: --platform manylinux2014_x86_64 \
    "pypdfium2==$PYPDFIUM_VERSION" -d "$tmp" || die "pip download of pypdfium2 failed"
  echo "$PYPDFIUM_SHA256  $tmp/$PYPDFIUM_WHEEL" | sha256sum -c --quiet - ||
    die "sha256 of $PYPDFIUM_WHEEL does not match the pinned value"
  mkdir -p "$pdfium_dir"
  python3 - "$tmp/$PYPDFIUM_WHEEL" "$pdfium_dir" <<'PY'
import sys, zipfile, os
wheel, dest = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(wheel) as z:
    for member, name in (("pypdfium2_raw/libpdfium.so", "libpdfium.so"),
                         ("pypdfium2_raw/version.json", "version.json")):
        data = z.read(member)
        tmp = os.path.join(dest, name + ".tmp")
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, os.path.join(dest, name))
PY
  echo "$PYPDFIUM_VERSION" >"$pdfium_dir/VERSION"
  rm -rf "$tmp"
  did_something=1
fi

# --- best_int Vietnamese model from npm -----------------------------------------------------------
tessdata="$root/models/tessdata/best_int"
# Earlier versions unpacked best_int into models/tessdata/ itself, where it would shadow the
# measured-better default; the VERSION file beside it marks that layout.
if [ -f "$root/models/tessdata/VERSION" ]; then
  rm -f "$root/models/tessdata/VERSION" "$root/models/tessdata/vie.traineddata"
fi
if [ ! -s "$tessdata/vie.traineddata" ] || [ "$(cat "$tessdata/VERSION" 2>/dev/null)" != "$VIE_NPM_VERSION" ]; then
  say "fetching the best_int Vietnamese model (@tesseract.js-data/vie@$VIE_NPM_VERSION from npm)"
  command -v npm >/dev/null || die "npm is needed to fetch the Vietnamese best_int model"
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "@tesseract.js-data/vie@$VIE_NPM_VERSION" >/dev/null) || die "npm pack failed"
  tgz="$tmp/tesseract.js-data-vie-$VIE_NPM_VERSION.tgz"
  echo "$VIE_NPM_SHA256  $tgz" | sha256sum -c --quiet - || die "sha256 of $(basename "$tgz") does not match"
  mkdir -p "$tessdata"
  tar -xzf "$tgz" -C "$tmp" package/4.0.0_best_int/vie.traineddata.gz
  gunzip -c "$tmp/package/4.0.0_best_int/vie.traineddata.gz" >"$tessdata/vie.traineddata.tmp"
  mv "$tessdata/vie.traineddata.tmp" "$tessdata/vie.traineddata"
  # Tesseract wants osd/eng beside vie only for --psm 0/1; we never use those, so vie alone is enough.
  echo "$VIE_NPM_VERSION" >"$tessdata/VERSION"
  rm -rf "$tmp"
  did_something=1
fi

# --- Python packages of the sample generator ------------------------------------------------------
venv="$root/.venv"
req="$root/scripts/requirements-gen.txt"
if [ ! -x "$venv/bin/python" ] || ! cmp -s "$req" "$venv/requirements-gen.txt"; then
  say "creating .venv for the sample generator"
  python3 -m venv "$venv" || die "python3 -m venv failed (Debian: apt-get install python3-venv)"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$req" ||
    die "pip install -r scripts/requirements-gen.txt failed"
  cp "$req" "$venv/requirements-gen.txt"
  did_something=1
fi

if [ "$did_something" -eq 0 ]; then
  say "everything is already installed"
else
  say "done"
fi
