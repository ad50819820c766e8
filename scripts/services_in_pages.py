#!/usr/bin/env python3
"""Which catalogued third-party services do saved web pages load?

    python3 scripts/services_in_pages.py [--per-page] [--top N] FOLDER [FOLDER...]

Reads every .html/.htm file in the folders (no copies are made), finds the
resources each page loads and the text of its inline scripts, and matches them
against rules/services/. Prints the services found per page (with --per-page),
then a summary: pages with at least one detection, how many of the third-party
hosts were recognised, and the most common third-party hosts the catalogue does
not know (gaps to fill).

What counts as a load (the same choice the linter makes):
- src of script, img, iframe, frame, embed, source, video, audio, track, input;
  srcset of img and source; data of object; poster of video; data-src and
  data-lazy-src of img and iframe (lazy loading: a script loads them later);
- href of <link> only when rel says the browser fetches the file: stylesheet,
  icon, apple-touch-icon, preload, modulepreload, prefetch, prerender, manifest,
  import. Not dns-prefetch or preconnect (no file is requested), and not
  canonical, alternate, publisher, author and the like (plain references);
- never <a href> or <form action>: following a link or sending a form is the
  visitor's act, not something the page loads.
Tags inside <noscript> count: they are the fallback of a tag the page carries.
Inline scripts are all <script> elements without src, except JSON data blocks.
"""

import argparse
import collections
import os
import re
import sys
from html.parser import HTMLParser

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from services_catalogue import DEFAULT_DIR, Matcher, host_of, load_catalogue  # noqa: E402

SRC_ATTRS = {
    "script": ("src",),
    "img": ("src", "srcset", "data-src", "data-lazy-src"),
    "iframe": ("src", "data-src", "data-lazy-src"),
    "frame": ("src",),
    "embed": ("src",),
    "source": ("src", "srcset"),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "input": ("src",),
    "object": ("data",),
}
LOAD_RELS = {"stylesheet", "icon", "apple-touch-icon", "apple-touch-icon-precomposed", "preload",
             "modulepreload", "prefetch", "prerender", "manifest", "import", "mask-icon"}
DATA_SCRIPT_TYPES = {"application/ld+json", "application/json"}
SECOND_LEVEL = {"co", "com", "org", "net", "ac", "gov", "edu", "ne", "or", "gob", "go"}


def site_of(host):
    """Registrable domain, roughly: example.com, example.co.uk."""
    labels = host.split(".")
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in SECOND_LEVEL:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


class PageReader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.loads = []  # (tag, url)
        self.scripts = []
        self.local_files = 0
        self.page_urls = []  # saved-from comment, canonical, og:url, base
        self.link_hosts = collections.Counter()
        self._script = None

    def handle_comment(self, data):
        m = re.search(r"saved from url=\(\d+\)(\S+)", data)
        if m:
            self.page_urls.insert(0, m.group(1))

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "script" and not a.get("src"):
            kind = a.get("type", "").strip().lower()
            self._script = [] if kind not in DATA_SCRIPT_TYPES else None
        if tag == "a" and a.get("href"):
            h = host_of(a["href"])
            if h:
                self.link_hosts[h] += 1
        if tag == "link":
            rels = set(a.get("rel", "").lower().split())
            if "canonical" in rels and a.get("href"):
                self.page_urls.append(a["href"])
            if rels & LOAD_RELS and a.get("href"):
                self._add("link", a["href"])
        if tag == "meta" and a.get("property") == "og:url" and a.get("content"):
            self.page_urls.append(a["content"])
        if tag == "base" and a.get("href"):
            self.page_urls.append(a["href"])
        for attr in SRC_ATTRS.get(tag, ()):
            value = a.get(attr)
            if not value:
                continue
            if attr == "srcset":
                for candidate in value.split(","):
                    parts = candidate.split()
                    if parts:
                        self._add(tag, parts[0])
            else:
                self._add(tag, value)

    def _add(self, tag, url):
        if host_of(url):
            self.loads.append((tag, url))
        elif "_files/" in url:  # "Save page, complete" replaced the address with a local copy
            self.local_files += 1

    def handle_data(self, data):
        if self._script is not None:
            self._script.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.scripts.append("".join(self._script))
            self._script = None


def read_page(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    reader = PageReader()
    reader.feed(text)
    reader.close()
    return reader


def page_site(reader, file_name):
    for url in reader.page_urls:
        h = host_of(url)
        if h:
            return site_of(h)
    m = re.match(r"\d+_(.+)\.html?$", file_name)  # OPP-115 names: 1017_www.sci-news.com.html
    if m and "." in m.group(1):
        return site_of(m.group(1).lower())
    if reader.link_hosts:  # the host most links point to is almost always the site itself
        return site_of(reader.link_hosts.most_common(1)[0][0])
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("folders", nargs="+")
    ap.add_argument("--per-page", action="store_true", help="list the services found in each page")
    ap.add_argument("--top", type=int, default=40, help="how many unmatched hosts to list")
    ap.add_argument("--services", default=DEFAULT_DIR, help="catalogue folder")
    args = ap.parse_args()

    matcher = Matcher(load_catalogue([args.services]))
    pages = 0
    pages_with = 0
    pages_with_expected = 0
    pairs = matched_pairs = 0
    local_files = 0
    service_pages = collections.Counter()
    unmatched = collections.Counter()
    unmatched_example = {}
    for folder in args.folders:
        for name in sorted(os.listdir(folder)):
            if not name.lower().endswith((".html", ".htm")):
                continue
            reader = read_page(os.path.join(folder, name))
            pages += 1
            local_files += reader.local_files
            site = page_site(reader, name)
            found = {}  # service id -> evidence
            third_party_hosts = {}
            for tag, url in reader.loads:
                host = host_of(url)
                if site and site_of(host) == site:
                    continue
                sid = matcher.match_url(url)
                if sid:
                    found.setdefault(sid, f"<{tag}> {host}")
                third_party_hosts.setdefault(host, sid)
            for script in reader.scripts:
                for sid, snippet in matcher.match_script_text(script).items():
                    found.setdefault(sid, f"inline script: {snippet}")
            for host, sid in third_party_hosts.items():
                pairs += 1
                if sid:
                    matched_pairs += 1
                else:
                    unmatched[host] += 1
                    unmatched_example.setdefault(host, name)
            if found:
                pages_with += 1
            if any(matcher.services[sid].get("disclosure", "expected") == "expected" for sid in found):
                pages_with_expected += 1
            service_pages.update(found.keys())
            if args.per_page:
                print(f"{os.path.basename(folder.rstrip('/'))}/{name} (site {site or '?'}):")
                for sid, why in sorted(found.items()):
                    print(f"    {sid:32} {why}")
    print(f"\npages: {pages}; with at least one service: {pages_with}; "
          f"with at least one service a policy is expected to name: {pages_with_expected}")
    if local_files:
        print(f"resources saved as local copies (original host lost): {local_files}")
    pct = 100.0 * matched_pairs / pairs if pairs else 0.0
    print(f"third-party hosts loaded (counted once per page): {pairs}; recognised: {matched_pairs} ({pct:.1f}%)")
    print(f"distinct unmatched third-party hosts: {len(unmatched)}")
    print("\nmost common services (pages):")
    for sid, n in service_pages.most_common(25):
        print(f"  {n:4}  {sid}")
    print(f"\nmost common unmatched third-party hosts (pages, example page):")
    for host, n in unmatched.most_common(args.top):
        print(f"  {n:4}  {host:45} {unmatched_example[host]}")


if __name__ == "__main__":
    main()
