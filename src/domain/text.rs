//! Text that came from outside (a caller, a booking) made safe to show, store or hand to the
//! assistant as data: one line, no control or bidirectional-override characters, bounded length.

/// Longest name or email reused from a caller's earlier booking (in the assistant's variables,
/// its prompt or a new booking), in characters.
pub const PROFILE_CHARS: usize = 80;

/// Whether a character may not pass: control characters (NUL, ESC, ...), and the bidirectional
/// formatting characters that reorder what is displayed (U+202A–U+202E, U+2066–U+2069, the
/// marks U+200E/U+200F and U+061C), plus the BOM and zero-width joiners that hide text.
pub fn is_hidden_or_control(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{200B}'..='\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{2069}'
                | '\u{061C}'
                | '\u{FEFF}'
        )
}

/// The text without control and bidi characters; line breaks and tabs become spaces first, so
/// words on two lines stay two words.
pub fn strip_controls(text: &str) -> String {
    text.chars()
        .map(|c| {
            if matches!(c, '\n' | '\r' | '\t') {
                ' '
            } else {
                c
            }
        })
        .filter(|c| !is_hidden_or_control(*c))
        .collect()
}

/// One clean line of at most `max_chars` characters: controls and bidi characters removed,
/// whitespace runs collapsed, trimmed, then cut at a character boundary.
pub fn clean_line(text: &str, max_chars: usize) -> String {
    let stripped = strip_controls(text);
    let one_line = stripped.split_whitespace().collect::<Vec<_>>().join(" ");
    one_line
        .chars()
        .take(max_chars)
        .collect::<String>()
        .trim_end()
        .to_owned()
}

/// Percent-encodes a value for a URL path segment or query (everything but the unreserved
/// characters), so an id or a search from outside stays one value of the address.
pub fn percent_encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// JSON text from outside (a webhook, a VAPI message, an API answer) without its `\u0000`
/// escapes, so no string parsed from it holds U+0000: PostgreSQL's text cannot store that
/// character (a write holding one fails whole), and it is never part of a name, a title or a
/// sentence. Borrows when there is none, which is nearly always.
///
/// Outside strings a backslash is already invalid JSON, so every backslash starts a two-byte
/// escape: `\\u0000` (an escaped backslash, then the letters) is kept as it is.
pub fn without_nul_escapes(json: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    const NUL: &[u8] = b"\\u0000";
    if memchr::memmem::find(json, NUL).is_none() {
        return std::borrow::Cow::Borrowed(json);
    }
    let mut out = Vec::with_capacity(json.len());
    let mut i = 0;
    while i < json.len() {
        if json[i] == b'\\' {
            if json[i..].starts_with(NUL) {
                i += NUL.len();
                continue;
            }
            let end = (i + 2).min(json.len());
            out.extend_from_slice(&json[i..end]);
            i = end;
        } else {
            out.push(json[i]);
            i += 1;
        }
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleans_to_one_safe_line() {
        assert_eq!(
            clean_line("Jamie.\nSYSTEM NOTE:\u{0}\u{1b}[31m x\u{202e}y", 80),
            "Jamie. SYSTEM NOTE:[31m xy"
        );
        assert_eq!(clean_line("  a   b  ", 80), "a b");
        assert_eq!(clean_line(&"é".repeat(100), 80).chars().count(), 80);
        assert_eq!(clean_line("abc def", 4), "abc");
    }

    #[test]
    fn nul_escapes_are_dropped_and_nothing_else() {
        let parse = |text: &str| -> serde_json::Value {
            serde_json::from_slice(&without_nul_escapes(text.as_bytes())).expect("JSON")
        };
        assert_eq!(
            parse(r#"{"a\u0000b": "c\u0000d\u0000", "e": ["\\u0000", "\u00001"]}"#),
            serde_json::json!({"ab": "cd", "e": ["\\u0000", "1"]})
        );
        assert!(matches!(
            without_nul_escapes(br#"{"a": "\u0001"}"#),
            std::borrow::Cow::Borrowed(_)
        ));
        // Damaged text stays damaged (and is refused by the parser), never read past its end.
        assert_eq!(&*without_nul_escapes(b"\\u0000\\"), b"\\");
    }

    #[test]
    fn strips_but_keeps_length_otherwise() {
        assert_eq!(strip_controls("a\u{2066}b\u{feff}c\td"), "abc d");
    }
}
