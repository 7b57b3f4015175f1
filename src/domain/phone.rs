//! Phone numbers in E.164, so the number a caller dials from matches the one on a booking.

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

#[cfg(test)]
mod tests {
    use super::to_e164;

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
