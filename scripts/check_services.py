#!/usr/bin/env python3
"""Check the third-party service catalogue: python3 scripts/check_services.py [FOLDER...]

With no folder, checks rules/services/. Prints every problem as `file: id: problem`
and exits 1 when there is any.
"""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from services_catalogue import DEFAULT_DIR, load_catalogue, name_text  # noqa: E402

CATEGORIES = {
    "analytics", "advertising", "session-replay", "social", "embedded-media",
    "fonts-cdn", "maps", "payments", "support-chat", "consent-manager",
    "error-tracking", "tag-manager", "a-b-testing", "marketing", "forms",
    "security", "site-platform", "accessibility",
}
KEYS = {"id", "name", "company", "category", "disclosure", "detect", "names", "company-names", "note"}
DETECT_KEYS = {"hosts", "paths", "snippets"}
ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
# A bare host: lowercase labels separated by dots, at least one dot; no scheme,
# port, path, wildcard or trailing dot.
HOST = re.compile(r"^(?=.{4,253}$)([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$")
LEGAL_WORDS = {"inc", "inc.", "llc", "ltd", "ltd.", "gmbh", "corp", "corp.", "co.", "s.a.", "sa", "ag"}
MIN_SNIPPET = 5


def check_names(names, where, problems, required):
    if names is None:
        if required:
            problems.append(f"{where}: `names` is missing")
        return
    if not isinstance(names, list) or (required and not names):
        problems.append(f"{where}: `names` must be a non-empty list")
        return
    seen = set()
    for n in names:
        if isinstance(n, dict):
            extra = set(n) - {"text", "exact-case"}
            if extra or "text" not in n:
                problems.append(f"{where}: a name written as a mapping needs `text` (and optionally `exact-case`), got {sorted(n)}")
                continue
            if not isinstance(n.get("exact-case", False), bool):
                problems.append(f"{where}: `exact-case` must be true or false")
            exact = n.get("exact-case", False)
        elif isinstance(n, str):
            exact = False
        else:
            problems.append(f"{where}: a name must be text or {{text, exact-case}}, got {n!r}")
            continue
        text = name_text(n)
        if not isinstance(text, str) or not text.strip():
            problems.append(f"{where}: empty name")
            continue
        if text != text.strip():
            problems.append(f"{where}: name {text!r} has spaces at either end")
        if text.lower() in LEGAL_WORDS:
            problems.append(f"{where}: name {text!r} is only a legal suffix (quote names that contain a comma)")
        if len(text) <= 3 and not exact:
            problems.append(f"{where}: short name {text!r} must be `exact-case: true`")
        key = (text if exact else text.lower())
        if key in seen:
            problems.append(f"{where}: name {text!r} is listed twice")
        seen.add(key)


def check(folders, strict_file_names):
    problems = []
    try:
        entries = load_catalogue(folders)
    except Exception as err:  # a YAML syntax error names the file and line
        return [str(err)], 0
    ids = {}
    host_owner = {}
    path_owner = {}
    for path, e in entries:
        fname = os.path.basename(path)
        if not isinstance(e, dict):
            problems.append(f"{fname}: every item must be a service mapping, got {e!r}")
            continue
        sid = e.get("id")
        where = f"{fname}: {sid}"
        if not isinstance(sid, str) or not ID.match(sid):
            problems.append(f"{where}: `id` must be kebab-case (lowercase letters, digits, hyphens)")
        elif sid in ids:
            problems.append(f"{where}: id already used in {ids[sid]}")
        else:
            ids[sid] = fname
        for k in set(e) - KEYS:
            problems.append(f"{where}: unknown key `{k}`")
        for k in ("name", "company", "category"):
            if not isinstance(e.get(k), str) or not e.get(k).strip():
                problems.append(f"{where}: `{k}` is missing or empty")
        cat = e.get("category")
        if cat not in CATEGORIES:
            problems.append(f"{where}: unknown category {cat!r}; known: {', '.join(sorted(CATEGORIES))}")
        elif strict_file_names and os.path.splitext(fname)[0] != cat:
            problems.append(f"{where}: category {cat} is in {fname}; built-in services live in {cat}.yaml")
        if e.get("disclosure", "expected") not in ("expected", "optional"):
            problems.append(f"{where}: `disclosure` must be expected or optional")
        check_names(e.get("names"), where, problems, required=True)
        check_names(e.get("company-names"), where + " (company-names)", problems, required=False)

        detect = e.get("detect")
        if not isinstance(detect, dict) or not any(detect.get(k) for k in DETECT_KEYS):
            problems.append(f"{where}: `detect` needs at least one of hosts, paths, snippets")
            continue
        for k in set(detect) - DETECT_KEYS:
            problems.append(f"{where}: unknown key `detect.{k}`")
        for h in detect.get("hosts") or []:
            if not isinstance(h, str) or not HOST.match(h):
                problems.append(f"{where}: host {h!r} must be a bare lowercase host such as example.com (no https://, no path, no *)")
                continue
            if h in host_owner and host_owner[h] != sid:
                problems.append(f"{where}: host {h} is already listed by {host_owner[h]}; use `paths` to tell them apart")
            host_owner.setdefault(h, sid)
        for p in detect.get("paths") or []:
            if not isinstance(p, dict) or not {"host", "path"} <= set(p) <= {"host", "path", "query"}:
                problems.append(f"{where}: a path entry is {{host: ..., path: /..., query: [...]}} (query optional), got {p!r}")
                continue
            texts = p.get("query", [])
            if not isinstance(texts, list) or not all(isinstance(t, str) and t.strip() for t in texts):
                problems.append(f"{where}: `query` is a list of texts the address's query contains, got {texts!r}")
                continue
            h, pth = p["host"], p["path"]
            if not isinstance(h, str) or not HOST.match(h):
                problems.append(f"{where}: path host {h!r} must be a bare lowercase host")
            if not isinstance(pth, str) or not pth.startswith("/") or any(c in pth for c in "?#* "):
                problems.append(f"{where}: path {pth!r} must start with / and hold no ?, #, * or space")
            key = (h, str(pth).rstrip("/"), tuple(texts))
            if key in path_owner and path_owner[key] != sid:
                problems.append(f"{where}: path {h}{pth} is already listed by {path_owner[key]}")
            path_owner.setdefault(key, sid)
        for s in detect.get("snippets") or []:
            if not isinstance(s, str) or len(s.strip()) < MIN_SNIPPET:
                problems.append(f"{where}: snippet {s!r} is too short to be specific (at least {MIN_SNIPPET} characters)")
            elif s != s.strip():
                problems.append(f"{where}: snippet {s!r} has spaces at either end")
    return problems, len(entries)


def main(argv):
    folders = argv[1:] or [DEFAULT_DIR]
    strict = not argv[1:]
    problems, count = check(folders, strict)
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} problem(s) in {count} services")
        return 1
    print(f"ok: {count} services")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
