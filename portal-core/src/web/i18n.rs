//! Dutch and English texts (Fluent, through poem's `i18n`), and which
//! language a request gets: the user's setting, then the `portal_lang`
//! cookie, then `Accept-Language`, then the tenant's default.

use poem::i18n::unic_langid::LanguageIdentifier;
use poem::i18n::{I18NArgs, I18NBundle, I18NResources};

use crate::module::Registry;
use crate::tenant::Lang;

/// The cookie that remembers a visitor's language choice.
pub const LANG_COOKIE: &str = "portal_lang";

const CORE_NL: &str = include_str!("../../locales/nl.ftl");
const CORE_EN: &str = include_str!("../../locales/en.ftl");

/// One bundle per language, core's texts plus every module's.
pub struct Texts {
    nl: I18NBundle,
    en: I18NBundle,
}

impl std::fmt::Debug for Texts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Texts")
    }
}

impl Texts {
    /// Builds the bundles.
    ///
    /// # Errors
    /// A Fluent resource does not parse, or two define the same key.
    pub fn new(registry: &Registry) -> anyhow::Result<Self> {
        let mut builder = I18NResources::builder()
            .add_ftl("nl", CORE_NL)
            .add_ftl("en", CORE_EN);
        for m in registry.iter() {
            for t in m.translations() {
                builder = builder.add_ftl(t.lang, t.ftl);
            }
        }
        let resources = builder.default_language(lang_id("en")?).build()?;
        Ok(Self {
            nl: resources.negotiate_languages(&[lang_id("nl")?]),
            en: resources.negotiate_languages(&[lang_id("en")?]),
        })
    }

    fn bundle(&self, lang: Lang) -> &I18NBundle {
        match lang {
            Lang::Nl => &self.nl,
            Lang::En => &self.en,
        }
    }

    /// The text for `key`; the key itself when missing, so a gap shows instead of breaking the page.
    pub fn get(&self, lang: Lang, key: &str) -> String {
        self.bundle(lang)
            .text(key)
            .unwrap_or_else(|_| key.to_string())
    }

    /// The text for `key` with Fluent arguments.
    pub fn get_with(&self, lang: Lang, key: &str, args: I18NArgs<'_>) -> String {
        self.bundle(lang)
            .text_with_args(key, args)
            .unwrap_or_else(|_| key.to_string())
    }
}

fn lang_id(s: &str) -> anyhow::Result<LanguageIdentifier> {
    Ok(s.parse()?)
}

/// The language of a request without a signed-in user's setting.
pub fn negotiate(
    cookie: Option<&str>,
    accept_language: Option<&str>,
    tenant_default: Lang,
) -> Lang {
    if let Some(l) = cookie.and_then(Lang::parse) {
        return l;
    }
    accept_language
        .and_then(from_accept_language)
        .unwrap_or(tenant_default)
}

/// The supported language the browser ranks highest (RFC 9110 q-values).
fn from_accept_language(header: &str) -> Option<Lang> {
    let mut best: Option<(f32, usize, Lang)> = None;
    for (pos, part) in header.split(',').enumerate() {
        let mut pieces = part.split(';');
        let tag = pieces.next().unwrap_or("").trim();
        let q = pieces
            .find_map(|p| p.trim().strip_prefix("q="))
            .and_then(|q| q.trim().parse::<f32>().ok())
            .unwrap_or(1.0);
        let primary = tag.split('-').next().unwrap_or("");
        let Some(lang) = Lang::parse(primary) else {
            continue;
        };
        if q <= 0.0 {
            continue;
        }
        if best.is_none_or(|(bq, bpos, _)| q > bq || (q == bq && pos < bpos)) {
            best = Some((q, pos, lang));
        }
    }
    best.map(|b| b.2)
}
