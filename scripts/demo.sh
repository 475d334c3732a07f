#!/usr/bin/env bash
# One command from a fresh machine to highlights: install, then run the main job on the embedded
# example clip with the embedded default (the network is fitted on the clip itself, offline).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
mkdir -p demo-out
highlit examples/big_buck_bunny_0_30.webm -o demo-out --plot --report --reel demo-out/reel.mp4 "$@"
echo "outputs in demo-out/"
