//! What an HTML page loads from elsewhere: the addresses its tags fetch and the text
//! of its inline scripts, each with the byte span that shows it. The prose reader
//! (`html.rs`) skips all of this; the policy-versus-practice check reads it.
//!
//! A load is what a browser fetches without a click: `src` (scripts, images,
//! frames, media, `<embed>`, `<source>`, `<track>`, `<input type=image>`), `srcset`,
//! `data-src` and `data-srcset` (lazy loading), `<object data>`, `<video poster>`,
//! and `<link href>` whose `rel` fetches (stylesheet, icon, preload, modulepreload,
//! prefetch, manifest). Links people follow (`<a href>`) and hints that fetch
//! nothing by themselves (preconnect, dns-prefetch) are not loads. `<noscript>`
//! content counts: a tracking pixel there is loaded by every browser without scripts.

use html5gum::emitters::default::DefaultEmitter;
use html5gum::{Token, Tokenizer};
use url::Url;

use super::html::blank_oversized_tags;
use crate::span::SourceSpan;

/// Attributes whose value is one address the element loads.
const SOURCE_ATTRIBUTES: &[&str] = &["src", "data-src", "data", "poster"];
/// Attributes whose value is a list of addresses with sizes ("a.png 1x, b.png 2x").
const SOURCE_SET_ATTRIBUTES: &[&str] = &["srcset", "data-srcset"];
/// `rel` values of a `<link>` that make the browser fetch its `href`.
const FETCHING_RELS: &[&str] = &[
    "stylesheet",
    "icon",
    "apple-touch-icon",
    "preload",
    "modulepreload",
    "prefetch",
    "manifest",
];
/// Relative addresses are resolved against this when the page has no `<base>`: they
/// then stay on the page's own site, which is not a third party.
const OWN_PAGE: &str = "https://own-page.invalid/";

/// One address a tag loads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Load {
    /// The absolute address (http or https).
    pub address: Url,
    /// The start tag that loads it.
    pub tag: SourceSpan,
    /// The element's name ("script", "img", ...).
    pub element: String,
}

/// What a page loads and runs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PageLoads {
    /// Addresses on other hosts than the page's own, in page order.
    pub loads: Vec<Load>,
    /// The text of each inline script (between `<script>` and `</script>`).
    pub scripts: Vec<SourceSpan>,
    /// The page's own address, from `<link rel=canonical>` or `og:url`, when it says.
    pub own_address: Option<Url>,
}

/// Reads what the HTML `source` loads. Malformed addresses, `data:` and other
/// non-web addresses, and addresses relative to the page itself are left out.
pub fn page_loads(source: &str) -> PageLoads {
    let mut found = PageLoads::default();
    let mut base = Url::parse(OWN_PAGE).ok();
    let input = blank_oversized_tags(source);
    read(input.as_ref(), 0, &mut base, &mut found);
    found
        .loads
        .retain(|load| load.address.host_str() != Some("own-page.invalid"));
    found
}

/// Reads `html`, which starts at byte `offset` of the page.
fn read(html: &str, offset: usize, base: &mut Option<Url>, found: &mut PageLoads) {
    let mut emitter = DefaultEmitter::<usize>::new_with_span();
    // Script and style content is raw text, not markup.
    emitter.naively_switch_states(true);
    let at = |s: html5gum::Span<usize>| SourceSpan::new(offset + s.start, offset + s.end);
    let mut script_start: Option<usize> = None;
    let mut noscript_start: Option<usize> = None;
    for token in Tokenizer::new_with_emitter(html, emitter) {
        match token {
            Ok(Token::StartTag(tag)) => {
                let name = String::from_utf8_lossy(&tag.name).to_ascii_lowercase();
                let attr = |key: &str| {
                    tag.attributes
                        .get(key.as_bytes())
                        .map(|v| String::from_utf8_lossy(&v.value).into_owned())
                };
                let span = at(tag.span);
                match name.as_str() {
                    "base" => {
                        if let Some(href) = attr("href")
                            && let Some(url) = base.as_ref().and_then(|b| b.join(href.trim()).ok())
                        {
                            *base = Some(url);
                        }
                    }
                    "script"
                        if attr("src").is_none()
                            && !tag.self_closing
                            && runs_as_code(attr("type").as_deref()) =>
                    {
                        script_start = Some(span.end);
                    }
                    "noscript" if !tag.self_closing => noscript_start = Some(span.end - offset),
                    "link" => {
                        let rel = attr("rel").unwrap_or_default().to_ascii_lowercase();
                        if rel.split_ascii_whitespace().any(|r| r == "canonical") {
                            found.own_address = resolve(base, attr("href"));
                        } else if rel
                            .split_ascii_whitespace()
                            .any(|r| FETCHING_RELS.contains(&r))
                        {
                            push(found, resolve(base, attr("href")), span, &name);
                        }
                    }
                    "meta"
                        if attr("property").as_deref() == Some("og:url")
                            && found.own_address.is_none() =>
                    {
                        found.own_address = resolve(base, attr("content"));
                    }
                    _ => {}
                }
                if name == "link" || name == "base" || name == "a" {
                    continue;
                }
                for key in SOURCE_ATTRIBUTES {
                    push(found, resolve(base, attr(key)), span, &name);
                }
                for key in SOURCE_SET_ATTRIBUTES {
                    for candidate in attr(key).unwrap_or_default().split(',') {
                        let address = candidate.split_ascii_whitespace().next();
                        push(
                            found,
                            resolve(base, address.map(str::to_string)),
                            span,
                            &name,
                        );
                    }
                }
            }
            Ok(Token::EndTag(tag)) => {
                let name = String::from_utf8_lossy(&tag.name).to_ascii_lowercase();
                let span = at(tag.span);
                if name == "script"
                    && let Some(start) = script_start.take()
                    && start <= span.start
                {
                    found.scripts.push(SourceSpan::new(start, span.start));
                }
                // Without scripts, `<noscript>` content is markup the browser loads: a
                // tokenizer that switched states naively read it as text, so read it
                // again as markup.
                if name == "noscript"
                    && let Some(start) = noscript_start.take()
                    && start <= span.start - offset
                {
                    let inner = &html[start..span.start - offset];
                    if inner.contains('<') {
                        read(inner, offset + start, base, found);
                    }
                }
            }
            Ok(_) | Err(_) => {}
        }
    }
}

/// Whether a `<script>` of this `type` holds code that may load a service: not a
/// data block (`application/ld+json`) or a template. A script a consent manager
/// holds back until consent (`type="text/plain"`) is code the site runs.
fn runs_as_code(kind: Option<&str>) -> bool {
    let kind = kind.unwrap_or("").to_ascii_lowercase();
    !["json", "template", "html"]
        .iter()
        .any(|data| kind.contains(data))
}

fn resolve(base: &Option<Url>, value: Option<String>) -> Option<Url> {
    let value = value?;
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    let url = base.as_ref()?.join(value).ok()?;
    matches!(url.scheme(), "http" | "https").then_some(url)
}

fn push(found: &mut PageLoads, address: Option<Url>, tag: SourceSpan, element: &str) {
    if let Some(address) = address {
        found.loads.push(Load {
            address,
            tag,
            element: element.to_string(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addresses(html: &str) -> Vec<String> {
        page_loads(html)
            .loads
            .iter()
            .map(|l| l.address.to_string())
            .collect()
    }

    #[test]
    fn tags_that_fetch_are_loads_and_links_people_follow_are_not() {
        let html = r#"<html><head>
<script async src="https://www.googletagmanager.com/gtag/js?id=G-1"></script>
<link rel="stylesheet" href="//fonts.googleapis.com/css?family=Roboto">
<link rel="preconnect" href="https://fonts.gstatic.com">
<link rel="canonical" href="https://example.com/privacy">
</head><body>
<a href="https://www.facebook.com/example">Follow us</a>
<img srcset="https://cdn.example.net/a.png 1x, https://cdn2.example.net/b.png 2x">
<iframe data-src="https://www.youtube.com/embed/xyz"></iframe>
<img src="data:image/gif;base64,R0lGOD">
<img src="/local/logo.png">
<img src="https://exa mple.com/%%bad">
</body></html>"#;
        assert_eq!(
            addresses(html),
            [
                "https://www.googletagmanager.com/gtag/js?id=G-1",
                "https://fonts.googleapis.com/css?family=Roboto",
                "https://cdn.example.net/a.png",
                "https://cdn2.example.net/b.png",
                "https://www.youtube.com/embed/xyz",
            ]
        );
        let loads = page_loads(html);
        assert_eq!(
            loads.own_address.map(|u| u.to_string()).as_deref(),
            Some("https://example.com/privacy")
        );
        let first = &loads.loads[0];
        assert!(html[first.tag.start..first.tag.end].starts_with("<script async src="));
        assert!(html[first.tag.start..first.tag.end].ends_with('>'));
    }

    #[test]
    fn a_base_address_resolves_relative_addresses() {
        let html =
            r#"<base href="https://static.example-cdn.com/site/"><script src="app.js"></script>"#;
        assert_eq!(
            addresses(html),
            ["https://static.example-cdn.com/site/app.js"]
        );
    }

    #[test]
    fn noscript_pixels_are_loads_with_their_own_span() {
        let html = r#"<p>Hi</p><noscript><img height="1" src="https://www.facebook.com/tr?id=1&ev=PageView"/></noscript>"#;
        let loads = page_loads(html);
        assert_eq!(loads.loads.len(), 1);
        let tag = loads.loads[0].tag;
        assert_eq!(
            &html[tag.start..tag.end],
            r#"<img height="1" src="https://www.facebook.com/tr?id=1&ev=PageView"/>"#
        );
    }

    #[test]
    fn inline_script_text_is_kept_with_its_span() {
        let html = "<script>gtag('config', 'G-1');</script><script src=\"x.js\"></script>\
            <script type=\"application/ld+json\">{\"url\": \"fbq('init'\"}</script>";
        let loads = page_loads(html);
        assert_eq!(loads.scripts.len(), 1, "data blocks are not code");
        let s = loads.scripts[0];
        assert_eq!(&html[s.start..s.end], "gtag('config', 'G-1');");
    }
}
