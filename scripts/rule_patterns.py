#!/usr/bin/env python3
"""Prints the regexes of the built-in rule packs, one a line, for ripgrep's -f.

Each `pattern:` is one line ((?x) patterns with their comments removed), each
`terms:` list one alternation of whole words. Patterns with policylint's own
macros ({email}, {date}, ...) are left out: ripgrep does not know them.

Usage: scripts/rule_patterns.py [RULES_DIR]   (default: rules/)
"""
import pathlib
import re
import sys

import yaml

MACRO = re.compile(r"(?<!\\)\{[a-z][a-z-]*\}")


def one_line(pattern):
    if pattern.lstrip().startswith("(?x)"):
        lines = [re.sub(r"(?<!\\)#.*$", "", l) for l in pattern.splitlines()]
        return " ".join(l.strip() for l in lines if l.strip())
    return pattern.replace("\n", " ")


def term_regex(term):
    out = re.escape(term.strip())
    out = re.sub(r"(\\ )+", r"\\s+", out)
    if re.match(r"\w", term.strip()):
        out = r"\b" + out
    if re.search(r"\w$", term.strip()):
        out += r"\b"
    return out


def walk(node, lists, out):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "pattern" and isinstance(value, str):
                out.append(one_line(value))
            elif key == "terms":
                terms = lists.get(value[1:], []) if isinstance(value, str) else value
                if terms:
                    out.append("(?:" + "|".join(term_regex(t) for t in terms) + ")")
            elif key not in ("examples", "section"):
                walk(value, lists, out)
    elif isinstance(node, list):
        for item in node:
            walk(item, lists, out)


def main():
    rules = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "rules")
    lists = {}
    for path in sorted((rules / "lists").glob("*.yaml")):
        data = yaml.safe_load(path.read_text())
        lists[path.stem] = data.get("terms", data) if isinstance(data, dict) else data
    out = []
    for path in sorted(rules.glob("*/*.yaml")):
        if path.parent.name == "lists" or path.name == "pack.yaml":
            continue
        walk(yaml.safe_load(path.read_text()), lists, out)
    seen = set()
    for pattern in out:
        if pattern not in seen and not MACRO.search(pattern):
            seen.add(pattern)
            print(pattern)


main()
