#!/usr/bin/env bash
# How long the compliance report takes to open with 500 policies and every pack: the
# example policies copied 100 times into a folder under target/bench/, one report
# written, then opened $RUNS times (default 3) in headless Chromium. Prints the
# milliseconds from navigation to the drawn table (the page's own clock), and the
# page's size. A benchmark, not a test: docs/report.md records the figure.
#
# Needs Chromium (/usr/bin/chromium or $CHROMIUM), node and playwright-core in
# target/ci-tools (see scripts/report_page.mjs).
# Usage: scripts/bench_report.sh   (POLICYLINT=target/debug/policylint to skip the
# release build)
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-3}
PACKS=core,gdpr,ccpa,caloppa,coppa
OUT=target/bench/report
POLICYLINT=${POLICYLINT:-target/release/policylint}
if [ ! -x "$POLICYLINT" ]; then cargo build --release --quiet; fi
if [ ! -d target/ci-tools/node_modules/playwright-core ]; then
    npm install --silent --prefix target/ci-tools --no-package-lock playwright-core@1.65.1
fi

rm -rf "$OUT" && mkdir -p "$OUT/policies"
for i in $(seq -w 1 100); do
    for f in examples/policies/*; do
        name=$(basename "$f")
        cp "$f" "$OUT/policies/${name%.*}-$i.${name##*.}"
    done
done
count=$(find "$OUT/policies" -type f | wc -l)

SECONDS=0
"$POLICYLINT" report "$OUT/policies" --pack "$PACKS" --no-config --output "$OUT/report.html" 2>/dev/null
written=$SECONDS
size=$(du -h "$OUT/report.html" | cut -f1)
rules=$("$POLICYLINT" rules --pack "$PACKS" | grep -cE '^  [a-z0-9-]+/')

echo "policies: $count; rules: $rules; page: $size; written in $written s"
echo "milliseconds from navigation to the drawn table, $RUNS runs:"
node scripts/report_page.mjs load-time "$OUT/report.html" "$RUNS"
