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
    /// Every message whose arguments only stand in its text (no selector,
    /// no function), split once per voice at start-up into text and
    /// argument pieces: a list page formats such a message per row (two
    /// per invoice, 40 a page), and Fluent resolves each anew.
    split: [HashMap<String, Vec<Piece>>; 3],
}

/// A piece of a [`Texts::split`] message.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Text(Box<str>),
    Arg(Box<str>),
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
        let mut sources: Vec<&str> = vec![CORE_NL, CORE_NL_INFORMAL, CORE_EN];
        for m in registry.iter() {
            sources.extend(m.translations().iter().map(|t| t.ftl));
        }
        let mut keys: Vec<&str> = sources.iter().flat_map(|f| message_keys(f)).collect();
        keys.sort_unstable();
        keys.dedup();
        let splittable = splittable_messages(&sources);
        let mut texts = Self {
            nl: resources.negotiate_languages(&[lang_id("nl")?]),
            // Each message from the informal file where it has one, else
            // from the formal.
            nl_informal: resources.negotiate_languages(&[lang_id(NL_INFORMAL)?, lang_id("nl")?]),
            en: resources.negotiate_languages(&[lang_id("en")?]),
            plain: Default::default(),
            split: Default::default(),
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
                texts.split[Self::slot(voice)] = splittable
                    .iter()
                    .filter(|(k, _)| !formatted.contains_key(k.as_str()))
                    .filter_map(|(k, vars)| Some((k.clone(), split(bundle, k, vars)?)))
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

    /// The text for `key` with string arguments, from the pieces split at
    /// start-up; `None` when the message was not split (it has a selector
    /// or a function, or no arguments) or an argument it names is missing:
    /// then ask Fluent ([`Texts::get_with`]), which gives the same text.
    pub fn get_split(
        &self,
        voice: impl Into<Voice>,
        key: &str,
        args: &[(&str, &str)],
    ) -> Option<String> {
        let mut out = String::with_capacity(64);
        self.write_split(voice, key, args, &mut out).then_some(out)
    }

    /// [`Texts::get_split`], appended to `out`; false (and `out` as it
    /// was) where that gives `None`.
    fn write_split(
        &self,
        voice: impl Into<Voice>,
        key: &str,
        args: &[(&str, &str)],
        out: &mut String,
    ) -> bool {
        let Some(pieces) = self.split[Self::slot(voice.into())].get(key) else {
            return false;
        };
        let start = out.len();
        for piece in pieces {
            match piece {
                Piece::Text(t) => out.push_str(t),
                Piece::Arg(name) => {
                    let Some((_, v)) = args.iter().find(|(k, _)| k == &&**name) else {
                        out.truncate(start);
                        return false;
                    };
                    out.push_str(v);
                }
            }
        }
        true
    }

    /// The text for `key` with string arguments: from the split pieces
    /// where it was split, else from Fluent (the same text either way).
    /// For handlers that format a text per row in Rust rather than per
    /// row in a template.
    pub fn get_args(&self, voice: impl Into<Voice>, key: &str, args: &[(&str, &str)]) -> String {
        let mut out = String::with_capacity(64);
        self.write_args(voice, key, args, &mut out);
        out
    }

    /// [`Texts::get_args`], appended to `out`.
    pub fn write_args(
        &self,
        voice: impl Into<Voice>,
        key: &str,
        args: &[(&str, &str)],
        out: &mut String,
    ) {
        let voice = voice.into();
        if self.write_split(voice, key, args, out) {
            return;
        }
        let fluent = args.iter().fold(I18NArgs::default(), |a, (k, v)| {
            a.set((*k).to_string(), (*v).to_string())
        });
        out.push_str(&self.get_with(voice, key, fluent));
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

/// Where a split message's argument stood: private-use characters no
/// text of ours holds, around the argument's index.
const MARK_OPEN: char = '\u{F8F0}';
const MARK_CLOSE: char = '\u{F8F1}';

/// The keys (with their variables) of the messages whose placeables, in
/// every resource that defines them, are only variables, terms or string
/// literals: such a message formats a string argument as itself, so it can
/// be split once. A selector (`->`), a function call or a reference to
/// another message rules a message out.
fn splittable_messages(sources: &[&str]) -> Vec<(String, Vec<String>)> {
    let mut verdicts: HashMap<String, Option<Vec<String>>> = HashMap::new();
    for ftl in sources {
        let Ok(found) = messages(ftl) else {
            continue;
        };
        for (key, text) in found {
            let vars = simple_variables(&text);
            let entry = verdicts.entry(key).or_insert_with(|| Some(Vec::new()));
            match (entry.as_mut(), vars) {
                (Some(all), Some(vars)) => {
                    for v in vars {
                        if !all.contains(&v) {
                            all.push(v);
                        }
                    }
                }
                _ => *entry = None,
            }
        }
    }
    let mut out: Vec<(String, Vec<String>)> = verdicts
        .into_iter()
        .filter_map(|(k, v)| Some((k, v?)))
        .filter(|(_, vars)| !vars.is_empty())
        .collect();
    out.sort_unstable();
    out
}

/// The variables of a message's source when each placeable is a variable,
/// a term or a string literal; `None` otherwise.
fn simple_variables(text: &str) -> Option<Vec<String>> {
    let mut vars = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let close = after.find('}')?;
        let inner = after[..close].trim();
        if inner.contains("->") || inner.contains(['(', '{']) {
            return None;
        }
        if let Some(name) = inner.strip_prefix('$') {
            let word = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
            if name.is_empty() || !name.chars().all(word) {
                return None;
            }
            vars.push(name.to_string());
        } else if !(inner.starts_with('-') || inner.starts_with('"')) {
            return None; // a message reference, or something newer
        }
        rest = &after[close + 1..];
    }
    Some(vars)
}

/// `key` formatted by Fluent with a marker for each of `vars`, cut at the
/// markers; `None` when Fluent fails or a marker does not come back whole.
fn split(bundle: &I18NBundle, key: &str, vars: &[String]) -> Option<Vec<Piece>> {
    let mut args = I18NArgs::default();
    for (i, v) in vars.iter().enumerate() {
        args = args.set(v.clone(), format!("{MARK_OPEN}{i}{MARK_CLOSE}"));
    }
    let formatted = bundle.text_with_args(key, args).ok()?;
    let mut pieces = Vec::new();
    let mut rest = formatted.as_str();
    while let Some(open) = rest.find(MARK_OPEN) {
        if open > 0 {
            pieces.push(Piece::Text(rest[..open].into()));
        }
        let after = &rest[open + MARK_OPEN.len_utf8()..];
        let close = after.find(MARK_CLOSE)?;
        let index: usize = after[..close].parse().ok()?;
        pieces.push(Piece::Arg(vars.get(index)?.as_str().into()));
        rest = &after[close + MARK_CLOSE.len_utf8()..];
    }
    if rest.contains(MARK_CLOSE) {
        return None;
    }
    if !rest.is_empty() {
        pieces.push(Piece::Text(rest.into()));
    }
    Some(pieces)
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

    /// The pieces split at start-up give Fluent's own text for every
    /// message with arguments, in every voice, with strings that look like
    /// markup, markers or Fluent syntax; selectors are left to Fluent.
    #[test]
    fn split_texts_are_fluents_own() {
        let registry = Registry::new(Vec::new()).unwrap();
        let texts = Texts::new(&registry).unwrap();
        let voices = [
            Voice::from(Lang::Nl),
            Voice::of(Lang::Nl, AddressForm::Informal),
            Voice::from(Lang::En),
        ];
        let odd = [
            "",
            "<b>&amp;</b>",
            "{ $x }",
            "\u{F8F0}0\u{F8F1}",
            "één, twee",
        ];
        let mut split = 0;
        for voice in voices {
            for (key, source) in messages(CORE_NL).unwrap() {
                let Some(vars) = simple_variables(&source) else {
                    assert!(!texts.split[Texts::slot(voice)].contains_key(&key), "{key}");
                    continue;
                };
                if vars.is_empty() {
                    continue;
                }
                for (n, value) in odd.iter().enumerate() {
                    let values: Vec<String> =
                        vars.iter().map(|v| format!("{value}{v}{n}")).collect();
                    let pairs: Vec<(&str, &str)> = vars
                        .iter()
                        .zip(&values)
                        .map(|(k, v)| (k.as_str(), v.as_str()))
                        .collect();
                    let mut args = I18NArgs::default();
                    for (k, v) in &pairs {
                        args = args.set(k.to_string(), v.to_string());
                    }
                    let fluent = texts.bundle(voice).text_with_args(&key, args).ok();
                    let ours = texts.get_split(voice, &key, &pairs);
                    // `get_args` gives Fluent's text whether split or not.
                    let whole = texts.get_args(voice, &key, &pairs);
                    assert_eq!(Some(&whole), fluent.as_ref(), "{key} in {voice:?}");
                    assert_eq!(ours, fluent, "{key} in {voice:?}");
                    split += usize::from(ours.is_some());
                    // A missing argument is Fluent's to report.
                    assert_eq!(texts.get_split(voice, &key, &pairs[1..]), None, "{key}");
                }
            }
        }
        assert!(split > 100, "{split}");
        // Selectors, functions and message references stay Fluent's.
        for source in [
            " { $count ->\n    [one] { $count } page\n   *[other] { $count } pages\n}",
            " { NUMBER($n) } items",
            " see { other-message } for { $x }",
        ] {
            assert_eq!(simple_variables(source), None, "{source}");
        }
        assert_eq!(
            simple_variables(" { -brand } for { $who }, { \"-\" }").as_deref(),
            Some(&["who".to_string()][..])
        );
    }
}
