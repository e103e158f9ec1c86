#!/bin/sh
# Rebuilds the study's other lexicon sources (issue 14) and their BLI reports:
#   datasets/lexicons/titles/en-<x>.txt   Dice on aligned DDTP training synopses (`lexicon titles`)
#   datasets/lexicons/clwe/en-<x>.txt     skip-gram vectors of each language's DDTP training text
#                                         (`embed train`), Procrustes on the FreeDict seed split, CSLS
#                                         (`lexicon clwe`; no refinement: MUSE's supervised Procrustes-CSLS)
#   datasets/lexicons/{titles,clwe}/bli.json  P@1 (and P@5 for CLWE) on the same held-out FreeDict words
# Usage: sh scripts/build-lexicon-sources.sh [LISTS]   (LISTS: the DDTP Translation indexes as
# `xmrbench data ddtp` fetches them; default ~/.cache/xmrbench/ddtp-apt/lists). The vectors go to
# $XMR_VECTORS (default ~/.cache/xmrbench/vectors), not to the repository. Every step is seeded and
# runs on 2 threads, so the bytes are the same on every run (skip-gram is bit-identical for the same
# seed and thread count).
set -e
cd "$(dirname "$0")/.."
lists="${1:-$HOME/.cache/xmrbench/ddtp-apt/lists}"
vec="${XMR_VECTORS:-$HOME/.cache/xmrbench/vectors}"
langs="de it fr es"
x="node bin/xmrbench.js"
mkdir -p "$vec" datasets/lexicons/titles datasets/lexicons/clwe
for l in en $langs; do
  $x embed train --from "$lists" --lang "$l" --epochs 10 --threads 2 --seed 0 --out "$vec/$l.vec"
done
for l in $langs; do
  $x lexicon titles --from "$lists" --lang "$l" --out "datasets/lexicons/titles/en-$l.txt"
  $x lexicon clwe --src-vec "$vec/en.vec" --tgt-vec "$vec/$l.vec" --dictionary "datasets/lexicons/en-$l.txt" \
    --threads 2 --out "datasets/lexicons/clwe/en-$l.txt" --report "$vec/en-$l.clwe.json"
  $x lexicon bli --lexicon "datasets/lexicons/titles/en-$l.txt" --dictionary "datasets/lexicons/en-$l.txt" \
    --src-vec "$vec/en.vec" --tgt-vec "$vec/$l.vec" --report "$vec/en-$l.titles.json"
done
# One array per source, in the order of $langs (the study's report reads them).
join() { node -e 'const fs = require("fs"); process.stdout.write(JSON.stringify(process.argv.slice(1).map((f) => JSON.parse(fs.readFileSync(f, "utf8"))), null, 1) + "\n")' "$@"; }
join $(for l in $langs; do echo "$vec/en-$l.clwe.json"; done) > datasets/lexicons/clwe/bli.json.tmp
mv datasets/lexicons/clwe/bli.json.tmp datasets/lexicons/clwe/bli.json
join $(for l in $langs; do echo "$vec/en-$l.titles.json"; done) > datasets/lexicons/titles/bli.json.tmp
mv datasets/lexicons/titles/bli.json.tmp datasets/lexicons/titles/bli.json
