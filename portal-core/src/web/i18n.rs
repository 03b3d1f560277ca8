//! Dutch and English texts (Fluent, through poem's `i18n`), and which
//! language a request gets: the user's setting, then the `portal_lang`
//! cookie, then `Accept-Language`, then the tenant's default.
//!
//! Dutch comes in two voices: formal ("u", `nl.ftl`) and informal ("je",
//! `nl-informal.ftl`, holding only the messages that address the reader;
//! the rest falls back to `nl.ftl`). The tenant's address form picks the
//! voice of customer pages; staff pages stay formal. English has one.

use std::collections::HashMap;
use std::sync::Arc;

use poem::i18n::unic_langid::LanguageIdentifier;
use poem::i18n::{I18NArgs, I18NBundle, I18NResources};

use crate::module::Registry;
use crate::tenant::{AddressForm, Lang};

/// The cookie that remembers a visitor's language choice.
pub const LANG_COOKIE: &str = "portal_lang";

const CORE_NL: &str = include_str!("../../locales/nl.ftl");
const CORE_NL_INFORMAL: &str = include_str!("../../locales/nl-informal.ftl");
const CORE_EN: &str = include_str!("../../locales/en.ftl");

/// The Fluent language tag of the informal Dutch texts.
pub const NL_INFORMAL: &str = "nl-informal";

/// A language and, for Dutch, the form of address: which texts a reader gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Voice {
    pub lang: Lang,
    pub informal: bool,
}

impl Voice {
    /// The voice of a tenant's customer pages in `lang`.
    pub fn of(lang: Lang, form: AddressForm) -> Self {
        Self {
            lang,
            informal: form == AddressForm::Informal,
        }
    }
}

/// A bare language speaks formally (staff pages, API errors).
impl From<Lang> for Voice {
    fn from(lang: Lang) -> Self {
        Self {
            lang,
            informal: false,
        }
    }
}

/// One bundle per voice, core's texts plus every module's.
pub struct Texts {
    nl: I18NBundle,
    nl_informal: I18NBundle,
    en: I18NBundle,
    /// Every message that needs no argument, formatted once per voice at
    /// start-up: a page asks for dozens (the layout's navigation, labels),
    /// and Fluent formats each anew (a tenth of a page's CPU, measured).
    plain: [HashMap<String, Arc<str>>; 3],
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
            .add_ftl(NL_INFORMAL, CORE_NL_INFORMAL)
            .add_ftl("en", CORE_EN);
        for m in registry.iter() {
            for t in m.translations() {
                builder = builder.add_ftl(t.lang, t.ftl);
            }
        }
        let resources = builder.default_language(lang_id("en")?).build()?;
        let mut keys: Vec<&str> = [CORE_NL, CORE_EN]
            .iter()
            .flat_map(|f| message_keys(f))
            .collect();
        for m in registry.iter() {
            keys.extend(m.translations().iter().flat_map(|t| message_keys(t.ftl)));
        }
        let mut texts = Self {
            nl: resources.negotiate_languages(&[lang_id("nl")?]),
            // Each message from the informal file where it has one, else
            // from the formal.
            nl_informal: resources.negotiate_languages(&[lang_id(NL_INFORMAL)?, lang_id("nl")?]),
            en: resources.negotiate_languages(&[lang_id("en")?]),
            plain: Default::default(),
        };
        for lang in Lang::ALL {
            for informal in [false, true] {
                let voice = Voice { lang, informal };
                if lang == Lang::En && informal {
                    continue; // English has one voice
                }
                let bundle = texts.bundle(voice);
                // A message that wants an argument fails without one: it is
                // formatted per call, as before.
                let formatted: HashMap<String, Arc<str>> = keys
                    .iter()
                    .filter_map(|k| Some(((*k).to_string(), Arc::from(bundle.text(k).ok()?))))
                    .collect();
                texts.plain[Self::slot(voice)] = formatted;
            }
        }
        Ok(texts)
    }

    /// Index of `voice` in [`Texts::plain`].
    const fn slot(voice: Voice) -> usize {
        match (voice.lang, voice.informal) {
            (Lang::Nl, false) => 0,
            (Lang::Nl, true) => 1,
            (Lang::En, _) => 2,
        }
    }

    /// The text for `key` when it needs no arguments, formatted at start-up
    /// (shared, no copy); `None` for a message with arguments or no message.
    pub fn plain(&self, voice: impl Into<Voice>, key: &str) -> Option<Arc<str>> {
        self.plain[Self::slot(voice.into())].get(key).cloned()
    }

    fn bundle(&self, voice: Voice) -> &I18NBundle {
        match (voice.lang, voice.informal) {
            (Lang::Nl, false) => &self.nl,
            (Lang::Nl, true) => &self.nl_informal,
            (Lang::En, _) => &self.en,
        }
    }

    /// The text for `key`; the key itself when missing, so a gap shows instead of breaking the page.
    pub fn get(&self, voice: impl Into<Voice>, key: &str) -> String {
        let voice = voice.into();
        if let Some(text) = self.plain(voice, key) {
            return text.to_string();
        }
        self.bundle(voice)
            .text(key)
            .unwrap_or_else(|_| key.to_string())
    }

    /// The text for `key` with Fluent arguments.
    pub fn get_with(&self, voice: impl Into<Voice>, key: &str, args: I18NArgs<'_>) -> String {
        self.bundle(voice.into())
            .text_with_args(key, args)
            .unwrap_or_else(|_| key.to_string())
    }
}

/// The message keys a Fluent file defines (not its terms or attributes).
fn message_keys(ftl: &str) -> impl Iterator<Item = &str> {
    ftl.lines()
        .filter(|l| l.starts_with(|c: char| c.is_ascii_alphabetic()))
        .filter_map(|l| l.split_once('=').map(|(k, _)| k.trim()))
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

/// Keys read only by staff (their screens stay formal), exempt from the
/// informal-form rule.
const STAFF_ONLY: &[&str] = &["staff-", "view-as-", "tickets-desk-", "tickets-event-"];

/// Whether a Dutch text addresses the reader formally ("u", "uw", "uzelf",
/// "alstublieft" as whole words).
pub fn addresses_formally(text: &str) -> bool {
    text.split(|c: char| !c.is_alphanumeric()).any(|w| {
        matches!(
            w,
            "u" | "U" | "uw" | "Uw" | "uzelf" | "Uzelf" | "alstublieft"
        )
    })
}

/// The messages of a Dutch resource `nl` that address the reader formally
/// but have no informal form in `informal`, and the informal forms that
/// still say "u": what a tenant with the informal tone would read wrongly.
/// Staff-only keys are exempt.
///
/// # Errors
/// A resource does not parse.
pub fn informal_gaps(nl: &str, informal: &str) -> anyhow::Result<Vec<String>> {
    let formal = messages(nl)?;
    let casual = messages(informal)?;
    let mut gaps = Vec::new();
    for (key, text) in &formal {
        if STAFF_ONLY.iter().any(|p| key.starts_with(p)) || !addresses_formally(text) {
            continue;
        }
        match casual.iter().find(|(k, _)| k == key) {
            None => gaps.push(format!("{key}: no informal form")),
            Some((_, t)) if addresses_formally(t) => {
                gaps.push(format!("{key}: the informal form still says \"u\""));
            }
            Some(_) => {}
        }
    }
    for (key, _) in &casual {
        if !formal.iter().any(|(k, _)| k == key) {
            gaps.push(format!("{key}: informal form of a message nl.ftl lacks"));
        }
    }
    Ok(gaps)
}

/// (key, source text) of each message of a Fluent resource.
fn messages(ftl: &str) -> anyhow::Result<Vec<(String, String)>> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in ftl.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        // Indented lines, and a select's closing brace, continue the message.
        if line.starts_with([' ', '\t', '}']) {
            match out.last_mut() {
                Some((_, text)) => {
                    text.push('\n');
                    text.push_str(line);
                }
                None => anyhow::bail!("continuation line before any message: {line:?}"),
            }
            continue;
        }
        let Some((key, text)) = line.split_once('=') else {
            anyhow::bail!("not a message: {line:?}");
        };
        out.push((key.trim().to_string(), text.to_string()));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn core_dutch_texts_have_their_informal_form() {
        let gaps = informal_gaps(CORE_NL, CORE_NL_INFORMAL).unwrap();
        assert!(gaps.is_empty(), "{gaps:#?}");
    }

    #[test]
    fn a_formal_text_without_informal_form_is_found() {
        let nl =
            "a = Vul uw naam in.\nb = Naam\nc =\n    Heeft u\n    vragen?\nstaff-x = Uw code\n";
        let informal = "a = Vul je naam in.\n";
        assert_eq!(
            informal_gaps(nl, informal).unwrap(),
            vec!["c: no informal form"]
        );
        let still = "a = Vul uw naam in.\nc = Vragen?\n";
        assert_eq!(
            informal_gaps(nl, still).unwrap(),
            vec!["a: the informal form still says \"u\""]
        );
    }

    #[test]
    fn the_informal_voice_falls_back_to_formal_and_english_has_one() {
        let registry = Registry::new(Vec::new()).unwrap();
        let texts = Texts::new(&registry).unwrap();
        let informal = Voice::of(Lang::Nl, AddressForm::Informal);
        let formal = Voice::of(Lang::Nl, AddressForm::Formal);
        assert_eq!(texts.get(formal, "login-bye"), "U bent uitgelogd.");
        assert!(!addresses_formally(&texts.get(informal, "login-bye")));
        // No informal form needed: the formal text.
        assert_eq!(
            texts.get(informal, "nav-home"),
            texts.get(formal, "nav-home")
        );
        assert_eq!(
            texts.get(Voice::of(Lang::En, AddressForm::Informal), "login-bye"),
            texts.get(Lang::En, "login-bye")
        );
    }

    /// The start-up copies are the texts Fluent formats, in every voice;
    /// a message that wants an argument is not copied and still gets it.
    #[test]
    fn plain_texts_are_fluents_own() {
        let registry = Registry::new(Vec::new()).unwrap();
        let texts = Texts::new(&registry).unwrap();
        let voices = [
            Voice::from(Lang::Nl),
            Voice::of(Lang::Nl, AddressForm::Informal),
            Voice::from(Lang::En),
        ];
        let mut copied = 0;
        for voice in voices {
            for key in message_keys(CORE_NL) {
                let fluent = texts.bundle(voice).text(key).ok();
                let plain = texts.plain(voice, key).map(|t| t.to_string());
                assert_eq!(plain, fluent, "{key} in {voice:?}");
                copied += usize::from(plain.is_some());
            }
        }
        assert!(copied > 300, "{copied}");
        // Informal where the informal file has its own form.
        let informal = Voice::of(Lang::Nl, AddressForm::Informal);
        assert_ne!(
            texts.plain(informal, "login-bye"),
            texts.plain(Voice::from(Lang::Nl), "login-bye")
        );
        let with_argument = CORE_EN
            .lines()
            .find(|l| l.starts_with(|c: char| c.is_ascii_alphabetic()) && l.contains("{ $"))
            .and_then(|l| l.split_once('=').map(|(k, _)| k.trim()))
            .unwrap();
        assert_eq!(texts.plain(Lang::En, with_argument), None);
    }
}
