#!/usr/bin/env bash
# `npm test`: the whole suite. Typecheck, lint, unit tests (Vitest, SQLite), integration tests
# (Vitest, PostgreSQL and MariaDB: they skip with a printed reason where no server answers, and
# fail instead under CI=true), then the Playwright end-to-end tests in Debian's Chromium against
# a production build, shuffled.
set -euo pipefail
export NEXT_TELEMETRY_DISABLED=1
cd "$(dirname "$0")/.."

if [ ! -x /usr/bin/chromium ]; then
  echo "Installing Chromium from Debian (needed by the browser tests)…"
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && apt-get install -y -qq chromium >/dev/null
  else
    sudo apt-get update -qq && sudo apt-get install -y -qq chromium >/dev/null
  fi
fi

echo "== typecheck"; npx tsc --noEmit
echo "== lint"; npx eslint --max-warnings 0 .
echo "== unit tests"; npx vitest run --project unit
echo "== integration tests"; npx vitest run --project int
echo "== build"; npx next build
# In a random order (the seed is printed), two workers with a database each: specs must not
# depend on each other (e2e/README.md).
echo "== end-to-end tests"; node scripts/e2e-shuffled.mjs
