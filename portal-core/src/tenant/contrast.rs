//! WCAG 2 contrast between two colours, to refuse unreadable branding.

/// The minimum contrast for normal text (WCAG 2.1 AA, 1.4.3).
pub const MIN_CONTRAST: f64 = 4.5;

/// Parses `#rrggbb` or `#rgb` (case-insensitive) into canonical `#rrggbb`.
///
/// # Errors
/// Anything else; the message names the value.
pub fn parse_colour(value: &str) -> Result<String, String> {
    let v = value.trim();
    let hex = v.strip_prefix('#').unwrap_or("");
    let full = match hex.len() {
        3 => hex.chars().flat_map(|c| [c, c]).collect::<String>(),
        6 => hex.to_string(),
        _ => String::new(),
    };
    if full.len() == 6 && full.chars().all(|c| c.is_ascii_hexdigit()) {
        Ok(format!("#{}", full.to_ascii_lowercase()))
    } else {
        Err(format!(
            "{value:?} is not a colour: use #rrggbb, e.g. #1f4e79"
        ))
    }
}

fn channel(c: u8) -> f64 {
    let s = f64::from(c) / 255.0;
    if s <= 0.040_45 {
        s / 12.92
    } else {
        ((s + 0.055) / 1.055).powf(2.4)
    }
}

fn luminance(colour: &str) -> f64 {
    let v = u32::from_str_radix(colour.trim_start_matches('#'), 16).unwrap_or(0);
    let [_, r, g, b] = v.to_be_bytes();
    0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
}

/// Contrast ratio (1 to 21) of two canonical `#rrggbb` colours.
pub fn contrast_ratio(a: &str, b: &str) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
    (hi + 0.05) / (lo + 0.05)
}

/// Refuses a background/text pair below [`MIN_CONTRAST`], saying the measured ratio.
///
/// # Errors
/// The pair is too close; the message gives both colours and the ratio.
pub fn check_contrast(what: &str, background: &str, text: &str) -> Result<(), String> {
    let ratio = contrast_ratio(background, text);
    // Round down so 4.49 never shows as an accepted "4.5".
    let shown = (ratio * 100.0).floor() / 100.0;
    if ratio < MIN_CONTRAST {
        Err(format!(
            "{what}: text colour {text} on {background} has a contrast of {shown:.2}:1, below the minimum of 4.5:1 (WCAG AA); choose a darker or lighter colour"
        ))
    } else {
        Ok(())
    }
}
