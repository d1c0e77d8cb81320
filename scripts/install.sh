#!/usr/bin/env bash
# Installs the workspace with the pinned pnpm (corepack's signature check fails on some machines).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules/.pnpm ] || [ pnpm-lock.yaml -nt node_modules/.modules.yaml ]; then
  npx -y pnpm@10.34.9 install --frozen-lockfile
fi
