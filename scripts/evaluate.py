#!/usr/bin/env python3
"""Score rules against the human labels of the OPP-115 and GoPPC-150 corpora.

The corpora are not part of this repository (their licences forbid
redistribution); pass the folder that holds `opp115/` and `goppc150/`:

    scripts/evaluate.py ../shared/corpus                 # OPP-115 table on stdout
    scripts/evaluate.py ../shared/corpus --corpus goppc150 --rules my-rules/
    scripts/evaluate.py ../shared/corpus --markdown      # the table for docs/accuracy.md
    scripts/evaluate.py ../shared/corpus --disagree core/user-edit   # cases to read
    scripts/evaluate.py ../shared/corpus --html-agreement   # saved web pages vs their text

A policy "has" a practice when the rule passes (or does not apply); a finding
means the linter says it is missing. Labels are human judgements with noise:
read disagreements before tuning a rule.
"""

import argparse
import csv
import json
import math
import os
import re
import subprocess
import sys

# rule id -> OPP-115 label column (1 = annotators found the practice)
OPP115_RULES = {
    "core/contact": "privacy_contact_info",
    "core/retention-period": "retention_period_stated",
    "core/children": "children_mentioned",
    "core/policy-changes": "policy_change_mentioned",
    "core/change-notice": "policy_change_notice_described",
    "core/security": "data_security_mentioned",
    "core/third-party-sharing": "third_party_sharing_mentioned",
    "core/user-access": "user_access_view_or_export",
    "core/user-edit": "user_edit",
    "core/user-deletion": "user_deletion",
    "core/last-updated": "has_last_updated_date_meta",
    "core/cookies": "cookies_tracking_mentioned",
}

# rule id -> GoPPC-150 label column (GDPR taxonomy; a parent is 1 when any child is)
GOPPC150_RULES = {
    "gdpr/controller-contact": "CONTROLLER.CONTACT",
    "gdpr/dpo-contact": "DPO.CONTACT",
    "gdpr/right-access": "DATA_SUBJECT_RIGHT.ACCESS",
    "gdpr/right-rectification": "DATA_SUBJECT_RIGHT.RECTIFICATION",
    "gdpr/right-erasure": "DATA_SUBJECT_RIGHT.ERASURE",
    "gdpr/right-restriction": "DATA_SUBJECT_RIGHT.RESTRICTION",
    "gdpr/right-objection": "DATA_SUBJECT_RIGHT.OBJECT",
    "gdpr/right-portability": "DATA_SUBJECT_RIGHT.PORTABILITY",
    "gdpr/withdraw-consent": "DATA_SUBJECT_RIGHT.WITHDRAW_CONSENT",
    "gdpr/automated-decisions": "DATA_SUBJECT_RIGHT.AUTO_DECISION_MAKING",
    "gdpr/complaint": "COMPLAINT",
    "gdpr/legal-basis": "LAWFUL_BASIS",
    "gdpr/legitimate-interests": "LAWFUL_BASIS.LEGITIMATE_INTEREST",
    "gdpr/retention-period": "PD_STORAGE_DETAILS.TIME",
    "gdpr/international-transfers": "TRANSFER_OUTSIDE_EUROPE",
    "gdpr/recipients": "DATA_SHARING.RECIPIENT",
    "core/children": "CHILDREN",
    "core/security": "PD_SECURITY",
}

# The keyword baseline: one case-insensitive search per practice, as a person
# would write it in a minute.
KEYWORDS = {
    "gdpr/controller-contact": r"contact us|@|\baddress\b",
    "gdpr/dpo-contact": r"data protection officer|\bDPO\b",
    "gdpr/right-access": r"right (of|to) access",
    "gdpr/right-rectification": r"rectif",
    "gdpr/right-erasure": r"erasure|right to (be forgotten|delete|deletion)",
    "gdpr/right-restriction": r"restrict",
    "gdpr/right-objection": r"\bobject",
    "gdpr/right-portability": r"portab",
    "gdpr/withdraw-consent": r"withdraw",
    "gdpr/automated-decisions": r"automated",
    "gdpr/complaint": r"supervisory authority|complaint",
    "gdpr/legal-basis": r"legal basis|lawful basis|legal ground",
    "gdpr/legitimate-interests": r"legitimate interest",
    "gdpr/retention-period": r"\b(retain|retention|keep)\b",
    "gdpr/international-transfers": r"transfer",
    "gdpr/recipients": r"third[- ]part(y|ies)|share",
    "caloppa/do-not-track": r"do not track",
    "ccpa/last-updated": r"last (updated|revised|modified)|effective",
    "core/contact": r"contact us|e-?mail us|@",
    "core/retention-period": r"\b(retain|retention|keep)\b",
    "core/children": r"\bchild(ren)?\b|under (the age of )?1[36]",
    "core/policy-changes": r"changes? to (this|our) (privacy )?policy|(update|change|modify|revise) (this|our) (privacy )?policy",
    "core/change-notice": r"\bnotify\b|\bnotice\b",
    "core/security": r"\bsecurity\b|\bsecure\b",
    "core/third-party-sharing": r"third[- ]part(y|ies)",
    "core/user-access": r"\baccess\b",
    "core/user-edit": r"\b(update|correct|edit)\b",
    "core/user-deletion": r"\bdelet(e|ion)\b",
    "core/last-updated": r"last (updated|revised|modified)|effective",
    "core/cookies": r"\bcookies?\b",
}


# US packs scored on OPP-115 (2015 policies: presence only, so dates are measured
# against a --today that makes none stale).
OPP115_US_RULES = {
    "caloppa/do-not-track": "dnt_mentioned",
    "ccpa/last-updated": "has_last_updated_date_meta",
}

# Each corpus: its rules, the packs to lint with, where ids and files are, and
# whether "not applicable" counts as stated (OPP-115) or not (GoPPC-150).
CORPORA = {
    "opp115": {
        "rules": OPP115_RULES, "packs": "core", "id_column": "policy_uid",
        "file_id": lambda name: name.split("_")[0], "na_is_present": True,
    },
    "opp115-us": {
        "folder": "opp115", "rules": OPP115_US_RULES, "packs": "ccpa,caloppa", "id_column": "policy_uid",
        "file_id": lambda name: name.split("_")[0], "na_is_present": True,
        # Presence only: a "today" before every policy's date makes none stale.
        "today": "2000-01-01",
    },
    "goppc150": {
        "rules": GOPPC150_RULES, "packs": "core,gdpr", "id_column": "doc_id",
        "file_id": lambda name: name.split(".")[0], "na_is_present": False,
    },
}


def run_linter(binary, folder, rule_dirs, packs="core", today="2016-01-01"):
    extra = [arg for d in rule_dirs for arg in ("--rules", d)]
    out = subprocess.run(
        [binary, "lint", "--pack", packs, *extra, "--format", "json", "--today", today, folder],
        capture_output=True,
        text=True,
    )
    if out.returncode not in (0, 1):
        sys.exit(f"policylint failed ({out.returncode}):\n{out.stderr}{out.stdout[:2000]}")
    return json.loads(out.stdout)


def html_agreement(binary, text_dir, html_dir, rule_dirs):
    """How often a saved web page gets the same outcome as its plain-text version."""
    key = lambda f: os.path.basename(f["path"]).split("_")[0]
    text = {key(f): f for f in run_linter(binary, text_dir, rule_dirs)["files"]}
    html = run_linter(binary, html_dir, rule_dirs)["files"]
    agree = total = errors = 0
    for page in html:
        if page["error"]:
            errors += 1
            print(f"error: {page['path']}: {page['error']}")
            continue
        twin = text.get(key(page))
        if twin is None:
            continue
        theirs = {o["rule"]: o for o in twin["rules"]}
        for mine in page["rules"]:
            other = theirs.get(mine["rule"])
            if other is None:
                continue
            total += 1
            if mine["status"] == other["status"]:
                agree += 1
                continue
            quote = lambda o: (o.get("evidence") or {}).get("text", "")[:100].replace("\n", " ")
            print(f"{key(page):>5} {mine['rule']:<26} html {mine['status']:<15} {quote(mine)!r}")
            print(f"{'':>5} {'':<26} text {other['status']:<15} {quote(other)!r}")
    share = agree / total if total else float("nan")
    print(f"{len(html)} pages, {errors} errors; {agree} of {total} (policy, rule) outcomes agree: {share:.1%}")


def scores(pairs):
    """pairs of (label, predicted) booleans, True = practice present."""
    tp = sum(1 for l, p in pairs if l and p)
    tn = sum(1 for l, p in pairs if not l and not p)
    fp = sum(1 for l, p in pairs if not l and p)
    fn = sum(1 for l, p in pairs if l and not p)

    def div(a, b):
        return a / b if b else float("nan")

    precision, recall = div(tp, tp + fp), div(tp, tp + fn)
    f1 = div(2 * precision * recall, precision + recall) if tp else 0.0
    denom = math.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn))
    mcc = (tp * tn - fp * fn) / denom if denom else 0.0
    return {
        "n": len(pairs), "neg": tn + fp, "tp": tp, "tn": tn, "fp": fp, "fn": fn,
        "precision": precision, "recall": recall, "f1": f1,
        # the class the linter reports: "missing"
        "finding_precision": div(tn, tn + fn), "finding_recall": div(tn, tn + fp),
        "mcc": mcc,
    }


def fmt(x):
    return "–" if x != x else f"{x:.2f}"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", help="folder holding opp115/ and goppc150/ (text/ and labels.csv each)")
    ap.add_argument("--corpus", dest="which", choices=sorted(CORPORA), default="opp115",
                    help="which labelled corpus to score (default opp115)")
    ap.add_argument("--binary", default=None, help="policylint binary (default: build target/release/policylint)")
    ap.add_argument("--markdown", action="store_true", help="print the Markdown table")
    ap.add_argument("--rules", action="append", default=[], metavar="DIR", help="extra rule folder (repeatable)")
    ap.add_argument("--html-agreement", action="store_true",
                    help="compare outcomes on opp115/html pages with those on their text versions")
    ap.add_argument("--disagree", metavar="RULE", help="list the policies where RULE and the label disagree")
    args = ap.parse_args()

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    binary = args.binary
    if binary is None:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=root, check=True)
        binary = os.path.join(root, "target", "release", "policylint")

    text_dir = os.path.join(args.corpus, "opp115", "text")
    if args.html_agreement:
        html_agreement(binary, text_dir, os.path.join(args.corpus, "opp115", "html"), args.rules)
        return
    corpus = CORPORA[args.which]
    folder = corpus.get("folder", args.which)
    text_dir = os.path.join(args.corpus, folder, "text")
    labels = list(csv.DictReader(open(os.path.join(args.corpus, folder, "labels.csv"))))
    files = {corpus["file_id"](name): name for name in os.listdir(text_dir)}
    report = run_linter(binary, text_dir, args.rules, corpus["packs"], corpus.get("today", "2016-01-01"))
    by_name = {os.path.basename(f["path"]): f for f in report["files"]}

    rows = []
    for rule, column in corpus["rules"].items():
        linter, keyword, always, cases = [], [], [], []
        for row in labels:
            name = files.get(row[corpus["id_column"]])
            if name is None or name not in by_name:
                continue
            result = by_name[name]
            outcomes = {o["rule"]: o for o in result["rules"]}
            if rule not in outcomes:
                continue
            label = row[column] == "1"
            status = outcomes[rule]["status"]
            present = status == "pass" or (status == "not-applicable" and corpus["na_is_present"])
            text = open(os.path.join(text_dir, name), encoding="utf-8", errors="replace").read()
            linter.append((label, present))
            keyword.append((label, re.search(KEYWORDS[rule], text, re.I) is not None))
            always.append((label, True))
            if label != present:
                cases.append((name, label, outcomes[rule], [d for d in result["diagnostics"] if d["rule"] == rule]))
        if not linter:
            continue
        rows.append((rule, column, scores(linter), scores(keyword), scores(always)))
        if args.disagree == rule:
            for name, label, outcome, findings in cases:
                print(f"## {name}: label {'present' if label else 'absent'}, linter {outcome['status']}")
                if outcome.get("evidence"):
                    print("   evidence:", outcome["evidence"]["text"][:300])
                for d in findings:
                    lab = "; ".join(l["message"] for l in d["labels"])
                    print(f"   finding at line {d['span']['start']['line']}: {lab}")

    if args.disagree:
        return
    header = ["rule", "label", "n", "missing (label 0)", "precision", "recall", "F1",
              "finding precision", "finding recall", "MCC", "keyword MCC", "keyword F1", "always-pass F1"]
    lines = []
    if args.markdown:
        lines.append("| " + " | ".join(header) + " |")
        lines.append("|" + "---|" * len(header))
    for rule, column, s, k, a in rows:
        cells = [f"`{rule}`", f"`{column}`", str(s["n"]), str(s["neg"]), fmt(s["precision"]), fmt(s["recall"]),
                 fmt(s["f1"]), fmt(s["finding_precision"]), fmt(s["finding_recall"]), fmt(s["mcc"]),
                 fmt(k["mcc"]), fmt(k["f1"]), fmt(a["f1"])]
        if args.markdown:
            lines.append("| " + " | ".join(cells) + " |")
        else:
            lines.append("  ".join(c.strip("`").ljust(10) for c in cells))
    if not args.markdown:
        lines.insert(0, "  ".join(h[:10].ljust(10) for h in header))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
