#!/usr/bin/env python3
"""Score rules against the human labels of four policy corpora.

The corpora are not part of this repository (their licences forbid
redistribution); pass the folder that holds `opp115/`, `goppc150/`, `gt200/` and
`c3pa/` (each with its policies and a `labels.csv`):

    scripts/evaluate.py ../shared/corpus                      # every corpus, all packs
    scripts/evaluate.py ../shared/corpus --corpus gt200       # one corpus
    scripts/evaluate.py ../shared/corpus --corpus c3pa --markdown   # the docs/accuracy.md table
    scripts/evaluate.py ../shared/corpus --corpus gt200 --disagree gdpr/complaint  # cases to read
    scripts/evaluate.py ../shared/corpus --packs core,gdpr    # other packs than all five
    scripts/evaluate.py ../shared/corpus --html-agreement     # OPP-115 saved pages vs their text

Every corpus is linted with all five built-in packs loaded unless `--packs` says
otherwise, as a team bound by several laws would run it. A policy "gives" an item
when the rule answering its label passes; a finding means the linter says it is
missing. Labels are human judgements with noise: read disagreements before tuning
a rule, and never tune to one policy.
"""

import argparse
import csv
import html.parser
import json
import math
import os
import re
import subprocess
import sys

ALL_PACKS = "core,gdpr,ccpa,caloppa,coppa"

# rule id -> label column, per corpus. Rules listed under `extra` are scored but
# left out of the corpus's macro average (a second rule answering the same label).
OPP115 = {
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
OPP115_EXTRA = {
    "caloppa/do-not-track": "dnt_mentioned",
    "ccpa/last-updated": "has_last_updated_date_meta",
}

GOPPC150 = {
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

GT200 = {
    "gdpr/controller-identity": "Controller Name",
    "gdpr/controller-contact": "Controller Contact",
    "gdpr/dpo-contact": "DPO Contact",
    "gdpr/data-categories": "Data Categories",
    "gdpr/purposes": "Processing Purpose",
    "gdpr/legal-basis": "Legal Basis for Processing",
    "gdpr/legitimate-interests": "Legitimate Interests for Processing",
    "gdpr/data-source": "Source of Data",
    "gdpr/retention-period": "Data Retention Period [concrete]",
    "gdpr/recipients": "Data Recipients",
    "gdpr/international-transfers": "Third-country Transfers",
    "gdpr/statutory-requirement": "Mandatory Data Disclosure",
    "gdpr/automated-decisions": "Automated Decision-Making",
    "gdpr/right-access": "Right to Access",
    "gdpr/right-rectification": "Right to Rectification",
    "gdpr/right-erasure": "Right to Erasure",
    "gdpr/right-restriction": "Right to Restrict",
    "gdpr/right-objection": "Right to Object",
    "gdpr/right-portability": "Right to Portability",
    "gdpr/withdraw-consent": "Right to Withdraw Consent",
    "gdpr/complaint": "Right to Lodge Complaint",
}
GT200_EXTRA = {
    "core/retention-period": "Data Retention Period [concrete]",
}

C3PA = {
    "core/last-updated": "Updated Privacy Policy",
    "ccpa/categories-collected": "Categories of Personal Information Collected",
    "ccpa/categories-disclosed": "Categories of Personal Information Shared / Disclosed",
    "ccpa/sold-shared": "Categories of Personal Information Sold",
    "ccpa/request-methods": "Methods to exercise rights",
    "ccpa/right-to-know": "Description of Right to Know PI Collected",
    "ccpa/right-to-delete": "Description of Right to Delete",
    "ccpa/right-to-correct": "Description of Right to Correct Information",
    "ccpa/right-to-opt-out": "Description of Right to Opt-out of sale of PI",
    "ccpa/right-to-limit": "Description of Right to Limit use of PI",
    "ccpa/non-discrimination": "Description of Right to Non-discrimination on exercising rights",
}
C3PA_EXTRA = {
    "ccpa/last-updated": "Updated Privacy Policy",
}

# The keyword baseline: one case-insensitive search per item, as a person would
# write it in a minute.
KEYWORDS = {
    "gdpr/controller-identity": r"\bcontroller\b|\b(ltd|limited|llc|inc|gmbh|b\.?v|s\.?a|corp|corporation|company)\b",
    "gdpr/controller-contact": r"contact us|@|\baddress\b",
    "gdpr/dpo-contact": r"data protection officer|\bDPO\b",
    "gdpr/data-categories": r"(information|data) (we|that we) collect|categories of (personal )?(data|information)",
    "gdpr/purposes": r"\bpurposes?\b|we use (your|the|this) (personal )?(data|information)",
    "gdpr/legal-basis": r"legal basis|lawful basis|legal ground",
    "gdpr/legitimate-interests": r"legitimate interest",
    "gdpr/data-source": r"\bsources?\b|obtain(ed)? from|(receive|collect) .{0,30}from (third parties|other sources|partners)",
    "gdpr/retention-period": r"\b(retain|retention|keep)\b",
    "gdpr/recipients": r"third[- ]part(y|ies)|share",
    "gdpr/international-transfers": r"transfer",
    "gdpr/statutory-requirement": r"statutory|contractual requirement|obliged to provide|required to provide|mandatory",
    "gdpr/automated-decisions": r"automated",
    "gdpr/right-access": r"right (of|to) access",
    "gdpr/right-rectification": r"rectif",
    "gdpr/right-erasure": r"erasure|right to (be forgotten|delete|deletion)",
    "gdpr/right-restriction": r"restrict",
    "gdpr/right-objection": r"\bobject",
    "gdpr/right-portability": r"portab",
    "gdpr/withdraw-consent": r"withdraw",
    "gdpr/complaint": r"supervisory authority|complaint",
    "caloppa/do-not-track": r"do not track",
    "ccpa/last-updated": r"last (updated|revised|modified)|effective",
    "ccpa/categories-collected": r"categories of personal information",
    "ccpa/categories-disclosed": r"disclos",
    "ccpa/sold-shared": r"\bsold\b|\bsell",
    "ccpa/request-methods": r"toll[- ]free|submit (a|your) request|web ?form|e-?mail us|@",
    "ccpa/right-to-know": r"right to know|right to access|request access",
    "ccpa/right-to-delete": r"right to delete|delete|deletion",
    "ccpa/right-to-correct": r"correct",
    "ccpa/right-to-opt-out": r"opt[- ]?out|do not sell",
    "ccpa/right-to-limit": r"\blimit",
    "ccpa/non-discrimination": r"discriminat",
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


def span_matched(row):
    return float(row["html_span_match"]) >= 0.2


# Each corpus: where its policies and labels are, which rules answer which label,
# and whether "not applicable" counts as given (OPP-115, as when its table was
# first made) or not (the others: a rule that does not apply found no statement).
# `today` lies before every policy's date, so date rules score presence only.
CORPORA = {
    "opp115": {
        "policies": "opp115/text", "rules": OPP115, "extra": OPP115_EXTRA,
        "id_column": "policy_uid", "file_id": lambda name: name.split("_")[0],
        "na_is_present": True, "today": "2000-01-01",
    },
    "goppc150": {
        "policies": "goppc150/text", "rules": GOPPC150, "extra": {},
        "id_column": "doc_id", "file_id": lambda name: name.split(".")[0],
        "na_is_present": False, "today": "2000-01-01",
    },
    "gt200": {
        "policies": "gt200/md", "rules": GT200, "extra": GT200_EXTRA,
        "id_column": "doc_id", "file_id": lambda name: name[: -len(".md")],
        "na_is_present": False, "today": "2000-01-01",
    },
    "c3pa": {
        "policies": "c3pa/html", "rules": C3PA, "extra": C3PA_EXTRA,
        "id_column": "doc_id", "file_id": lambda name: name[: -len(".html")],
        "na_is_present": False, "today": "2000-01-01",
        # A saved page that holds under a fifth of the annotated spans is not the
        # page that was annotated.
        "keep_row": span_matched, "recall": True,
    },
}


def run_linter(binary, folder, rule_dirs, packs, today):
    extra = [arg for d in rule_dirs for arg in ("--rules", d)]
    out = subprocess.run(
        [binary, "lint", "--no-config", "--pack", packs, *extra, "--format", "json", "--today", today, folder],
        capture_output=True,
        text=True,
    )
    if out.returncode not in (0, 1):
        sys.exit(f"policylint failed ({out.returncode}):\n{out.stderr}{out.stdout[:2000]}")
    return json.loads(out.stdout)


class _Text(html.parser.HTMLParser):
    """The text of a web page, scripts and styles left out (for the keyword baseline)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self.skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def plain_text(path):
    raw = open(path, encoding="utf-8", errors="replace").read()
    if not path.endswith((".html", ".htm")):
        return raw
    parser = _Text()
    parser.feed(raw)
    return " ".join(parser.parts)


def html_agreement(binary, corpus_root, rule_dirs, packs):
    """How often a saved web page gets the same outcome as its plain-text version."""
    key = lambda f: os.path.basename(f["path"]).split("_")[0]
    text_dir, html_dir = (os.path.join(corpus_root, "opp115", d) for d in ("text", "html"))
    text = {key(f): f for f in run_linter(binary, text_dir, rule_dirs, packs, "2000-01-01")["files"]}
    pages = run_linter(binary, html_dir, rule_dirs, packs, "2000-01-01")["files"]
    agree = total = errors = 0
    for page in pages:
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
    print(f"{len(pages)} pages, {errors} errors; {agree} of {total} (policy, rule) outcomes agree: {share:.1%}")


def scores(pairs):
    """pairs of (label, predicted) booleans, True = the item is given."""
    tp = sum(1 for l, p in pairs if l and p)
    tn = sum(1 for l, p in pairs if not l and not p)
    fp = sum(1 for l, p in pairs if not l and p)
    fn = sum(1 for l, p in pairs if l and not p)

    def div(a, b):
        return a / b if b else float("nan")

    denom = math.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn))
    return {
        "n": len(pairs), "neg": tn + fp, "tp": tp, "tn": tn, "fp": fp, "fn": fn,
        "precision": div(tp, tp + fp), "recall": div(tp, tp + fn),
        # the class the linter reports: "missing"
        "finding_precision": div(tn, tn + fn), "finding_recall": div(tn, tn + fp),
        "mcc": (tp * tn - fp * fn) / denom if denom else 0.0,
    }


def fmt(x):
    return "–" if x != x else f"{x:.2f}"


def evaluate(binary, corpus_root, which, packs, rule_dirs, disagree=None):
    """Scores of every rule of one corpus: [(rule, column, in_macro, linter, keyword)]."""
    corpus = CORPORA[which]
    folder = os.path.join(corpus_root, corpus["policies"])
    labels = [row for row in csv.DictReader(open(os.path.join(corpus_root, which, "labels.csv")))
              if corpus.get("keep_row", lambda _: True)(row)]
    files = {corpus["file_id"](name): name for name in os.listdir(folder)}
    report = run_linter(binary, folder, rule_dirs, packs, corpus["today"])
    by_name = {os.path.basename(f["path"]): f for f in report["files"]}
    texts = {}

    rows = []
    table = [(r, c, True) for r, c in corpus["rules"].items()] + [(r, c, False) for r, c in corpus["extra"].items()]
    for rule, column, in_macro in table:
        linter, keyword, cases = [], [], []
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
            given = status == "pass" or (status == "not-applicable" and corpus["na_is_present"])
            if name not in texts:
                texts[name] = plain_text(os.path.join(folder, name))
            linter.append((label, given))
            keyword.append((label, re.search(KEYWORDS[rule], texts[name], re.I) is not None))
            if label != given:
                cases.append((name, label, outcomes[rule],
                              [d for d in result["diagnostics"] if rule == d["rule"] or rule in d.get("merged", [])]))
        if not linter:
            continue
        rows.append((rule, column, in_macro, scores(linter), scores(keyword)))
        if disagree == rule:
            for name, label, outcome, findings in cases:
                print(f"## {name}: label {'given' if label else 'not given'}, linter {outcome['status']}")
                if outcome.get("note"):
                    print("   note:", outcome["note"])
                if outcome.get("evidence"):
                    print("   evidence:", outcome["evidence"]["text"][:300].replace("\n", " "))
                for d in findings:
                    lab = "; ".join(l["message"] for l in d["labels"])
                    quote = d.get("excerpt") or ""
                    print(f"   finding at line {d['span']['start']['line']}: {lab} {quote[:120]!r}")
    return rows


def macro(rows, key, which="linter"):
    values = [(s if which == "linter" else k)[key] for _, _, in_macro, s, k in rows if in_macro]
    values = [v for v in values if v == v]
    return sum(values) / len(values) if values else float("nan")


def print_table(which, rows, markdown, with_recall):
    header = ["rule", "label", "n", "negatives", "precision", "recall", "MCC",
              "finding precision", "finding recall", "keyword MCC"]
    if with_recall:
        header.append("keyword recall")
    lines = []
    if markdown:
        lines.append("| " + " | ".join(header) + " |")
        lines.append("|" + "---|" * len(header))
    for rule, column, in_macro, s, k in rows:
        cells = [f"`{rule}`" + ("" if in_macro else " (not in the average)"), f"`{column}`", str(s["n"]),
                 str(s["neg"]), fmt(s["precision"]), fmt(s["recall"]), fmt(s["mcc"]),
                 fmt(s["finding_precision"]), fmt(s["finding_recall"]), fmt(k["mcc"])]
        if with_recall:
            cells.append(fmt(k["recall"]))
        if markdown:
            lines.append("| " + " | ".join(cells) + " |")
        else:
            cells[0], cells[1] = cells[0].replace("`", "")[:30].ljust(30), cells[1].replace("`", "")[:24].ljust(24)
            lines.append("  ".join(c if i < 2 else c.rjust(6) for i, c in enumerate(cells)))
    if not markdown:
        lines.insert(0, "  ".join(h[:30].ljust(30) if i == 0 else h[:24].ljust(24) if i == 1 else h[:6].rjust(6)
                                  for i, h in enumerate(header)))
    summary = f"{which}: macro MCC {fmt(macro(rows, 'mcc'))} (keyword {fmt(macro(rows, 'mcc', 'keyword'))})"
    if with_recall:
        summary += f"; macro recall {fmt(macro(rows, 'recall'))} (keyword {fmt(macro(rows, 'recall', 'keyword'))})"
    print("\n".join(lines))
    print()
    print(("**" + summary + "**") if markdown else summary)
    print()
    return summary


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", help="folder holding opp115/, goppc150/, gt200/ and c3pa/")
    ap.add_argument("--corpus", dest="which", choices=sorted(CORPORA) + ["all"], default="all",
                    help="which labelled corpus to score (default: all four)")
    ap.add_argument("--packs", default=ALL_PACKS, help=f"built-in packs to lint with (default {ALL_PACKS})")
    ap.add_argument("--binary", default=None, help="policylint binary (default: build target/release/policylint)")
    ap.add_argument("--markdown", action="store_true", help="print Markdown tables")
    ap.add_argument("--rules", action="append", default=[], metavar="DIR", help="extra rule folder (repeatable)")
    ap.add_argument("--html-agreement", action="store_true",
                    help="compare outcomes on opp115/html pages with those on their text versions")
    ap.add_argument("--disagree", metavar="RULE", help="list the policies where RULE and the label disagree")
    ap.add_argument("--json", metavar="FILE", help="also write every score as JSON to FILE")
    args = ap.parse_args()

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    binary = args.binary
    if binary is None:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=root, check=True)
        binary = os.path.join(root, "target", "release", "policylint")

    if args.html_agreement:
        html_agreement(binary, args.corpus, args.rules, args.packs)
        return
    names = sorted(CORPORA) if args.which == "all" else [args.which]
    if args.disagree:
        names = [n for n in names if args.disagree in CORPORA[n]["rules"] or args.disagree in CORPORA[n]["extra"]]
    summaries, everything = [], {}
    for which in names:
        if not os.path.isdir(os.path.join(args.corpus, CORPORA[which]["policies"])):
            print(f"{which}: not found under {args.corpus}, skipped", file=sys.stderr)
            continue
        if args.disagree:
            print(f"# {which}")
        rows = evaluate(binary, args.corpus, which, args.packs, args.rules, args.disagree)
        everything[which] = [{"rule": r, "label": c, "in_macro": m, "linter": s, "keyword": k}
                             for r, c, m, s, k in rows]
        if not args.disagree:
            summaries.append(print_table(which, rows, args.markdown, CORPORA[which].get("recall", False)))
    if len(summaries) > 1:
        print("\n".join(summaries))
    if args.json:
        with open(args.json, "w") as out:
            json.dump(everything, out, indent=1)


if __name__ == "__main__":
    main()
