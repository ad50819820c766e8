#!/usr/bin/env bash
# The screenshots of docs/report.md, docs/practice.md and the README: the compliance
# report of one policy (a checklist, a requirement selected), of a folder of
# policies (the matrix) and of a policy page with the services it loads. The folder is the OPP-115 plain-text corpus when ../shared/corpus or
# $POLICYLINT_CORPUS has it, else 60 copies of examples/policies/ (copies are made
# under target/, never in the repository).
#
# Needs Chromium, node and playwright-core (see scripts/report_page.mjs).
# Usage: scripts/screenshots.sh   (POLICYLINT=target/debug/policylint to skip the
# release build)
set -euo pipefail
cd "$(dirname "$0")/.."

PACKS=core,gdpr,ccpa
OUT=target/screenshots
POLICYLINT=${POLICYLINT:-target/release/policylint}
if [ ! -x "$POLICYLINT" ]; then cargo build --release --quiet; fi
if [ ! -d target/ci-tools/node_modules/playwright-core ]; then
    npm install --silent --prefix target/ci-tools --no-package-lock playwright-core@1.65.1
fi
CORPUS=${POLICYLINT_CORPUS:-}
for candidate in ../shared/corpus /work/shared/corpus; do
    if [ -z "$CORPUS" ] && [ -d "$candidate/opp115/text" ]; then CORPUS=$candidate; fi
done
rm -rf "$OUT" && mkdir -p "$OUT" docs/images

if [ -n "$CORPUS" ]; then
    folder=$CORPUS/opp115/text
else
    folder=$OUT/policies
    mkdir -p "$folder"
    for i in $(seq -w 1 12); do
        for f in examples/policies/*; do
            name=$(basename "$f")
            cp "$f" "$folder/${name%.*}-$i.${name##*.}"
        done
    done
fi

"$POLICYLINT" report examples/policies/putio.md --pack "$PACKS" --no-config \
    --today 2026-11-23 --output "$OUT/one.html"
"$POLICYLINT" report "$folder" --pack "$PACKS" --no-config --today 2026-11-23 \
    --output "$OUT/corpus.html" || true # a corpus file that cannot be read is listed
node scripts/report_page.mjs screenshot "$OUT/one.html" docs/images/report-one.png 1400 900 core/security
node scripts/report_page.mjs screenshot "$OUT/corpus.html" docs/images/report-corpus.png 1400 900 policy
# An HTML policy page compared with what it loads (docs/practice.md).
"$POLICYLINT" report tests/fixtures/practice/policy-page.html --no-config \
    --today 2026-11-23 --output "$OUT/practice.html"
node scripts/report_page.mjs screenshot "$OUT/practice.html" docs/images/report-services.png 1200 1500
echo "docs/images/report-one.png, docs/images/report-corpus.png, docs/images/report-services.png"
