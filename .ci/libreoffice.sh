#!/usr/bin/env bash
# LibreOffice (headless Writer) and a Chinese font, for the test that converts the .docx report
# to PDF and for the Chinese labels of its saturation curve. Installed with apt-get when missing.
set -euo pipefail
if command -v soffice >/dev/null 2>&1 && fc-list :lang=zh 2>/dev/null | grep -q .; then
  exit 0
fi
echo "installing LibreOffice Writer and a Chinese font with apt-get" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq --no-install-recommends libreoffice-writer-nogui fonts-wqy-microhei >&2
