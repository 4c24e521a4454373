#!/usr/bin/env bash
# Debian packages QualityCity needs. As root they are installed with apt; otherwise the missing
# ones are listed with the command that installs them.
#   app:  gettext (compilemessages), fonts-noto-cjk (Chinese in generated documents),
#         libharfbuzz-subset0 (WeasyPrint subsets fonts with it: a CJK PDF page takes ~0.5 s
#         instead of ~25 s), libpango-1.0-0 and libpangoft2-1.0-0 (WeasyPrint's text layout)
#   test: the app's, plus chromium for the browser tests and poppler-utils (pdftotext reads the
#         generated PDFs back)
set -euo pipefail
what="${1:-app}"
packages=(gettext fonts-noto-cjk libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0)
if [ "$what" = "test" ]; then
  packages+=(chromium poppler-utils)
fi
missing=()
for pkg in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
  echo "Installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "Missing Debian packages: ${missing[*]}" >&2
  echo "Install them with: sudo apt-get install ${missing[*]}" >&2
  if [ "$what" = "test" ]; then
    echo "(without chromium the browser tests fail)" >&2
  fi
  exit 1
fi
