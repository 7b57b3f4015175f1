//! Static files embedded in the binary: nothing is fetched at run time.

/// The dashboard's stylesheet.
pub const STYLE_CSS: &str = include_str!("../../templates/dashboard/style.css");
/// The script that refreshes live parts of a page when calls change (optional: pages work
/// without it).
pub const LIVE_JS: &str = include_str!("../../templates/dashboard/live.js");
/// The console's icon (a calendar page with a tick), also served as `/favicon.ico`.
pub const ICON_SVG: &str = include_str!("../../templates/dashboard/icon.svg");

/// An embedded file by name: (content type, body).
pub fn get(name: &str) -> Option<(&'static str, &'static str)> {
    match name {
        "style.css" => Some(("text/css; charset=utf-8", STYLE_CSS)),
        "live.js" => Some(("text/javascript; charset=utf-8", LIVE_JS)),
        "icon.svg" => Some(("image/svg+xml", ICON_SVG)),
        _ => None,
    }
}
