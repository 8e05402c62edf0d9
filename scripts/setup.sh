#!/usr/bin/env bash
# Set up briefgen on a Debian machine: system libraries and fonts, then .venv with the package.
#   scripts/setup.sh          what building briefings needs
#   scripts/setup.sh --test   plus the test tools (Chromium, poppler-utils, Java for the HTML checker)
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
VENV=${VENV:-.venv}
want_test=0
[ "${1:-}" = "--test" ] && want_test=1

# WeasyPrint needs Pango/HarfBuzz; briefings are set in Noto Serif/Sans, with Noto CJK for names.
packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig
          fonts-noto-core fonts-noto-cjk)
if [ "$want_test" = 1 ]; then
  packages+=(chromium poppler-utils default-jre-headless libreoffice-writer-nogui)
fi

missing=()
for pkg in "${packages[@]}"; do
  # Java may come from elsewhere (a JDK already on PATH); do not install a second one.
  if [ "$pkg" = default-jre-headless ] && command -v java >/dev/null 2>&1; then continue; fi
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup: missing system packages; run:" >&2
    echo "  sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

if [ ! -x "$VENV/bin/python" ]; then
  echo "setup: creating $VENV"
  "$PYTHON" -m venv "$VENV"
fi

extras=""
stamp="$VENV/.briefgen-installed"
if [ "$want_test" = 1 ]; then
  extras="[test,dev]"
  stamp="$stamp-test"
fi
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "setup: installing briefgen$extras into $VENV"
  "$VENV/bin/python" -m pip install -q --upgrade pip
  "$VENV/bin/python" -m pip install -q -e ".$extras"
  touch "$stamp"
fi
