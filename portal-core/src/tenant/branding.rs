//! Branding per tenant (seed 004): logo, favicon, primary and secondary
//! colour, and "inherit from organisation": a tenant with a parent and
//! `brand_inherit` on takes every value it did not set itself from the
//! parent, live (the snapshot is rebuilt on any change).

use serde::Serialize;

use super::contrast::{check_contrast, parse_colour};

pub const DEFAULT_PRIMARY: &str = "#1f4e79";
pub const DEFAULT_PRIMARY_TEXT: &str = "#ffffff";
pub const DEFAULT_SECONDARY: &str = "#e8eef5";
pub const DEFAULT_SECONDARY_TEXT: &str = "#1a1a1a";

/// Branding values; `None` means "not set here".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Branding {
    pub primary: Option<String>,
    pub primary_text: Option<String>,
    pub secondary: Option<String>,
    pub secondary_text: Option<String>,
    /// Blob key of the logo; its extension tells the image type.
    pub logo: Option<String>,
    pub favicon: Option<String>,
}

impl Branding {
    /// This branding with each unset value taken from `parent`.
    pub fn inherit_from(&self, parent: &Branding) -> Branding {
        let pick = |own: &Option<String>, p: &Option<String>| own.clone().or_else(|| p.clone());
        Branding {
            primary: pick(&self.primary, &parent.primary),
            primary_text: pick(&self.primary_text, &parent.primary_text),
            secondary: pick(&self.secondary, &parent.secondary),
            secondary_text: pick(&self.secondary_text, &parent.secondary_text),
            logo: pick(&self.logo, &parent.logo),
            favicon: pick(&self.favicon, &parent.favicon),
        }
    }

    /// The four colours with the theme's defaults filled in.
    pub fn colours(&self) -> [&str; 4] {
        [
            self.primary.as_deref().unwrap_or(DEFAULT_PRIMARY),
            self.primary_text.as_deref().unwrap_or(DEFAULT_PRIMARY_TEXT),
            self.secondary.as_deref().unwrap_or(DEFAULT_SECONDARY),
            self.secondary_text
                .as_deref()
                .unwrap_or(DEFAULT_SECONDARY_TEXT),
        ]
    }

    /// The stylesheet that sets the theme's colour variables.
    pub fn css(&self) -> String {
        let [p, pt, s, st] = self.colours();
        format!(
            ":root{{--brand-primary:{p};--brand-primary-text:{pt};--brand-secondary:{s};--brand-secondary-text:{st};}}\n"
        )
    }

    /// A short fingerprint of what the stylesheet and images depend on, for cache-busting URLs.
    pub fn fingerprint(&self) -> String {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        for part in self.colours() {
            h.update(part.as_bytes());
        }
        hex::encode(&h.finalize()[..6])
    }
}

/// Colours as typed by staff; empty means "not set".
#[derive(Debug, Clone, Default)]
pub struct ColourInput {
    pub primary: Option<String>,
    pub primary_text: Option<String>,
    pub secondary: Option<String>,
    pub secondary_text: Option<String>,
}

/// Checks colours typed by staff: format, then the contrast of each pair as
/// it will be shown (unset values come from `fallback`, the inherited or
/// default branding).
///
/// # Errors
/// A list of (field, message) for the person who typed them.
pub fn check_colours(
    input: &ColourInput,
    fallback: &Branding,
) -> Result<ColourInput, Vec<(&'static str, String)>> {
    let mut errors = Vec::new();
    let mut parse = |field: &'static str, v: &Option<String>| -> Option<String> {
        let v = v.as_deref().map(str::trim).filter(|s| !s.is_empty())?;
        match parse_colour(v) {
            Ok(c) => Some(c),
            Err(e) => {
                errors.push((field, e));
                None
            }
        }
    };
    let out = ColourInput {
        primary: parse("primary", &input.primary),
        primary_text: parse("primary_text", &input.primary_text),
        secondary: parse("secondary", &input.secondary),
        secondary_text: parse("secondary_text", &input.secondary_text),
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    let shown = Branding {
        primary: out.primary.clone(),
        primary_text: out.primary_text.clone(),
        secondary: out.secondary.clone(),
        secondary_text: out.secondary_text.clone(),
        logo: None,
        favicon: None,
    }
    .inherit_from(fallback);
    let [p, pt, s, st] = shown.colours();
    if let Err(e) = check_contrast("primary colour", p, pt) {
        errors.push(("primary", e));
    }
    if let Err(e) = check_contrast("secondary colour", s, st) {
        errors.push(("secondary", e));
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}
