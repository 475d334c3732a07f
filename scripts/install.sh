#!/usr/bin/env bash
# Installs highlit and its test tools on a fresh machine (CPU only).
# torch is pinned: on this project's machines and CI, pip finds the CPU wheel of 2.13.0 in the local wheel
# store. Elsewhere PyPI's Linux wheel is the CUDA build: for CPU only, install torch first with
#   pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install -q --disable-pip-version-check "torch==2.13.0"
python3 -m pip install -q --disable-pip-version-check -e ".[dev]"
if ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1; then
  # Only the HTML report's browser test needs it; the package itself never does.
  if command -v apt-get >/dev/null 2>&1; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
      || echo "install.sh: chromium not installed; the browser test will fail" >&2
  fi
fi
