//! The site a policy is compared with: the third-party services its pages load (the
//! policy's own HTML page, and any `--site` pages), and where the policy names them.
//! Rules use it through `services:` and `when: {site-loads: ...}`.

use std::collections::HashMap;

use super::*;
use crate::diagnostic::{LoadSite, ServiceUse};
use crate::practice::{Detection, Detector, Shown, Site};
use crate::rules::ServiceCheck;
use crate::rules::services::{Category, Disclosure, service_message};
use crate::span::SourceSpan;

/// Said when a rule about the site has no site to look at.
pub(super) const NO_SITE: &str =
    "no site to compare with: lint the policy's HTML page, or give the site's pages with --site";

/// Addresses longer than this are cut in reports.
const SHOWN_ADDRESS_CHARS: usize = 120;

/// One sign that a page loads a service.
pub(super) struct Sign<'a> {
    /// The linted file it is in (index into the checked members), when it is one.
    member: Option<usize>,
    page: &'a str,
    detection: Detection,
}

/// What the linted files' site loads, and what they name.
pub(super) struct SiteView<'a> {
    detector: Option<&'a Detector>,
    /// There is a site to compare with: an HTML policy page or `--site` pages.
    pub(super) known: bool,
    /// Each service loaded, in the order first seen, with every page's sign of it.
    uses: Vec<(usize, Vec<Sign<'a>>)>,
    /// Where the policy first names each service it names.
    named: HashMap<usize, Place>,
}

impl<'a> SiteView<'a> {
    /// `members` are the checked files (path and document), in the engine's order.
    pub(super) fn new(
        detector: Option<&'a Detector>,
        site: &'a Site,
        members: &[(&'a str, &'a Document)],
    ) -> SiteView<'a> {
        let mut view = SiteView {
            detector,
            known: false,
            uses: Vec::new(),
            named: HashMap::new(),
        };
        let Some(detector) = detector else {
            return view;
        };
        view.known =
            !site.pages.is_empty() || members.iter().any(|(_, doc)| doc.page_loads().is_some());
        if !view.known {
            return view;
        }
        let mut signs: Vec<Sign> = Vec::new();
        for (member, (path, doc)) in members.iter().enumerate() {
            if let Some(loads) = doc.page_loads() {
                let scan = detector.scan_loads(path, doc.source(), doc.line_index(), loads);
                signs.extend(scan.detections.into_iter().map(|detection| Sign {
                    member: Some(member),
                    page: path,
                    detection,
                }));
            }
            for (service, range) in detector.named_in(doc.prose()) {
                view.named.entry(service).or_insert(Place { member, range });
            }
        }
        for page in &site.pages {
            // A linted page was read above, with positions in its own report.
            if members.iter().any(|(path, _)| *path == page.path) {
                continue;
            }
            signs.extend(page.detections.iter().map(|d| Sign {
                member: None,
                page: &page.path,
                detection: d.clone(),
            }));
        }
        let mut order: HashMap<usize, usize> = HashMap::new();
        for sign in signs {
            let service = sign.detection.service;
            let i = *order.entry(service).or_insert_with(|| {
                view.uses.push((service, Vec::new()));
                view.uses.len() - 1
            });
            view.uses[i].1.push(sign);
        }
        view
    }

    /// The first service loaded of one of these categories, and how to say so.
    pub(super) fn first_of(&self, categories: &[Category]) -> Option<String> {
        let detector = self.detector?;
        self.uses.iter().find_map(|(service, signs)| {
            let s = &detector.services()[*service];
            categories
                .contains(&s.category)
                .then(|| format!("the site loads {} ({})", s.name, at(&signs[0])))
        })
    }

    /// What a rule with `services:` finds: a finding per service the policy does not
    /// name, the place where it names the first one it does, and a note.
    pub(super) fn check(
        &self,
        rule: &Rule,
        check: &ServiceCheck,
        members: &[DocContext],
    ) -> (Vec<Finding>, Option<Place>, String) {
        let mut findings = Vec::new();
        let mut evidence = None;
        let Some(detector) = self.detector else {
            return (findings, None, NO_SITE.to_string());
        };
        let heading = anchoring::section_heading(rule, members);
        for (service, signs) in &self.uses {
            if let Some(at) = self.named.get(service) {
                evidence = evidence.or(Some(*at));
                continue;
            }
            let s = &detector.services()[*service];
            let sign = &signs[0];
            let message =
                service_message(&rule.message, &s.name, &s.company, s.category.described());
            let severity = match s.disclosure {
                Disclosure::Optional => check.optional,
                Disclosure::Expected => None,
            }
            .or_else(|| check.severity.get(&s.category).copied());
            let not_named = format!("{} is not named here or anywhere in the policy", s.name);
            let finding = match sign.member {
                Some(member) => Finding {
                    message,
                    at: Place {
                        member,
                        range: ProseRange::new(0, 0),
                    },
                    labels: heading
                        .filter(|h| h.member == member)
                        .map(|h| (not_named, h))
                        .into_iter()
                        .collect(),
                    whole_document_about: Some(format!("service {}", s.id)),
                    severity,
                    tag: Some(sign.detection.span),
                    elsewhere: Vec::new(),
                },
                None => {
                    let place = heading.unwrap_or_else(|| title_of(members));
                    Finding {
                        message: format!("{message} It is loaded by {}.", at(sign)),
                        at: place,
                        labels: vec![(not_named, place)],
                        whole_document_about: Some(format!("service {}", s.id)),
                        severity,
                        tag: None,
                        elsewhere: vec![(
                            format!("{} is loaded here", s.name),
                            sign.page.to_string(),
                            Span {
                                bytes: sign.detection.span,
                                location: sign.detection.location,
                            },
                        )],
                    }
                }
            };
            findings.push(finding);
        }
        let named = self.uses.len() - findings.len();
        let note = match self.uses.len() {
            0 => "the site loads no service in the catalogue".to_string(),
            1 => format!("the site loads 1 service in the catalogue; the policy names {named}"),
            n => format!("the site loads {n} services in the catalogue; the policy names {named}"),
        };
        (findings, evidence, note)
    }

    /// Whether there is anything loaded at all.
    pub(super) fn loads_nothing(&self) -> bool {
        self.uses.is_empty()
    }

    /// The services as the report of checked member `member` lists them.
    pub(super) fn report(&self, member: usize, doc: &Document) -> Vec<ServiceUse> {
        let Some(detector) = self.detector else {
            return Vec::new();
        };
        if !self.known {
            return Vec::new();
        }
        self.uses
            .iter()
            .map(|(service, signs)| {
                let s = &detector.services()[*service];
                let named_at = self.named.get(service);
                ServiceUse {
                    id: s.id.clone(),
                    name: s.name.clone(),
                    company: s.company.clone(),
                    category: s.category.as_str().to_string(),
                    kind: s.category.name().to_string(),
                    disclosure: match s.disclosure {
                        Disclosure::Expected => "expected".into(),
                        Disclosure::Optional => "optional".into(),
                    },
                    named: named_at.is_some(),
                    named_at: named_at
                        .filter(|at| at.member == member)
                        .map(|at| evidence_for(doc, at.range)),
                    loaded_at: signs
                        .iter()
                        .map(|sign| LoadSite {
                            path: sign.page.to_string(),
                            span: Span {
                                bytes: sign.detection.span,
                                location: sign.detection.location,
                            },
                            shown: shown(&sign.detection.shown),
                        })
                        .collect(),
                }
            })
            .collect()
    }
}

/// "page.html, line 12".
fn at(sign: &Sign) -> String {
    format!("{}, line {}", sign.page, sign.detection.location.start.line)
}

fn shown(shown: &Shown) -> String {
    match shown {
        Shown::Tag { element, address } => {
            let address: String = address.chars().take(SHOWN_ADDRESS_CHARS).collect();
            format!("{element} tag loading {address}")
        }
        Shown::Snippet { text } => format!("inline script: {text}"),
    }
}

fn title_of(members: &[DocContext]) -> Place {
    // Invariant: a notice has at least one member.
    let doc = members[0].eval.document();
    Place {
        member: 0,
        range: doc.title().map_or(ProseRange::new(0, 0), |b| b.range),
    }
}

/// A finding's bytes when it is at a tag rather than at prose.
pub(super) fn tag_span(doc: &Document, bytes: SourceSpan) -> Span {
    Span {
        bytes,
        location: doc.locate(bytes),
    }
}
