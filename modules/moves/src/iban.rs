//! IBAN checks (ISO 13616): the country's length and the mod-97 check
//! digits, so a mistyped account number is refused at the field instead
//! of reaching the back-office.

/// Lengths of IBANs in the countries a Dutch or Belgian supplier meets most.
const LENGTHS: &[(&str, usize)] = &[
    ("NL", 18),
    ("BE", 16),
    ("DE", 22),
    ("LU", 20),
    ("FR", 27),
    ("GB", 22),
    ("ES", 24),
    ("IT", 27),
    ("AT", 20),
    ("IE", 22),
    ("PT", 25),
    ("DK", 18),
];

/// The IBAN without spaces, in capitals, when it is valid.
pub fn check(input: &str) -> Option<String> {
    let iban: String = input
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if iban.len() < 15 || iban.len() > 34 || !iban.chars().all(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    let country = &iban[..2];
    if !country.chars().all(|c| c.is_ascii_uppercase()) {
        return None;
    }
    if let Some((_, len)) = LENGTHS.iter().find(|(c, _)| *c == country)
        && iban.len() != *len
    {
        return None;
    }
    // Move the first four characters to the end, letters to numbers, mod 97.
    let rearranged = iban[4..].chars().chain(iban[..4].chars());
    let mut rest: u32 = 0;
    for c in rearranged {
        let value = c.to_digit(36)?;
        rest = if value >= 10 {
            (rest * 100 + value) % 97
        } else {
            (rest * 10 + value) % 97
        };
    }
    (rest == 1).then_some(iban)
}

/// An IBAN in groups of four, as people read it.
pub fn grouped(iban: &str) -> String {
    iban.as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_ibans_pass_and_mistyped_ones_do_not() {
        assert_eq!(
            check("NL91 ABNA 0417 1643 00").as_deref(),
            Some("NL91ABNA0417164300")
        );
        assert_eq!(
            check("be68 5390 0754 7034").as_deref(),
            Some("BE68539007547034")
        );
        assert_eq!(
            check("DE89370400440532013000").as_deref(),
            Some("DE89370400440532013000")
        );
        assert_eq!(check("NL91ABNA0417164301"), None, "one digit off");
        assert_eq!(check("NL91ABNA041716430"), None, "too short for NL");
        assert_eq!(check("NL91-ABNA-0417"), None);
        assert_eq!(check(""), None);
        assert_eq!(grouped("NL91ABNA0417164300"), "NL91 ABNA 0417 1643 00");
    }
}
