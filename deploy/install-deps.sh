#!/usr/bin/env bash
# Installs the Debian packages sohoa needs that are missing, and nothing else.
# Used by `make run` and `make test`; safe to run again (it does nothing when
# everything is there). Needs root, or sudo.
#   usage: deploy/install-deps.sh [run|test|bench|model]
set -euo pipefail

mode=${1:-run}
if [[ $mode == model ]]; then
  # Training the digit network (make model): the handwriting faces it draws
  # digits in, and Liberation Serif for the printed letters it learns to reject.
  pkgs=(fonts-dkg-handwriting fonts-breip fonts-bwht fonts-klee fonts-liberation2)
else
# OCR (Tesseract 5 with Vietnamese and orientation data) and its headers for cgo;
# poppler (pdftoppm, pdftotext, pdffonts) to render electronic PDFs and read
# their text, with Liberation standing in for their fonts (Times New Roman,
# Arial) when they are not embedded.
pkgs=(tesseract-ocr tesseract-ocr-vie tesseract-ocr-osd libtesseract-dev libleptonica-dev pkg-config
      ca-certificates poppler-utils fonts-liberation2)
fi
if [[ $mode == test || $mode == bench ]]; then
  # pdftotext and pdfsig to check archived PDFs; qpdf for structure checks;
  # openssl to sign a test PDF;
  # fonts with Vietnamese glyphs for the synthetic test scans, and handwriting
  # fonts for the digits written into their blanks; a real browser (headless)
  # for the web interface's test.
  # libtiff-tools (tiffinfo, tiffcp), python3-pil (Little CMS through
  # ImageCms) and argyll (iccdump) are independent decoders for the ccitt
  # and ICC tests.
  # softhsm2 is the PKCS#11 token archive/sign's tests sign with (a key
  # imported into a token made in a temporary folder); opensc's pkcs11-tool
  # is there to look into such a token by hand.
  pkgs+=(qpdf openssl python3-pikepdf libtiff-tools python3-pil argyll fonts-liberation2 fonts-dejavu-core fonts-dejavu-extra fonts-noto-core
         fonts-dkg-handwriting fonts-breip fonts-bwht fonts-klee fonts-femkeklaver chromium softhsm2 opensc)
fi
if [[ $mode == bench ]]; then
  # The tool sohoa is measured against, on the same pages.
  pkgs+=(ocrmypdf)
fi

missing=()
for p in "${pkgs[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi

sudo=()
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null; then
    sudo=(sudo)
  else
    echo "sohoa needs these Debian packages: ${missing[*]}" >&2
    echo "Run as root: apt-get update && apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi
echo "Installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -q
"${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
