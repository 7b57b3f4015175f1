//! Phone numbers in E.164, so the number a caller dials from matches the one on a booking.
//!
//! Two readings: [`caller_e164`] is strict and decides who a caller is (from what VAPI reports);
//! [`to_e164`] is lenient and reads a number a person typed or said.

/// Normalises a phone number to E.164 (`+15551234567`).
///
/// Accepts `+` numbers with any punctuation, `00` international prefixes and bare 10- or 11-digit
/// North American numbers. Anything else is not guessed at: a wrong country code would match a
/// stranger's booking.
pub fn to_e164(raw: &str) -> Option<String> {
    let trimmed = raw.trim();
    let digits: String = trimmed.chars().filter(char::is_ascii_digit).collect();
    let international = if trimmed.starts_with('+') {
        Some(digits.clone())
    } else {
        digits.strip_prefix("00").map(str::to_owned)
    };
    let normalized = match international {
        Some(d) => d,
        None if digits.len() == 10 => format!("1{digits}"),
        None if digits.len() == 11 && digits.starts_with('1') => digits,
        None => return None,
    };
    (8..=15)
        .contains(&normalized.len())
        .then(|| format!("+{normalized}"))
}

/// The caller's number as VAPI reports it, read strictly: `+`, then 8 to 15 digits (the first
/// not 0), with spaces, dashes or parentheses only between digits. Anything else — `anonymous`, a
/// SIP URI such as `sip:+15551234567@evil.example`, a number with words around it — is no number:
/// identity is never guessed from digits found inside other text.
pub fn caller_e164(raw: &str) -> Option<String> {
    let rest = raw.trim().strip_prefix('+')?;
    if !rest.starts_with(|c: char| c.is_ascii_digit())
        || !rest.ends_with(|c: char| c.is_ascii_digit())
    {
        return None;
    }
    if !rest
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '(' | ')'))
    {
        return None;
    }
    let digits: String = rest.chars().filter(char::is_ascii_digit).collect();
    ((8..=15).contains(&digits.len()) && !digits.starts_with('0')).then(|| format!("+{digits}"))
}

#[cfg(test)]
mod tests {
    use super::{caller_e164, to_e164};

    #[test]
    fn the_caller_number_is_read_strictly() {
        assert_eq!(caller_e164("+15551234567").as_deref(), Some("+15551234567"));
        assert_eq!(
            caller_e164(" +1 (555) 123-4567 ").as_deref(),
            Some("+15551234567")
        );
        for not_a_number in [
            "",
            "anonymous",
            "+",
            "15551234567",
            "sip:+15551234567@evil.example",
            "+15551234567@evil.example",
            "+15551234567 call me",
            "call +15551234567",
            "+1555",
            "+1234567890123456",
            "+05551234567",
            "+1555\u{202e}1234567",
            "+1555.123.4567",
        ] {
            assert_eq!(caller_e164(not_a_number), None, "{not_a_number:?}");
        }
    }

    #[test]
    fn normalises_common_forms() {
        assert_eq!(
            to_e164("+1 (555) 123-4567").as_deref(),
            Some("+15551234567")
        );
        assert_eq!(to_e164("555-123-4567").as_deref(), Some("+15551234567"));
        assert_eq!(to_e164("15551234567").as_deref(), Some("+15551234567"));
        assert_eq!(
            to_e164("0044 20 7946 0958").as_deref(),
            Some("+442079460958")
        );
        assert_eq!(to_e164("+91 98765 43210").as_deref(), Some("+919876543210"));
        assert_eq!(to_e164("12345"), None);
        assert_eq!(to_e164("not a number"), None);
    }
}
