//! Static files embedded in the binary: nothing is fetched at run time.

/// The dashboard's stylesheet.
pub const STYLE_CSS: &str = include_str!("../../templates/dashboard/style.css");

/// An embedded file by name: (content type, body).
pub fn get(name: &str) -> Option<(&'static str, &'static str)> {
    match name {
        "style.css" => Some(("text/css; charset=utf-8", STYLE_CSS)),
        _ => None,
    }
}
