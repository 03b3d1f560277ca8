//! What a mail declares in code: its key, its placeholders (with their
//! descriptions, examples and how the value is found), and its default texts.

use crate::tenant::{AddressForm, Lang};

/// How a placeholder gets its value.
#[derive(Debug, Clone, Copy)]
pub enum PlaceholderKind {
    /// Plain text given by the sender; HTML-escaped in the HTML part.
    Text { example: &'static str },
    /// A small block with its own HTML and text rendering (a name and a link,
    /// a signature), given by the sender.
    Formatted {
        example_html: &'static str,
        example_text: &'static str,
    },
    /// One of two words chosen by a count the sender gives: `singular` when
    /// the count is 1, else `plural` (seed 003: `{dossier.jou_jullie}`).
    Plural {
        singular: &'static str,
        plural: &'static str,
        count: &'static str,
    },
}

/// One placeholder of a mail, written `{name}` in its templates.
#[derive(Debug, Clone, Copy)]
pub struct Placeholder {
    /// e.g. `dossier.salutation`: lower-case words joined by dots.
    pub name: &'static str,
    pub description_nl: &'static str,
    pub description_en: &'static str,
    pub kind: PlaceholderKind,
}

impl Placeholder {
    /// A text placeholder.
    pub const fn text(
        name: &'static str,
        nl: &'static str,
        en: &'static str,
        example: &'static str,
    ) -> Self {
        Self {
            name,
            description_nl: nl,
            description_en: en,
            kind: PlaceholderKind::Text { example },
        }
    }

    /// A formatted placeholder.
    pub const fn formatted(
        name: &'static str,
        nl: &'static str,
        en: &'static str,
        example_html: &'static str,
        example_text: &'static str,
    ) -> Self {
        Self {
            name,
            description_nl: nl,
            description_en: en,
            kind: PlaceholderKind::Formatted {
                example_html,
                example_text,
            },
        }
    }

    /// A singular/plural pair chosen by the count named `count`.
    pub const fn plural(
        name: &'static str,
        singular: &'static str,
        plural: &'static str,
        count: &'static str,
    ) -> Self {
        Self {
            name,
            description_nl: "enkelvoud of meervoud, naar het aantal ontvangers",
            description_en: "singular or plural, by the number of recipients",
            kind: PlaceholderKind::Plural {
                singular,
                plural,
                count,
            },
        }
    }

    pub fn description(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Nl => self.description_nl,
            Lang::En => self.description_en,
        }
    }
}

/// The default text of a mail in one language and form of address.
#[derive(Debug, Clone, Copy)]
pub struct MailDefault {
    pub lang: Lang,
    pub form: AddressForm,
    pub subject: &'static str,
    /// Template HTML body; empty means "made from the text body".
    pub html: &'static str,
    /// Template text body; empty means "made from the HTML body".
    pub text: &'static str,
}

/// The tenant's name: core fills it in for every mail.
pub const TENANT_NAME: Placeholder = Placeholder::text(
    "tenant.name",
    "naam van uw organisatie",
    "name of your organisation",
    "Voorbeeld BV",
);

/// The tenant's portal address: core fills it in for every mail.
pub const PORTAL_URL: Placeholder = Placeholder::text(
    "special.consumerportal_url",
    "adres van het klantportaal",
    "address of the customer portal",
    "https://mijn.voorbeeld.nl",
);

/// Placeholders every mail has without declaring them: core fills them in
/// (`Mailer::with_auto_values`), so a module's mail lists only its own.
pub const COMMON_PLACEHOLDERS: &[Placeholder] = &[TENANT_NAME, PORTAL_URL];

/// A mail the portal can send: core's or a module's (its key then starts with the module name).
#[derive(Debug, Clone, Copy)]
pub struct MailKind {
    /// `auth.reset`, `invoices.issued`, ...
    pub key: &'static str,
    pub label_nl: &'static str,
    pub label_en: &'static str,
    pub placeholders: &'static [Placeholder],
    /// Defaults per language and form; a missing combination falls back to
    /// the other form, then to the other language.
    pub defaults: &'static [MailDefault],
}

impl MailKind {
    pub fn placeholder(&self, name: &str) -> Option<&'static Placeholder> {
        self.all_placeholders().find(|p| p.name == name)
    }

    /// The mail's own placeholders, then core's [`COMMON_PLACEHOLDERS`]
    /// it does not declare itself.
    pub fn all_placeholders(&self) -> impl Iterator<Item = &'static Placeholder> + '_ {
        let own = self.placeholders;
        own.iter().chain(
            COMMON_PLACEHOLDERS
                .iter()
                .filter(move |c| !own.iter().any(|p| p.name == c.name)),
        )
    }

    /// The default for a language and form, with the fallbacks above.
    pub fn default_for(&self, lang: Lang, form: AddressForm) -> Option<&MailDefault> {
        let find =
            |l: Lang, f: AddressForm| self.defaults.iter().find(|d| d.lang == l && d.form == f);
        let other_form = match form {
            AddressForm::Formal => AddressForm::Informal,
            AddressForm::Informal => AddressForm::Formal,
        };
        let other_lang = if lang == Lang::Nl { Lang::En } else { Lang::Nl };
        find(lang, form)
            .or_else(|| find(lang, other_form))
            .or_else(|| find(other_lang, form))
            .or_else(|| find(other_lang, other_form))
            .or_else(|| self.defaults.first())
    }
}
