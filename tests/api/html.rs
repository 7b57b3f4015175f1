//! A small well-formedness check for the dashboard's HTML: every element closed in order (void
//! elements excepted), attributes quoted, one `<html>` root after the doctype.

const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

/// `Ok(())` or the first problem, with the offset it was found at.
pub fn check(html: &str) -> Result<(), String> {
    if !html.trim_start().starts_with("<!DOCTYPE html>") {
        return Err("no <!DOCTYPE html> first".to_owned());
    }
    let mut stack: Vec<String> = Vec::new();
    let mut rest = html;
    let mut offset = 0;
    while let Some(start) = rest.find('<') {
        let after = &rest[start + 1..];
        let end = tag_end(after).ok_or_else(|| format!("unclosed tag at {}", offset + start))?;
        let tag = &after[..end];
        if tag.starts_with('!') {
            // Doctype or comment.
        } else if let Some(name) = tag.strip_prefix('/') {
            let name = name.trim().to_ascii_lowercase();
            match stack.pop() {
                Some(open) if open == name => {}
                other => {
                    return Err(format!("</{name}> at {} closes {other:?}", offset + start));
                }
            }
        } else {
            let name: String = tag
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect::<String>()
                .to_ascii_lowercase();
            if name.is_empty() {
                return Err(format!("stray '<' at {}", offset + start));
            }
            check_attributes(&tag[name.len()..])
                .map_err(|e| format!("<{name}> at {}: {e}", offset + start))?;
            if !VOID.contains(&name.as_str()) && !tag.ends_with('/') {
                stack.push(name);
            }
        }
        let consumed = start + 1 + end + 1;
        offset += consumed;
        rest = &rest[consumed..];
    }
    if stack.is_empty() {
        Ok(())
    } else {
        Err(format!("unclosed elements {stack:?}"))
    }
}

/// The index of the `>` ending a tag, skipping quoted attribute values.
fn tag_end(s: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return Some(i),
            (None, '<') => return None,
            _ => {}
        }
    }
    None
}

/// `name`, `name="value"` pairs only.
fn check_attributes(s: &str) -> Result<(), String> {
    let mut rest = s.trim().trim_end_matches('/').trim();
    while !rest.is_empty() {
        let name_len = rest
            .find(|c: char| c == '=' || c.is_whitespace())
            .unwrap_or(rest.len());
        if name_len == 0 {
            return Err(format!("bad attribute near {rest:?}"));
        }
        rest = &rest[name_len..];
        if let Some(value) = rest.strip_prefix('=') {
            let quote = value.chars().next().filter(|c| *c == '"' || *c == '\'');
            let Some(q) = quote else {
                return Err(format!("unquoted attribute value near {value:?}"));
            };
            let close = value[1..].find(q).ok_or("unterminated attribute value")?;
            rest = &value[close + 2..];
        }
        rest = rest.trim_start();
    }
    Ok(())
}

#[test]
fn the_checker_catches_what_it_should() {
    assert!(check("<!DOCTYPE html><html><body><p>a<br>b</p></body></html>").is_ok());
    assert!(check("<!DOCTYPE html><html><body><p>a</div></body></html>").is_err());
    assert!(check("<!DOCTYPE html><html><body><p>a</body></html>").is_err());
    assert!(check("<!DOCTYPE html><html><a href=x>b</a></html>").is_err());
    assert!(check("<html></html>").is_err());
}
