//! The range a customer may choose an advance from: a fixed minimum and
//! maximum, or percentages around the original advance the supplier set.
//! Always around the original, never around the current amount, so a
//! chain of changes cannot leave the range.

use portal_core::tenant::Tenant;

use crate::ADVANCES;

/// The allowed amounts, in cents, inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Range {
    pub min_cents: i64,
    pub max_cents: i64,
}

impl Range {
    pub fn contains(&self, cents: i64) -> bool {
        (self.min_cents..=self.max_cents).contains(&cents)
    }
}

/// How the supplier limits changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// Percentages of the original (80 and 150: 80 % to 150 %).
    Percent { min: i64, max: i64 },
    /// Fixed amounts in cents.
    Fixed { min_cents: i64, max_cents: i64 },
}

impl Rule {
    /// The tenant's rule (settings validated on save).
    pub fn of(tenant: &Tenant) -> Self {
        let num = |k: &str, d: i64| ADVANCES.setting(tenant, k).parse().unwrap_or(d);
        if ADVANCES.setting(tenant, "mode") == "fixed" {
            Rule::Fixed {
                min_cents: num("min_euros", 10) * 100,
                max_cents: num("max_euros", 500) * 100,
            }
        } else {
            Rule::Percent {
                min: num("min_percent", 80),
                max: num("max_percent", 150),
            }
        }
    }

    /// The range for a contract whose original advance is `original_cents`:
    /// percentages rounded inward to whole euros, so the bounds are amounts
    /// people can type.
    pub fn range(self, original_cents: i64) -> Range {
        match self {
            Rule::Fixed {
                min_cents,
                max_cents,
            } => Range {
                min_cents,
                max_cents: max_cents.max(min_cents),
            },
            Rule::Percent { min, max } => {
                let lo = original_cents * min;
                let hi = original_cents * max;
                // Whole euros, inward: up for the minimum, down for the maximum.
                let min_cents = (lo + 9_999).div_euclid(10_000) * 100;
                let max_cents = hi.div_euclid(10_000) * 100;
                Range {
                    min_cents: min_cents.min(original_cents),
                    max_cents: max_cents.max(original_cents),
                }
            }
        }
    }
}

/// An amount typed by a person: `85`, `85,50`, `85.50`, `€ 1.085,50`.
pub fn parse_euros(s: &str) -> Option<i64> {
    let s: String = s
        .trim()
        .trim_start_matches('€')
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if s.is_empty() || s.starts_with('-') {
        return None;
    }
    // The last separator followed by one or two digits is the decimal mark.
    let (int, frac) = match s.rfind([',', '.']) {
        Some(i) if s.len() - i - 1 <= 2 && s.len() - i > 1 => (&s[..i], &s[i + 1..]),
        _ => (s.as_str(), ""),
    };
    let int: String = int.chars().filter(|c| *c != '.' && *c != ',').collect();
    if int.is_empty()
        || !int.chars().all(|c| c.is_ascii_digit())
        || !frac.chars().all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let euros: i64 = int.parse().ok()?;
    let cents: i64 = match frac.len() {
        0 => 0,
        1 => frac.parse::<i64>().ok()? * 10,
        _ => frac.parse().ok()?,
    };
    euros.checked_mul(100)?.checked_add(cents)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_are_taken_around_the_original_in_whole_euros() {
        let r = Rule::Percent { min: 80, max: 150 }.range(12_345);
        assert_eq!(
            r,
            Range {
                min_cents: 9_900,
                max_cents: 18_500
            }
        );
        assert!(r.contains(9_900) && r.contains(18_500));
        assert!(!r.contains(9_899) && !r.contains(18_501));
    }

    #[test]
    fn fixed_amounts_ignore_the_original() {
        let r = Rule::Fixed {
            min_cents: 1_000,
            max_cents: 50_000,
        }
        .range(120_000);
        assert_eq!(
            r,
            Range {
                min_cents: 1_000,
                max_cents: 50_000
            }
        );
    }

    #[test]
    fn amounts_as_people_type_them() {
        assert_eq!(parse_euros("85"), Some(8_500));
        assert_eq!(parse_euros("85,5"), Some(8_550));
        assert_eq!(parse_euros("85,50"), Some(8_550));
        assert_eq!(parse_euros("85.50"), Some(8_550));
        assert_eq!(parse_euros("€ 1.085,50"), Some(108_550));
        assert_eq!(parse_euros("1,085.50"), Some(108_550));
        assert_eq!(parse_euros("1.085"), Some(108_500));
        assert_eq!(parse_euros("-5"), None);
        assert_eq!(parse_euros("tien"), None);
        assert_eq!(parse_euros(""), None);
    }
}
