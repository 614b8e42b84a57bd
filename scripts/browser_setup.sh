#!/usr/bin/env bash
# Set-up for the browser tests (tests/browser) and the chat bundle:
#  - Debian's Chromium (Playwright never downloads a browser),
#  - the npm packages of web/ (socket.io-client, @noble, @hpke, esbuild, axe-core) from package-lock.json,
#  - the bundles backend/web/static/build/chat.js and volgen.js.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium
fi

if ! command -v npm >/dev/null; then
  echo "npm is missing: apt-get install -y nodejs npm" >&2
  exit 1
fi
if [ ! -d web/node_modules ] || [ web/package-lock.json -nt web/node_modules/.package-lock.json ]; then
  (cd web && npm ci --no-audit --no-fund --loglevel=error)
fi
(cd web && npm run --silent build)
