"""Load the third-party service catalogue (rules/services/*.yaml) and match page
resources against it.

This is the reference behaviour for the linter's policy-versus-practice check:
- a host entry matches the same host or any subdomain of it, never a substring
  ("doubleclick.net" matches "ad.doubleclick.net", not "notdoubleclick.net");
- a path entry matches its host (or a subdomain) when the address's path is the
  entry's path or continues it after a "/" (and, when it lists `query` texts, the
  address's query contains one of them) ("/gtag/js" matches "/gtag/js?id=1"
  and "/gtag/js/x", not "/gtag/jsx");
- path entries win over host entries, and a longer (more specific) host wins over
  a shorter one, so "securepubads.g.doubleclick.net" finds Google Ad Manager
  while "ad.doubleclick.net" finds DoubleClick;
- a snippet is literal text, compared case-sensitively with the text of inline
  scripts.
"""

import os
import sys
from urllib.parse import urlsplit

try:
    import yaml
except ImportError:  # the checker explains what to install
    yaml = None

DEFAULT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "rules", "services")


def load_catalogue(folders):
    """Return a list of (file, entry) pairs from every .yaml/.yml file in the folders."""
    if yaml is None:
        sys.exit("PyYAML is needed: install it with `pip install pyyaml` or `apt-get install python3-yaml`.")
    entries = []
    for folder in folders:
        for name in sorted(os.listdir(folder)):
            if not name.endswith((".yaml", ".yml")):
                continue
            path = os.path.join(folder, name)
            with open(path, encoding="utf-8") as f:
                data = yaml.safe_load(f)
            if data is None:
                continue
            if not isinstance(data, list):
                raise ValueError(f"{path}: the file must be a list of services (each starting with `- id:`)")
            for entry in data:
                entries.append((path, entry))
    return entries


def name_text(name):
    """A name is a plain string or {text: ..., exact-case: true}."""
    return name["text"] if isinstance(name, dict) else name


def host_of(url):
    """The lowercase host of an absolute or scheme-relative address, or None."""
    url = url.strip()
    if url.startswith("//"):
        url = "http:" + url
    low = url[:8].lower()
    if not (low.startswith("http://") or low.startswith("https://")):
        return None
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return None
    if not host:
        return None
    return host.rstrip(".").lower()


def path_of(url):
    url = url.strip()
    if url.startswith("//"):
        url = "http:" + url
    try:
        return urlsplit(url).path or "/"
    except ValueError:
        return "/"


def query_of(url):
    url = url.strip()
    if url.startswith("//"):
        url = "http:" + url
    try:
        return urlsplit(url).query
    except ValueError:
        return ""


def host_matches(host, listed):
    return host == listed or host.endswith("." + listed)


def path_matches(path, listed):
    listed = listed.rstrip("/")
    return path == listed or path.startswith(listed + "/")


class Matcher:
    def __init__(self, entries):
        self.hosts = []  # (listed host, service id)
        self.paths = []  # (listed host, listed path, query texts, service id)
        self.snippets = []  # (text, service id)
        self.services = {}
        for _, e in entries:
            sid = e["id"]
            self.services[sid] = e
            detect = e.get("detect") or {}
            for h in detect.get("hosts") or []:
                self.hosts.append((h, sid))
            for p in detect.get("paths") or []:
                self.paths.append((p["host"], p["path"], p.get("query") or [], sid))
            for s in detect.get("snippets") or []:
                self.snippets.append((s, sid))
        # Most specific first: longer host, then longer path.
        self.hosts.sort(key=lambda x: -len(x[0]))
        self.paths.sort(key=lambda x: (-len(x[0]), -len(x[1]), not x[2]))

    def match_url(self, url):
        """The service id an address belongs to, or None."""
        host = host_of(url)
        if host is None:
            return None
        path = path_of(url)
        query = query_of(url)
        for listed_host, listed_path, texts, sid in self.paths:
            if (host_matches(host, listed_host) and path_matches(path, listed_path)
                    and (not texts or any(t in query for t in texts))):
                return sid
        for listed_host, sid in self.hosts:
            if host_matches(host, listed_host):
                return sid
        return None

    def match_script_text(self, text):
        """Service ids whose snippets occur in an inline script, with the snippet."""
        found = {}
        for snippet, sid in self.snippets:
            if sid not in found and snippet in text:
                found[sid] = snippet
        return found
