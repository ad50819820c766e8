#!/usr/bin/env bash
# Whole-process throughput of `policylint lint` with every pack, beside ripgrep running
# the packs' regexes (the raw-scan ceiling). Builds its corpora under target/bench/:
#   - 2 000 policies, replicated from the labelled corpus (opp115 and goppc150 plain
#     text) when ../shared/corpus or $POLICYLINT_CORPUS exists, else from examples/policies/
#     with a line changed per copy;
#   - one 50 MB policy, those texts one after another;
#   - one short policy (examples/policies/plesk.md), where starting up is most of
#     the time: what linting one draft costs.
# Prints a Markdown table: median wall time of $RUNS runs (default 5), throughput and
# the largest peak memory (resident set) seen.
#
# Usage: scripts/bench.sh            (from anywhere; RUNS=3 scripts/bench.sh for fewer)
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-5}
PACKS=core,gdpr,ccpa,caloppa,coppa
OUT=target/bench
CORPUS=${POLICYLINT_CORPUS:-}
for candidate in ../shared/corpus /work/shared/corpus; do
    if [ -z "$CORPUS" ] && [ -d "$candidate/opp115/text" ]; then CORPUS=$candidate; fi
done

need() { command -v "$1" >/dev/null 2>&1; }
apt_install() {
    if need apt-get; then
        apt-get update -qq >/dev/null 2>&1 || true
        apt-get install -y -qq "$@" >/dev/null
    fi
}
need rg || apt_install ripgrep || true
need rg || cargo install ripgrep --locked
[ -x /usr/bin/time ] || apt_install time
python3 -c 'import yaml' 2>/dev/null || apt_install python3-yaml

cargo build --release --quiet
BIN=target/release/policylint

# --- corpora -----------------------------------------------------------------------
mkdir -p "$OUT"
MANY=$OUT/policies-2000
ONE=$OUT/policy-50mb.txt
DRAFT=examples/policies/plesk.md
if [ ! -f "$MANY/.done" ]; then
    rm -rf "$MANY" && mkdir -p "$MANY"
    if [ -n "$CORPUS" ]; then
        mapfile -t sources < <(ls "$CORPUS"/opp115/text/*.txt "$CORPUS"/goppc150/text/*.txt)
    else
        mapfile -t sources < <(ls examples/policies/*.md)
    fi
    for i in $(seq 0 1999); do
        src=${sources[$((i % ${#sources[@]}))]}
        name=$(basename "$src")
        if [ -n "$CORPUS" ]; then
            cp "$src" "$MANY/$(printf %04d "$i")-$name"
        else
            # A different company and revision per copy.
            sed "1a\\
\\
Revision $i of this policy, for Example $i Ltd." "$src" >"$MANY/$(printf %04d "$i")-$name"
        fi
    done
    touch "$MANY/.done"
fi
if [ ! -f "$ONE" ]; then
    : >"$ONE.tmp"
    while [ "$(stat -c %s "$ONE.tmp")" -lt 50000000 ]; do
        for f in "$MANY"/*; do cat "$f" >>"$ONE.tmp"; printf '\n\n' >>"$ONE.tmp"; done
    done
    head -c 50000000 "$ONE.tmp" >"$ONE.cut"
    # Cut at the last line end so the file is whole lines of valid UTF-8.
    python3 -c 'import sys; d=open(sys.argv[1],"rb").read(); open(sys.argv[2],"wb").write(d[:d.rfind(b"\n")+1])' "$ONE.cut" "$ONE"
    rm -f "$ONE.tmp" "$ONE.cut"
fi

# --- ripgrep's patterns: every pack's regexes that ripgrep can read ------------------
PATTERNS=$OUT/patterns.txt
python3 scripts/rule_patterns.py rules >"$PATTERNS.all"
: >"$PATTERNS"
while IFS= read -r p; do
    # Exit 2 is a pattern ripgrep cannot compile; 0 and 1 are fine.
    set +e; printf 'x\n' | rg --no-unicode -i -e "$p" >/dev/null 2>&1; rc=$?; set -e
    [ "$rc" -le 1 ] && printf '%s\n' "$p" >>"$PATTERNS"
done <"$PATTERNS.all"
npatterns=$(wc -l <"$PATTERNS")

# --- timing ------------------------------------------------------------------------
# Runs a command $RUNS times; prints "median-seconds max-rss-kb".
measure() {
    local times=() rss=0 line
    for _ in $(seq "$RUNS"); do
        /usr/bin/time -f '%e %M' -o "$OUT/time.txt" "$@" >/dev/null 2>&1
        line=$(tail -1 "$OUT/time.txt")
        times+=("${line% *}")
        [ "${line#* }" -gt "$rss" ] && rss=${line#* }
    done
    printf '%s %s\n' "$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p")" "$rss"
}
# /usr/bin/time reports the child's status in its own; a lint with findings exits 1.
lint() { "$BIN" lint --no-config --today 2026-01-01 --pack "$PACKS" --format jsonl "$@" || [ $? -le 1 ]; }
grep_() { rg --no-unicode -c -i -f "$PATTERNS" "$@" || [ $? -le 1 ]; }
export -f lint grep_; export BIN PACKS PATTERNS

# Every tool on every corpus: "seconds peak-kb" per row, then the table.
head -30 "$PATTERNS" >"$PATTERNS.30"
grep30() { rg --no-unicode -c -i -f "$PATTERNS.30" "$@" || [ $? -le 1 ]; }
export -f grep30

many_bytes=$(cat "$MANY"/* | wc -c)
one_bytes=$(stat -c %s "$ONE")
draft_bytes=$(stat -c %s "$DRAFT")
declare -A secs rss
for corpus in many one draft; do
    case $corpus in
        many) target="-r $MANY"; lint_target=$MANY ;;
        one) target=$ONE; lint_target=$ONE ;;
        draft) target=$DRAFT; lint_target=$DRAFT ;;
    esac
    read -r secs[$corpus.pl] rss[$corpus.pl] < <(measure bash -c "lint $lint_target")
    read -r secs[$corpus.rg] rss[$corpus.rg] < <(measure bash -c "grep_ $target")
    read -r secs[$corpus.rg30] rss[$corpus.rg30] < <(measure bash -c "grep30 $target")
done

row() { # corpus-key label files bytes tool-key tool-label
    awk -v c="$2" -v f="$3" -v b="$4" -v t="$6" -v s="${secs[$1.$5]}" -v r="${rss[$1.$5]}" \
        -v rg="${secs[$1.rg]}" -v pl="${secs[$1.pl]}" 'BEGIN {
        mbs = (s > 0) ? b / 1e6 / s : 0
        ratio = (s > 0) ? rg / s : 0
        mb = sprintf(b >= 1e6 ? "%.1f" : "%.3f", b / 1e6)
        rate = sprintf(mbs >= 1 ? "%.1f" : "%.2f", mbs)
        printf "| %s | %d | %s | %s | %.2f | %s | %.2f | %.0f |\n", c, f, mb, t, s, rate, ratio, r / 1024 }'
}

echo "policylint $("$BIN" --version | awk '{print $2}'), $(rg --version | sed -n 1p), $npatterns ripgrep patterns, $(nproc) cores, median of $RUNS runs"
echo
echo "| corpus | files | MB | tool | seconds | MB/s | throughput ÷ ripgrep (all patterns) | peak MB |"
echo "|---|---|---|---|---|---|---|---|"
for corpus in many one draft; do
    case $corpus in
        many) label="2 000 policies"; files=2000; bytes=$many_bytes ;;
        one) label="one 50 MB file"; files=1; bytes=$one_bytes ;;
        draft) label="one short policy"; files=1; bytes=$draft_bytes ;;
    esac
    row $corpus "$label" $files "$bytes" pl "policylint (all packs, jsonl)"
    row $corpus "$label" $files "$bytes" rg "ripgrep -c -i -f, all $npatterns patterns"
    row $corpus "$label" $files "$bytes" rg30 "ripgrep -c -i -f, first 30 patterns"
done
