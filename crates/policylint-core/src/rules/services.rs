//! The catalogue of third-party services (`rules/services/*.yaml`, and `services/`
//! inside a `--rules` folder): how a page shows that it loads a service, and the
//! names a policy may disclose it by. `rules/services/README.md` is the reference
//! for the file format; this module reads and checks it.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_saphyr::Spanned;

use super::source::Library;
use super::{RuleError, source_range};

/// What kind of service it is; it sets how much an undisclosed one matters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    Analytics,
    Advertising,
    SessionReplay,
    Social,
    EmbeddedMedia,
    FontsCdn,
    Maps,
    Payments,
    SupportChat,
    ConsentManager,
    ErrorTracking,
    TagManager,
    ABTesting,
    Marketing,
    Forms,
    Security,
    SitePlatform,
    Accessibility,
}

impl Category {
    /// The name used in files and reports ("session-replay").
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Analytics => "analytics",
            Category::Advertising => "advertising",
            Category::SessionReplay => "session-replay",
            Category::Social => "social",
            Category::EmbeddedMedia => "embedded-media",
            Category::FontsCdn => "fonts-cdn",
            Category::Maps => "maps",
            Category::Payments => "payments",
            Category::SupportChat => "support-chat",
            Category::ConsentManager => "consent-manager",
            Category::ErrorTracking => "error-tracking",
            Category::TagManager => "tag-manager",
            Category::ABTesting => "a-b-testing",
            Category::Marketing => "marketing",
            Category::Forms => "forms",
            Category::Security => "security",
            Category::SitePlatform => "site-platform",
            Category::Accessibility => "accessibility",
        }
    }

    /// The kind in plain words ("session recording").
    pub fn name(self) -> &'static str {
        match self {
            Category::Analytics => "analytics",
            Category::Advertising => "advertising",
            Category::SessionReplay => "session recording",
            Category::Social => "social media plug-in",
            Category::EmbeddedMedia => "embedded media",
            Category::FontsCdn => "fonts and content delivery",
            Category::Maps => "maps",
            Category::Payments => "payments",
            Category::SupportChat => "support chat",
            Category::ConsentManager => "cookie consent",
            Category::ErrorTracking => "error tracking",
            Category::TagManager => "tag manager",
            Category::ABTesting => "A/B testing",
            Category::Marketing => "marketing",
            Category::Forms => "forms",
            Category::Security => "security",
            Category::SitePlatform => "site platform",
            Category::Accessibility => "accessibility",
        }
    }

    /// How a reader calls a service of this kind ("a session recording service").
    pub fn described(self) -> &'static str {
        match self {
            Category::Analytics => "an analytics service",
            Category::Advertising => "an advertising service",
            Category::SessionReplay => "a session recording service",
            Category::Social => "a social media plug-in",
            Category::EmbeddedMedia => "an embedded media service",
            Category::FontsCdn => "a font or content delivery service",
            Category::Maps => "a map service",
            Category::Payments => "a payment service",
            Category::SupportChat => "a support chat service",
            Category::ConsentManager => "a cookie consent service",
            Category::ErrorTracking => "an error tracking service",
            Category::TagManager => "a tag manager",
            Category::ABTesting => "an A/B testing service",
            Category::Marketing => "a marketing service",
            Category::Forms => "a forms service",
            Category::Security => "a security service",
            Category::SitePlatform => "a site platform",
            Category::Accessibility => "an accessibility tool",
        }
    }
}

/// Whether a policy is expected to name the service, or only told of it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Disclosure {
    #[default]
    Expected,
    /// Public code libraries, delivery networks, site platforms: reported as
    /// information only.
    Optional,
}

/// An address a service is loaded from when its host alone is shared.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostPath {
    pub host: String,
    pub path: String,
    /// When not empty, the address's query (after `?`) must contain one of these
    /// ("id=AW-" tells Google Ads from Google Analytics on the shared Google tag).
    pub query: Vec<String>,
}

/// How a page shows that it loads the service.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Detect {
    /// Hosts: the host itself or any subdomain.
    pub hosts: Vec<String>,
    pub paths: Vec<HostPath>,
    /// Literal text of the service's code in inline scripts.
    pub snippets: Vec<String>,
}

/// A name a policy may use for the service or its company.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Name {
    pub text: String,
    /// Matches only with exactly these capitals (a name that is also a word).
    pub exact_case: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Service {
    pub id: String,
    pub name: String,
    pub company: String,
    pub category: Category,
    pub disclosure: Disclosure,
    pub detect: Detect,
    pub names: Vec<Name>,
    pub company_names: Vec<Name>,
}

/// A services rule's message for one service: `{service}`, `{company}` and
/// `{category}` (the kind of service, in words) filled in.
pub fn service_message(template: &str, service: &str, company: &str, category: &str) -> String {
    template
        .replace("{service}", service)
        .replace("{company}", company)
        .replace("{category}", category)
}

/// A services rule's message where no one service is meant (the rule catalogue,
/// SARIF rule descriptions): the placeholders in general words.
pub fn general_message(template: &str) -> String {
    service_message(
        template,
        "a third-party service",
        "another company",
        "a service",
    )
}

/// Every service known, by id.
#[derive(Clone, Debug, Default)]
pub struct ServiceCatalogue {
    pub services: BTreeMap<String, Service>,
}

/// The shortest snippet accepted: shorter text turns up in unrelated code.
const MIN_SNIPPET: usize = 5;
const BARE_HOST_HELP: &str =
    "write the host alone, in lower case, without https://, a path, a port or *";
/// Names this short must be matched with their capitals (`GTM`, `IAS`).
const MAX_CASELESS_SHORT: usize = 3;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ServiceSpec {
    id: Spanned<String>,
    name: String,
    company: String,
    category: Category,
    #[serde(default)]
    disclosure: Disclosure,
    detect: Spanned<DetectSpec>,
    names: Spanned<Vec<NameSpec>>,
    #[serde(default, rename = "company-names")]
    company_names: Vec<NameSpec>,
    /// For maintainers only.
    #[serde(default)]
    #[allow(dead_code)]
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DetectSpec {
    #[serde(default)]
    hosts: Vec<Spanned<String>>,
    #[serde(default)]
    paths: Vec<Spanned<PathSpec>>,
    #[serde(default)]
    snippets: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PathSpec {
    host: String,
    path: String,
    #[serde(default)]
    query: Vec<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum NameSpec {
    Plain(Spanned<String>),
    Detailed {
        text: Spanned<String>,
        #[serde(rename = "exact-case", default)]
        exact_case: bool,
    },
}

impl ServiceCatalogue {
    /// The built-in catalogue.
    pub fn builtin() -> Result<ServiceCatalogue, RuleError> {
        ServiceCatalogue::from_library(&Library::builtin()?)
    }

    pub(super) fn from_library(library: &Library) -> Result<ServiceCatalogue, RuleError> {
        let mut catalogue = ServiceCatalogue::default();
        for (path, text) in &library.services {
            catalogue.add_file(path, text)?;
        }
        catalogue.check_shared_hosts()?;
        Ok(catalogue)
    }

    /// Reads one file of services; an id already known is replaced (a user's own
    /// folder may correct a built-in entry).
    pub fn add_file(&mut self, path: &str, text: &str) -> Result<(), RuleError> {
        let specs: Vec<ServiceSpec> =
            serde_saphyr::from_str(text).map_err(|e| RuleError::from_yaml(path, text, &e))?;
        let error = |at: &serde_saphyr::Location, message: String, help: &str| {
            RuleError::at(
                path,
                text,
                source_range(text, at),
                message,
                "here",
                Some(format!("{help} (rules/services/README.md)")),
            )
        };
        for spec in specs {
            let id = &spec.id.value;
            if id.is_empty()
                || !id
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            {
                return Err(error(
                    &spec.id.referenced,
                    format!("service id `{id}` is not lowercase words joined by hyphens"),
                    "write an id such as google-analytics",
                ));
            }
            let detect = &spec.detect.value;
            if detect.hosts.is_empty() && detect.paths.is_empty() && detect.snippets.is_empty() {
                return Err(error(
                    &spec.detect.referenced,
                    format!("service `{id}` has nothing to detect it by"),
                    "give at least one of hosts, paths or snippets",
                ));
            }
            for host in &detect.hosts {
                if !is_bare_host(&host.value) {
                    return Err(error(
                        &host.referenced,
                        format!("`{}` is not a bare host name", host.value),
                        BARE_HOST_HELP,
                    ));
                }
            }
            for p in &detect.paths {
                if !is_bare_host(&p.value.host) {
                    return Err(error(
                        &p.referenced,
                        format!("`{}` is not a bare host name", p.value.host),
                        BARE_HOST_HELP,
                    ));
                }
                if p.value.query.iter().any(|q| q.trim().is_empty()) {
                    return Err(error(
                        &p.referenced,
                        "an empty text in `query`".to_string(),
                        "write text the address's query contains, e.g. id=AW-",
                    ));
                }
                if !p.value.path.starts_with('/') {
                    return Err(error(
                        &p.referenced,
                        format!("path `{}` does not start with /", p.value.path),
                        "write the path part of the address, e.g. /gtag/js",
                    ));
                }
            }
            for snippet in &detect.snippets {
                if snippet.value.chars().count() < MIN_SNIPPET {
                    return Err(error(
                        &snippet.referenced,
                        format!("snippet `{}` is too short to be specific", snippet.value),
                        "a snippet is at least five characters of the service's own code",
                    ));
                }
            }
            if spec.names.value.is_empty() {
                return Err(error(
                    &spec.names.referenced,
                    format!("service `{id}` has no name a policy could use"),
                    "list the names a policy uses for it",
                ));
            }
            let names = names_of(&spec.names.value, &error)?;
            let company_names = names_of(&spec.company_names, &error)?;
            self.services.insert(
                id.clone(),
                Service {
                    id: id.clone(),
                    name: spec.name,
                    company: spec.company,
                    category: spec.category,
                    disclosure: spec.disclosure,
                    detect: Detect {
                        hosts: detect.hosts.iter().map(|h| h.value.clone()).collect(),
                        paths: detect
                            .paths
                            .iter()
                            .map(|p| HostPath {
                                host: p.value.host.clone(),
                                path: p.value.path.clone(),
                                query: p.value.query.clone(),
                            })
                            .collect(),
                        snippets: detect.snippets.iter().map(|s| s.value.clone()).collect(),
                    },
                    names,
                    company_names,
                },
            );
        }
        Ok(())
    }

    /// A host tells services apart only if one service lists it.
    fn check_shared_hosts(&self) -> Result<(), RuleError> {
        let mut owner: BTreeMap<&str, &str> = BTreeMap::new();
        for service in self.services.values() {
            for host in &service.detect.hosts {
                if let Some(other) = owner.insert(host, &service.id) {
                    return Err(RuleError::Io {
                        path: "rules/services".into(),
                        message: format!(
                            "the host {host} is listed by both {other} and {}: list it once, and tell the other service apart with `paths`",
                            service.id
                        ),
                    });
                }
            }
        }
        Ok(())
    }

    pub fn get(&self, id: &str) -> Option<&Service> {
        self.services.get(id)
    }

    pub fn len(&self) -> usize {
        self.services.len()
    }

    pub fn is_empty(&self) -> bool {
        self.services.is_empty()
    }
}

fn names_of<F>(specs: &[NameSpec], error: &F) -> Result<Vec<Name>, RuleError>
where
    F: Fn(&serde_saphyr::Location, String, &str) -> RuleError,
{
    specs
        .iter()
        .map(|spec| {
            let (text, exact_case) = match spec {
                NameSpec::Plain(text) => (text, false),
                NameSpec::Detailed { text, exact_case } => (text, *exact_case),
            };
            if text.value.trim().is_empty() {
                return Err(error(
                    &text.referenced,
                    "an empty name".into(),
                    "write the name a policy uses",
                ));
            }
            if !exact_case && text.value.chars().count() <= MAX_CASELESS_SHORT {
                return Err(error(
                    &text.referenced,
                    format!("`{}` is short enough to be an ordinary word", text.value),
                    "write it as {text: NAME, exact-case: true}",
                ));
            }
            Ok(Name {
                text: text.value.clone(),
                exact_case,
            })
        })
        .collect()
}

/// A host name as the catalogue writes it: lower case, no scheme, path, port or `*`.
fn is_bare_host(host: &str) -> bool {
    !host.is_empty()
        && host.contains('.')
        && !host.starts_with('.')
        && !host.ends_with('.')
        && host
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(err: RuleError) -> String {
        use miette::Diagnostic;
        let help = err.help().map(|h| h.to_string()).unwrap_or_default();
        format!("{err} / {help}")
    }

    #[test]
    fn the_built_in_catalogue_loads_and_covers_every_category() {
        let catalogue = ServiceCatalogue::builtin().unwrap();
        assert!(catalogue.len() >= 100, "{} services", catalogue.len());
        let ga = catalogue.get("google-analytics").unwrap();
        assert_eq!(ga.category, Category::Analytics);
        assert!(ga.names.iter().any(|n| n.text == "Google Analytics"));
        assert!(ga.company_names.iter().any(|n| n.text == "Google"));
        for category in [
            Category::Analytics,
            Category::Advertising,
            Category::SessionReplay,
            Category::Social,
            Category::EmbeddedMedia,
            Category::FontsCdn,
            Category::Maps,
            Category::Payments,
            Category::SupportChat,
            Category::ConsentManager,
            Category::ErrorTracking,
            Category::TagManager,
            Category::ABTesting,
        ] {
            assert!(
                catalogue.services.values().any(|s| s.category == category),
                "no service of {category:?}"
            );
        }
        // The name reports give a category is the one its files use.
        for service in catalogue.services.values() {
            let read: Category = serde_saphyr::from_str(service.category.as_str()).unwrap();
            assert_eq!(read, service.category);
        }
    }

    #[test]
    fn the_service_folder_is_not_a_rule_pack() {
        assert!(!super::super::builtin_packs().contains(&"services".to_string()));
    }

    #[test]
    fn bad_entries_are_errors_that_say_what_to_write() {
        let entry = |detect: &str, names: &str| {
            format!(
                "- id: acme-stats\n  name: Acme Stats\n  company: Acme\n  category: analytics\n  detect: {detect}\n  names: {names}\n"
            )
        };
        let cases = [
            (
                entry("{hosts: [https://acme.example/x]}", "[Acme Stats]"),
                "not a bare host name",
            ),
            (
                entry("{hosts: []}", "[Acme Stats]"),
                "nothing to detect it by",
            ),
            (entry("{snippets: [ac(]}", "[Acme Stats]"), "too short"),
            (
                entry("{hosts: [acme.example]}", "[]"),
                "no name a policy could use",
            ),
            (
                entry("{hosts: [acme.example]}", "[ACS]"),
                "exact-case: true",
            ),
            (
                entry("{paths: [{host: acme.example, path: js}]}", "[Acme Stats]"),
                "does not start with /",
            ),
            (
                entry("{hosts: [acme.example]}", "[Acme Stats]").replace("analytics", "spying"),
                "spying",
            ),
        ];
        for (text, expected) in cases {
            let mut catalogue = ServiceCatalogue::default();
            let err = catalogue.add_file("acme.yaml", &text).unwrap_err();
            let said = message(err);
            assert!(said.contains(expected), "{text}\n→ {said}");
        }
        let mut catalogue = ServiceCatalogue::default();
        catalogue
            .add_file(
                "acme.yaml",
                &entry(
                    "{hosts: [acme.example]}",
                    "[{text: Acme, exact-case: true}]",
                ),
            )
            .unwrap();
        assert!(catalogue.get("acme-stats").unwrap().names[0].exact_case);
    }
}
