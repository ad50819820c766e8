//! Policy versus practice: which catalogued third-party services a site's pages
//! load, and whether a policy names them. Detection reads what a page loads
//! ([`crate::document::loads`]); naming reads the policy's prose. The rules that use
//! both are ordinary rules (`services:` and `when: site-loads`), checked by the
//! engine like any other.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use crate::document::loads::{PageLoads, page_loads};
use crate::rules::services::{Name, Service, ServiceCatalogue};
use crate::span::{LineIndex, Location, ProseRange, SourceSpan};

/// How a page shows that it loads a service.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Shown {
    /// A tag loads an address of the service.
    Tag { element: String, address: String },
    /// An inline script holds the service's code.
    Snippet { text: String },
}

/// One service one page loads, at the first tag or snippet that shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Detection {
    /// Index into [`Detector::services`].
    pub service: usize,
    pub span: SourceSpan,
    pub location: Location,
    pub shown: Shown,
}

/// The services one page loads, in page order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PageScan {
    pub path: String,
    pub detections: Vec<Detection>,
}

/// The pages of a site given with `--site`, scanned once for every policy.
#[derive(Clone, Debug, Default)]
pub struct Site {
    pub pages: Vec<PageScan>,
}

/// A path a service is loaded from on a shared host.
#[derive(Debug)]
struct PathEntry {
    /// Without a trailing `/`.
    prefix: String,
    /// Texts one of which the query must contain (none: any query).
    query: Vec<String>,
    service: usize,
}

impl PathEntry {
    fn matches(&self, path: &str, query: Option<&str>) -> bool {
        let continues = path
            .strip_prefix(self.prefix.as_str())
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'));
        continues
            && (self.query.is_empty()
                || query.is_some_and(|q| self.query.iter().any(|t| q.contains(t.as_str()))))
    }
}

/// The catalogue made ready for searching pages and policies.
#[derive(Debug)]
pub struct Detector {
    services: Vec<Service>,
    /// Host (or parent domain) → service.
    hosts: HashMap<String, usize>,
    /// Host (or parent domain) → path entries, the most specific first.
    paths: HashMap<String, Vec<PathEntry>>,
    snippets: Option<AhoCorasick>,
    snippet_service: Vec<usize>,
    /// Every service and company name; the longest match at a place wins, so
    /// "Google Analytics" names that service and not every Google service.
    names: Option<AhoCorasick>,
    name_entries: Vec<(usize, Name)>,
    /// Lowercase name → the entries written that way (a company name is shared).
    entries_by_name: HashMap<String, Vec<usize>>,
    /// Registered domain of a service's host → the companies with a service there.
    companies_by_domain: HashMap<String, Vec<String>>,
}

impl Detector {
    /// `other_products` are names that name no service ("Google Chrome"): read as
    /// whole names, they keep "Google" in them from naming Google's services.
    pub fn new(catalogue: &ServiceCatalogue, other_products: &[String]) -> Detector {
        let services: Vec<Service> = catalogue.services.values().cloned().collect();
        let mut hosts = HashMap::new();
        let mut paths: HashMap<String, Vec<PathEntry>> = HashMap::new();
        let mut snippet_texts = Vec::new();
        let mut snippet_service = Vec::new();
        let mut name_entries = Vec::new();
        for (i, service) in services.iter().enumerate() {
            for host in &service.detect.hosts {
                hosts.insert(host.clone(), i);
            }
            for p in &service.detect.paths {
                paths.entry(p.host.clone()).or_default().push(PathEntry {
                    prefix: p.path.trim_end_matches('/').to_string(),
                    query: p.query.clone(),
                    service: i,
                });
            }
            for s in &service.detect.snippets {
                snippet_texts.push(s.clone());
                snippet_service.push(i);
            }
            for name in service.names.iter().chain(&service.company_names) {
                name_entries.push((i, name.clone()));
            }
            // A policy that writes the service's address ("doubleclick.net") names it.
            for host in &service.detect.hosts {
                name_entries.push((
                    i,
                    Name {
                        text: host.clone(),
                        exact_case: false,
                    },
                ));
            }
        }
        // A longer path first; at one path, an entry with a query condition first.
        for list in paths.values_mut() {
            list.sort_by_key(|e| (std::cmp::Reverse(e.prefix.len()), e.query.is_empty()));
        }
        let build = |patterns: Vec<&str>, caseless: bool| {
            // Invariant: literal patterns of a checked catalogue always build.
            (!patterns.is_empty()).then(|| {
                AhoCorasickBuilder::new()
                    .match_kind(MatchKind::LeftmostLongest)
                    .ascii_case_insensitive(caseless)
                    .build(patterns)
                    .expect("literal patterns build")
            })
        };
        let snippets = build(snippet_texts.iter().map(String::as_str).collect(), false);
        let names = build(
            name_entries
                .iter()
                .map(|(_, n)| n.text.as_str())
                .chain(other_products.iter().map(String::as_str))
                .collect(),
            true,
        );
        let mut companies_by_domain: HashMap<String, Vec<String>> = HashMap::new();
        for service in &services {
            let hosts = service
                .detect
                .hosts
                .iter()
                .chain(service.detect.paths.iter().map(|p| &p.host));
            for domain in hosts.filter_map(|h| registrable_domain(h)) {
                let companies = companies_by_domain.entry(domain).or_default();
                if !companies.contains(&service.company) {
                    companies.push(service.company.clone());
                }
            }
        }
        let mut entries_by_name: HashMap<String, Vec<usize>> = HashMap::new();
        for (entry, (_, name)) in name_entries.iter().enumerate() {
            entries_by_name
                .entry(name.text.to_lowercase())
                .or_default()
                .push(entry);
        }
        Detector {
            services,
            hosts,
            paths,
            snippets,
            snippet_service,
            names,
            name_entries,
            entries_by_name,
            companies_by_domain,
        }
    }

    pub fn services(&self) -> &[Service] {
        &self.services
    }

    /// The services the HTML page `source` loads, each at its first sign in the page.
    pub fn scan(&self, path: &str, source: &str) -> PageScan {
        self.scan_loads(path, source, &LineIndex::new(source), &page_loads(source))
    }

    /// As [`Detector::scan`], from what the page was already read to load and its
    /// lines.
    pub fn scan_loads(
        &self,
        path: &str,
        source: &str,
        lines: &LineIndex,
        loads: &PageLoads,
    ) -> PageScan {
        let own_site = loads
            .own_address
            .as_ref()
            .and_then(|u| u.host_str())
            .and_then(registrable_domain);
        // A company's own services on its own site are not third parties, wherever
        // they are served from (HubSpot's scripts on hubspot.com).
        let own_companies: &[String] = own_site
            .as_ref()
            .and_then(|site| self.companies_by_domain.get(site))
            .map_or(&[], Vec::as_slice);
        let third_party = |service: usize| !own_companies.contains(&self.services[service].company);
        let mut found: Vec<(SourceSpan, usize, Shown)> = Vec::new();
        for load in &loads.loads {
            let Some(host) = load.address.host_str() else {
                continue;
            };
            let host = host.trim_end_matches('.').to_ascii_lowercase();
            if own_site.is_some() && registrable_domain(&host) == own_site {
                continue;
            }
            if let Some(service) = self
                .service_at(&host, load.address.path(), load.address.query())
                .filter(|&s| third_party(s))
            {
                let shown = Shown::Tag {
                    element: load.element.clone(),
                    address: load.address.to_string(),
                };
                found.push((load.tag, service, shown));
            }
        }
        if let Some(snippets) = &self.snippets {
            for script in &loads.scripts {
                let text = &source[script.start..script.end];
                for m in snippets.find_iter(text) {
                    let service = self.snippet_service[m.pattern().as_usize()];
                    if !third_party(service) {
                        continue;
                    }
                    let span = SourceSpan::new(script.start + m.start(), script.start + m.end());
                    let shown = Shown::Snippet {
                        text: text[m.start()..m.end()].to_string(),
                    };
                    found.push((span, service, shown));
                }
            }
        }
        found.sort_by_key(|(span, service, _)| (span.start, *service));
        let mut seen = vec![false; self.services.len()];
        let detections = found
            .into_iter()
            .filter(|(_, service, _)| !std::mem::replace(&mut seen[*service], true))
            .map(|(span, service, shown)| Detection {
                service,
                span,
                location: lines.location(source, span),
                shown,
            })
            .collect();
        PageScan {
            path: path.to_string(),
            detections,
        }
    }

    /// The service an address on `host` belongs to: a path entry of the host or a
    /// parent domain first, then the most specific host entry.
    fn service_at(&self, host: &str, path: &str, query: Option<&str>) -> Option<usize> {
        let path = path.trim_end_matches('/');
        let by_path = parents(host).find_map(|domain| {
            self.paths
                .get(domain)?
                .iter()
                .find(|entry| entry.matches(path, query))
                .map(|entry| entry.service)
        });
        by_path.or_else(|| parents(host).find_map(|domain| self.hosts.get(domain).copied()))
    }

    /// Where `prose` first names each service, by one of its names or its company's,
    /// as a whole word.
    pub fn named_in(&self, prose: &str) -> HashMap<usize, ProseRange> {
        let mut named = HashMap::new();
        let Some(names) = &self.names else {
            return named;
        };
        // Names are written with single spaces; the prose may break a line or use a
        // non-breaking space between their words.
        let spaced = SingleSpaced::of(prose);
        let prose = spaced.text.as_str();
        for m in names.find_iter(prose) {
            let text = &prose[m.start()..m.end()];
            let whole_word = !prose[..m.start()]
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric)
                && !prose[m.end()..]
                    .chars()
                    .next()
                    .is_some_and(char::is_alphanumeric);
            if !whole_word {
                continue;
            }
            let entries = self.entries_by_name.get(&text.to_lowercase());
            for &entry in entries.into_iter().flatten() {
                let (service, name) = &self.name_entries[entry];
                if !name.exact_case || name.text == text {
                    named.entry(*service).or_insert(ProseRange::new(
                        spaced.original(m.start()),
                        spaced.original(m.end()),
                    ));
                }
            }
        }
        named
    }
}

/// A text with each run of white space written as one space, and the way back to
/// the original's offsets.
struct SingleSpaced {
    text: String,
    /// (offset in `text` after which, original offset minus this offset), one entry
    /// per run that was shortened, in order.
    shifts: Vec<(usize, usize)>,
}

impl SingleSpaced {
    fn of(original: &str) -> SingleSpaced {
        let mut text = String::with_capacity(original.len());
        let mut shifts = Vec::new();
        let mut chars = original.char_indices().peekable();
        while let Some((at, c)) = chars.next() {
            if !c.is_whitespace() {
                text.push(c);
                continue;
            }
            let mut end = at + c.len_utf8();
            while let Some(&(next, c)) = chars.peek() {
                if !c.is_whitespace() {
                    break;
                }
                end = next + c.len_utf8();
                chars.next();
            }
            text.push(' ');
            if end - at != 1 {
                shifts.push((text.len(), end - text.len()));
            }
        }
        SingleSpaced { text, shifts }
    }

    /// The original offset of an offset in the single-spaced text.
    fn original(&self, offset: usize) -> usize {
        let i = self.shifts.partition_point(|&(from, _)| from <= offset);
        match i {
            0 => offset,
            i => offset + self.shifts[i - 1].1,
        }
    }
}

/// The host and each parent domain, longest first ("a.b.com", "b.com", "com").
fn parents(host: &str) -> impl Iterator<Item = &str> {
    std::iter::successors(Some(host), |h| h.split_once('.').map(|(_, rest)| rest))
}

/// The part of a host its owner registered ("example.co.uk" for "www.example.co.uk"),
/// from the public suffix list.
fn registrable_domain(host: &str) -> Option<String> {
    psl::domain_str(host).map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn detector() -> Detector {
        // Invariant: the built-in catalogue loads (its own test says why not).
        let products = ["Google Chrome".to_string(), "Microsoft Edge".to_string()];
        Detector::new(
            &ServiceCatalogue::builtin().expect("built-in catalogue"),
            &products,
        )
    }

    fn ids(detector: &Detector, scan: &PageScan) -> Vec<String> {
        scan.detections
            .iter()
            .map(|d| detector.services()[d.service].id.clone())
            .collect()
    }

    #[test]
    fn hosts_paths_and_snippets_find_their_services_once_each() {
        let d = detector();
        let page = r#"<script async src="https://www.googletagmanager.com/gtag/js?id=G-1"></script>
<script>gtag('config', 'G-1'); fbq('init', '1');</script>
<iframe src="https://www.youtube-nocookie.com/embed/x"></iframe>
<img src="https://notyoutube.com/x.png">"#;
        let scan = d.scan("page.html", page);
        assert_eq!(
            ids(&d, &scan),
            ["google-analytics", "meta-pixel", "youtube"]
        );
        let pixel = &scan.detections[1];
        assert_eq!(&page[pixel.span.start..pixel.span.end], "fbq('init'");
        assert_eq!(pixel.location.start.line, 2);
    }

    #[test]
    fn the_query_tells_services_on_a_shared_address_apart() {
        let d = detector();
        let tag = |id: &str| {
            format!(r#"<script src="https://www.googletagmanager.com/gtag/js?id={id}"></script>"#)
        };
        assert_eq!(
            ids(&d, &d.scan("a.html", &tag("G-1"))),
            ["google-analytics"]
        );
        assert_eq!(
            ids(&d, &d.scan("b.html", &tag("UA-1-1"))),
            ["google-analytics"]
        );
        assert_eq!(ids(&d, &d.scan("c.html", &tag("AW-1"))), ["google-ads"]);
        assert_eq!(ids(&d, &d.scan("d.html", &tag("DC-1"))), ["doubleclick"]);
        assert_eq!(
            ids(&d, &d.scan("e.html", &tag("GT-1"))),
            ["google-tag-manager"]
        );
    }

    #[test]
    fn the_sites_own_domain_and_company_are_not_third_parties() {
        let d = detector();
        let page = r#"<link rel="canonical" href="https://www.youtube.com/about/privacy">
<img src="https://www.youtube.com/x.png"><img src="https://i.ytimg.com/logo.png">
<script src="https://www.google-analytics.com/analytics.js"></script>
<script src="https://static.hotjar.com/c/hotjar-1.js"></script>"#;
        assert_eq!(ids(&d, &d.scan("page.html", page)), ["hotjar"]);
        let elsewhere = page.replace("www.youtube.com/about", "www.example.org/about");
        assert_eq!(
            ids(&d, &d.scan("page.html", &elsewhere)),
            ["youtube", "google-analytics", "hotjar"]
        );
    }

    #[test]
    fn the_longest_name_wins_and_names_are_whole_words() {
        let d = detector();
        let index = |id: &str| d.services().iter().position(|s| s.id == id).unwrap();
        let named = d.named_in("We use Google Analytics. Our metaphor is Metamorphic.");
        assert!(named.contains_key(&index("google-analytics")));
        assert!(
            !named.contains_key(&index("youtube")),
            "Google Analytics does not name YouTube"
        );
        assert!(
            !named.contains_key(&index("meta-pixel")),
            "Meta is exact-case and whole-word"
        );
        let named = d.named_in("We share data with Google and Meta.");
        assert!(named.contains_key(&index("youtube")));
        assert!(named.contains_key(&index("meta-pixel")));
        // Any white space between a name's words; the place is in the original text.
        let prose = "We use Google\n   Analytics.";
        let at = d.named_in(prose)[&index("google-analytics")];
        assert_eq!(&prose[at.start..at.end], "Google\n   Analytics");
        let prose = "Ads are served through\u{a0}ad.doubleclick.net.";
        let at = d.named_in(prose)[&index("doubleclick")];
        assert_eq!(&prose[at.start..at.end], "doubleclick.net");
        // A product of the company is not the company's services.
        let named =
            d.named_in("To block cookies in Google Chrome or Microsoft Edge, open Settings.");
        assert!(named.is_empty(), "{named:?}");
    }
}
