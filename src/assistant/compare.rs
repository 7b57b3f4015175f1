//! Comparing and showing assistant definitions: the field-by-field diff between the live
//! assistant and the repository's, with secrets masked in everything shown.

use std::fmt;

use serde_json::Value;

use super::SERVER_MANAGED;

pub fn masked(value: &Value) -> Value {
    let mut copy = value.clone();
    mask_in_place(&mut copy);
    copy
}

fn mask_in_place(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                if key == "secretKey" {
                    *child = Value::from("***");
                } else if key == "headers" {
                    if let Value::Object(headers) = child {
                        for header in headers.values_mut() {
                            *header = mask_header(header);
                        }
                    }
                } else {
                    mask_in_place(child);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(mask_in_place),
        _ => {}
    }
}

fn mask_header(value: &Value) -> Value {
    match value.as_str() {
        Some(text) if text.len() >= 7 && text[..7].eq_ignore_ascii_case("bearer ") => {
            Value::from(format!("{}***", &text[..7]))
        }
        _ => Value::from("***"),
    }
}

/// One field that differs between the live assistant and the definition.
#[derive(Clone, Debug, PartialEq)]
pub struct Change {
    /// Where, e.g. `model.messages[0].content`.
    pub path: String,
    /// The live value (`None`: not set on VAPI).
    pub live: Option<Value>,
    /// The definition's value (`None`: the definition has no such element).
    pub desired: Option<Value>,
}

impl fmt::Display for Change {
    /// `path: old → new`, secrets masked, long strings cut to the part that changed.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secret = self.path.contains("headers.") || self.path.ends_with("secretKey");
        let show = |v: &Option<Value>| -> Option<Value> {
            v.as_ref()
                .map(|v| if secret { mask_header(v) } else { masked(v) })
        };
        let (live, desired) = (show(&self.live), show(&self.desired));
        let (old, new) = match (&live, &desired) {
            (Some(Value::String(a)), Some(Value::String(b))) => excerpt_pair(a, b),
            _ => (render(live.as_ref()), render(desired.as_ref())),
        };
        let note = if secret && live.is_some() && desired.is_some() {
            " (secret changed)"
        } else {
            ""
        };
        write!(f, "{}: {old} → {new}{note}", self.path)
    }
}

const SHOW_CHARS: usize = 100;

fn render(value: Option<&Value>) -> String {
    match value {
        None => "(not set)".to_owned(),
        Some(v) => cut(&v.to_string()),
    }
}

/// Both strings quoted; when long, only the stretch around their first difference.
pub(super) fn excerpt_pair(a: &str, b: &str) -> (String, String) {
    let (ca, cb): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if ca.len() <= SHOW_CHARS && cb.len() <= SHOW_CHARS {
        return (format!("{a:?}"), format!("{b:?}"));
    }
    let first_diff = ca.iter().zip(&cb).take_while(|(x, y)| x == y).count();
    let start = first_diff.saturating_sub(30);
    let piece = |chars: &[char]| {
        let text: String = chars.iter().skip(start).collect();
        let quoted = format!("{:?}", cut(&text));
        if start > 0 {
            format!("\"…{}", &quoted[1..])
        } else {
            quoted
        }
    };
    (piece(&ca), piece(&cb))
}

fn cut(text: &str) -> String {
    if text.chars().count() <= SHOW_CHARS {
        text.to_owned()
    } else {
        let mut short: String = text.chars().take(SHOW_CHARS).collect();
        short.push('…');
        short
    }
}

/// The fields the definition sets whose live value differs. Live-only fields are ignored (see the
/// module docs); arrays are compared element by element; numbers by value (`10` equals `10.0`).
pub fn diff(live: &Value, desired: &Value) -> Vec<Change> {
    let mut changes = Vec::new();
    walk("", Some(live), desired, &mut changes);
    changes
}

fn walk(path: &str, live: Option<&Value>, desired: &Value, out: &mut Vec<Change>) {
    match (live, desired) {
        (Some(Value::Object(l)), Value::Object(d)) => {
            for (key, dv) in d {
                if path.is_empty() && SERVER_MANAGED.contains(&key.as_str()) {
                    continue;
                }
                let child = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                walk(&child, l.get(key), dv, out);
            }
        }
        (Some(Value::Array(l)), Value::Array(d)) => {
            for i in 0..l.len().max(d.len()) {
                let child = format!("{path}[{i}]");
                match d.get(i) {
                    Some(dv) => walk(&child, l.get(i), dv, out),
                    None => out.push(Change {
                        path: child,
                        live: l.get(i).cloned(),
                        desired: None,
                    }),
                }
            }
        }
        (Some(l), d) if same_value(l, d) => {}
        (l, d) => out.push(Change {
            path: path.to_owned(),
            live: l.cloned(),
            desired: Some(d.clone()),
        }),
    }
}

fn same_value(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x == y || x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

/// The live assistant without the server-managed fields.
pub fn strip_server_managed(assistant: &Value) -> Value {
    let mut copy = assistant.clone();
    if let Some(map) = copy.as_object_mut() {
        for key in SERVER_MANAGED {
            map.remove(key);
        }
    }
    copy
}

pub(super) fn id_of(assistant: &Value) -> String {
    assistant
        .get("id")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

/// The live assistant as an overrides file may hold it (`assistant pull --tenant`): what the
/// service sets itself is left out — the server (URL and secret), credentials, the tools (with
/// their servers), and every `headers` object — so adopting live edits never writes a masked
/// secret that a later push would send.
pub fn adoptable(live: &Value) -> Value {
    fn without_headers(value: &mut Value) {
        match value {
            Value::Object(map) => {
                map.remove("headers");
                map.values_mut().for_each(without_headers);
            }
            Value::Array(items) => items.iter_mut().for_each(without_headers),
            _ => {}
        }
    }
    let mut adopted = strip_server_managed(live);
    if let Some(fields) = adopted.as_object_mut() {
        for key in ["server", "credentials", "credentialIds"] {
            fields.remove(key);
        }
        if let Some(model) = fields.get_mut("model").and_then(Value::as_object_mut) {
            model.remove("tools");
            model.remove("toolIds");
        }
    }
    without_headers(&mut adopted);
    adopted
}
