#!/bin/sh
# Runs a Node entry point under a Node that this project supports (>= 22.18, for native
# TypeScript and current OpenTelemetry), installing what is missing on the way:
#   1. the system node, when it is new enough;
#   2. else Node 24 from the npm registry package `node@24`, cached in .tools/node;
#   3. project dependencies (npm ci) when node_modules is missing or older than the lockfile.
# Usage: sh scripts/launch.sh <entry.ts|entry.mjs> [args...]
set -eu
root=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)
cd "$root"

node_ok() {
  command -v node >/dev/null 2>&1 || return 1
  node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>22||(a===22&&b>=18)?0:1)'
}

if ! node_ok; then
  cached="$root/.tools/node/node_modules/node/bin"
  if [ ! -x "$cached/node" ]; then
    echo "tracelab: system Node $(node --version 2>/dev/null || echo none) is older than 22.18; installing Node 24 into .tools/node (npm package node@24)..." >&2
    mkdir -p "$root/.tools/node"
    npm install --prefix "$root/.tools/node" --no-save --no-audit --no-fund --loglevel=error node@24 >&2
  fi
  PATH="$cached:$PATH"
  export PATH
  node_ok || { echo "tracelab: could not get Node >= 22.18 (tried $cached). Install Node 24 and retry." >&2; exit 1; }
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then
  echo "tracelab: installing dependencies (npm ci) with Node $(node --version)..." >&2
  npm ci --no-audit --no-fund --loglevel=error >&2
  touch node_modules
fi

exec node "$@"
