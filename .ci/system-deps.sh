#!/usr/bin/env bash
# Debian packages the project uses outside Python: antiword and LibreOffice (DOC/WPS to text),
# chromium (browser tests of the UI and the release page), fonts-noto-cjk (Chinese province
# names in the release page's plots; without it the plots fall back to pinyin labels). Installed only when missing and
# when we are root; otherwise the dependent tests skip with a clear reason.
set -u
need=()
command -v antiword >/dev/null 2>&1 || need+=(antiword)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
fc-list 2>/dev/null | grep -qi 'Noto Sans CJK' || need+=(fonts-noto-cjk)
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-writer-nogui)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != "0" ]; then
  echo "system-deps: not root; missing ${need[*]} (the tests that need them will skip)" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null \
  || echo "system-deps: apt-get install ${need[*]} failed (the tests that need them will skip)" >&2
exit 0
