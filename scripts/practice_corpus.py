#!/usr/bin/env python3
"""Which third-party services do the linted pages load, and do their policies name them?

    policylint lint --format json FOLDER... > report.json
    python3 scripts/practice_corpus.py report.json [--top N] [--group folder|none]

Reads the JSON report (docs/json-output.md) and prints, for each folder of pages:
how many pages load at least one catalogued service, services per page, the most
common services, services by category, and how many of the services a policy is
expected to name are named in it. The output is Markdown tables.

A "detection" is one service found in one page, however many places load it.
Files that could not be linted (`error` set) are left out. An HTML page without a
`services` list loads no catalogued service; other files without one (plain-text
policies with no --site) are counted apart and left out of the tables. Lint with
`--select core/undisclosed-service` (or any rule that compares) so the list is made.
"""

import argparse
import collections
import json
import os
import statistics
import sys


# Every field this script reads from the report, in one place. If the JSON contract
# renames a field, change it here only.
class Report:
    FILES = "files"
    PATH = "path"
    ERROR = "error"
    SERVICES = "services"


class Service:
    ID = "id"
    NAME = "name"
    CATEGORY = "category"
    DISCLOSURE = "disclosure"
    NAMED = "named"
    EXPECTED = "expected"  # value of DISCLOSURE for a service a policy should name
    REQUIRED = (ID, NAME, CATEGORY, DISCLOSURE, NAMED)


class BadReport(Exception):
    """The report does not have the shape this script reads."""


def read_report(path):
    """The list of file entries of the report, or BadReport saying what is wrong."""
    try:
        if path == "-":
            data = json.load(sys.stdin)
        else:
            with open(path, encoding="utf-8") as f:
                data = json.load(f)
    except FileNotFoundError:
        raise BadReport(f"{path}: no such file")
    except (OSError, UnicodeDecodeError) as e:
        raise BadReport(f"{path}: cannot read it ({e})")
    except json.JSONDecodeError as e:
        raise BadReport(f"{path}: not JSON (line {e.lineno}, column {e.colno}: {e.msg}); "
                        "give the output of `policylint lint --format json`")
    if not isinstance(data, dict) or not isinstance(data.get(Report.FILES), list):
        raise BadReport(f"{path}: no `{Report.FILES}` list at the top; "
                        "give the output of `policylint lint --format json`")
    return data[Report.FILES]


def services_of(entry, where):
    """The service list of one file entry (None when the entry has none), checked."""
    services = entry.get(Report.SERVICES)
    if services is None:
        # An HTML page is always compared with what it loads; the list is left out
        # of the report when it loads no catalogued service.
        if entry.get(Report.PATH, "").lower().endswith((".html", ".htm")):
            return []
        return None
    if not isinstance(services, list):
        raise BadReport(f"{where}: `{Report.SERVICES}` is not a list")
    for i, s in enumerate(services):
        missing = [k for k in Service.REQUIRED if not isinstance(s, dict) or k not in s]
        if missing:
            raise BadReport(f"{where}: service {i + 1} has no {', '.join('`' + k + '`' for k in missing)}")
    return services


def group_of(path, how):
    if how == "none":
        return "all files"
    return os.path.dirname(path) or "."


class Tally:
    """The counts of one group of pages."""

    def __init__(self):
        self.files = 0
        self.unreadable = 0
        self.without_services = 0
        self.per_page = []  # detections in each page with service data
        self.service_pages = collections.Counter()
        self.service_named = collections.Counter()
        self.service_label = {}
        self.category_detections = collections.Counter()
        self.category_pages = collections.Counter()
        self.category_expected = collections.Counter()
        self.category_named = collections.Counter()
        self.expected = 0
        self.expected_named = 0
        self.pages_expecting = 0
        self.pages_all_named = 0

    def add(self, entry, where):
        self.files += 1
        if entry.get(Report.ERROR) is not None:
            self.unreadable += 1
            return
        services = services_of(entry, where)
        if services is None:
            self.without_services += 1
            return
        self.per_page.append(len(services))
        categories = set()
        expected_here = named_here = 0
        for s in services:
            sid, category = s[Service.ID], s[Service.CATEGORY]
            named = bool(s[Service.NAMED])
            self.service_pages[sid] += 1
            self.service_label[sid] = s[Service.NAME]
            self.category_detections[category] += 1
            categories.add(category)
            if s[Service.DISCLOSURE] == Service.EXPECTED:
                expected_here += 1
                self.category_expected[category] += 1
                self.service_named[sid] += named
                self.category_named[category] += named
                named_here += named
        self.category_pages.update(categories)
        self.expected += expected_here
        self.expected_named += named_here
        if expected_here:
            self.pages_expecting += 1
            self.pages_all_named += named_here == expected_here


def share(part, whole):
    return f"{100.0 * part / whole:.1f}%" if whole else "-"


def print_tally(title, t, top):
    print(f"## {title}\n")
    pages = len(t.per_page)
    with_any = sum(1 for n in t.per_page if n)
    print("| | |\n|---|---|")
    print(f"| files in the report | {t.files} |")
    if t.unreadable:
        print(f"| could not be linted | {t.unreadable} |")
    if t.without_services:
        print(f"| no service data (not a web page, or an older report) | {t.without_services} |")
    print(f"| pages checked for services | {pages} |")
    print(f"| pages loading at least one service | {with_any} ({share(with_any, pages)}) |")
    print(f"| services found (one per page and service) | {sum(t.per_page)} |")
    if pages:
        print(f"| services per page: mean, median | {statistics.mean(t.per_page):.2f}, "
              f"{statistics.median(t.per_page):g} |")
    print(f"| services the policy should name | {t.expected} |")
    print(f"| ... of which the policy names | {t.expected_named} ({share(t.expected_named, t.expected)}) |")
    print(f"| pages with a service the policy should name | {t.pages_expecting} |")
    print(f"| ... whose policy names every one of them | {t.pages_all_named} "
          f"({share(t.pages_all_named, t.pages_expecting)}) |")
    print()
    if t.service_pages:
        print(f"Most common services (top {top}):\n")
        print("| service | pages | named in the policy |\n|---|---|---|")
        for sid, n in sorted(t.service_pages.items(), key=lambda kv: (-kv[1], kv[0]))[:top]:
            # service_named only counts pages where the service should be named
            named = t.service_named[sid] if sid in t.service_named else "(optional)"
            print(f"| {t.service_label[sid]} (`{sid}`) | {n} | {named} |")
        print()
        print("By category:\n")
        print("| category | services found | pages | should be named | named |\n|---|---|---|---|---|")
        for cat, n in sorted(t.category_detections.items(), key=lambda kv: (-kv[1], kv[0])):
            print(f"| {cat} | {n} | {t.category_pages[cat]} | {t.category_expected[cat]} | "
                  f"{t.category_named[cat]} ({share(t.category_named[cat], t.category_expected[cat])}) |")
        print()


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("report", help="JSON report from `policylint lint --format json` (- for standard input)")
    ap.add_argument("--top", type=int, default=15, help="how many services to list (default 15)")
    ap.add_argument("--group", choices=("folder", "none"), default="folder",
                    help="one table per folder of pages (default), or one for all files")
    args = ap.parse_args(argv)
    try:
        files = read_report(args.report)
        groups = collections.OrderedDict()
        total = Tally()
        for i, entry in enumerate(files):
            if not isinstance(entry, dict) or not isinstance(entry.get(Report.PATH), str):
                raise BadReport(f"{args.report}: file {i + 1} has no `{Report.PATH}`")
            path = entry[Report.PATH]
            where = f"{args.report}: {path}"
            groups.setdefault(group_of(path, args.group), Tally()).add(entry, where)
            total.add(entry, where)
    except BadReport as e:
        print(f"practice_corpus: {e}", file=sys.stderr)
        return 2
    if not files:
        print(f"practice_corpus: {args.report}: the report lists no files", file=sys.stderr)
        return 2
    for name, tally in groups.items():
        print_tally(name, tally, args.top)
    if len(groups) > 1:
        print_tally("all folders", total, args.top)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # the reader stopped early (`| head`): nothing left to say
        sys.stderr.close()
        sys.exit(0)
