//! VAPI function-tool schemas generated from the tools' parameter types in [`super::params`].
//!
//! schemars writes a full JSON schema; VAPI accepts only a small subset of it in
//! `function.parameters` (`type`, `description`, string `enum`, `items`, `properties`, `required`,
//! `pattern`, a few `format`s, `title`), with every subschema inlined. [`vapi_subset`] reduces a
//! generated schema to that subset and [`vapi_subset_violations`] checks the result, so a new field
//! type cannot silently produce a schema VAPI rejects.
//!
//! The generated files are committed in `tool-schemas/` and kept current by `vapi-cal schemas`.

use std::path::Path;

use schemars::{JsonSchema, generate::SchemaSettings};
use serde_json::{Map, Value, json};

use super::Tool;

/// Keywords VAPI's `JsonSchema` accepts.
pub const ALLOWED_KEYWORDS: [&str; 9] = [
    "type",
    "description",
    "enum",
    "items",
    "properties",
    "required",
    "pattern",
    "format",
    "title",
];

/// Values VAPI's `JsonSchema.format` accepts.
pub const ALLOWED_FORMATS: [&str; 9] = [
    "date-time",
    "time",
    "date",
    "duration",
    "email",
    "hostname",
    "ipv4",
    "ipv6",
    "uuid",
];

/// Values VAPI's `JsonSchema.type` accepts.
pub const ALLOWED_TYPES: [&str; 6] = ["string", "number", "integer", "boolean", "array", "object"];

/// The VAPI function tool (`{"type":"function","function":{name, description, parameters}}`) of
/// one tool, or `None` for an unknown name.
pub fn tool_schema(name: &str) -> Option<Value> {
    Tool::from_name(name).map(function_tool)
}

/// The VAPI function tool of `tool`: its name, the parameter type's doc as the description, and
/// the parameters reduced to VAPI's subset.
pub fn function_tool(tool: Tool) -> Value {
    let root = tool.parameter_schema();
    let description = root
        .get("description")
        .and_then(Value::as_str)
        .map(one_line)
        .unwrap_or_default();
    json!({
        "type": "function",
        "function": {
            "name": tool.name(),
            "description": description,
            "parameters": vapi_subset(&root),
        }
    })
}

/// Every tool's function-tool JSON, in the order of [`Tool::ALL`].
pub fn all_tool_schemas() -> Vec<(&'static str, Value)> {
    Tool::ALL
        .into_iter()
        .map(|tool| (tool.name(), function_tool(tool)))
        .collect()
}

/// The text of a schema file: pretty JSON with a trailing newline.
pub fn render_file(schema: &Value) -> String {
    let mut text = serde_json::to_string_pretty(schema).unwrap_or_default();
    text.push('\n');
    text
}

/// Writes `<dir>/<tool>.json` for every tool, or with `check` only compares. Returns the files
/// whose content differed from the generated one (missing files included).
pub fn write_or_check(dir: &Path, check: bool) -> std::io::Result<Vec<String>> {
    if !check {
        std::fs::create_dir_all(dir)?;
    }
    let mut differing = Vec::new();
    for (name, schema) in all_tool_schemas() {
        let path = dir.join(format!("{name}.json"));
        let wanted = render_file(&schema);
        let current = std::fs::read_to_string(&path).ok();
        if current.as_deref() != Some(wanted.as_str()) {
            differing.push(path.display().to_string());
            if !check {
                std::fs::write(&path, wanted)?;
            }
        }
    }
    Ok(differing)
}

/// schemars' schema of `T`, draft-07 with every subschema inlined.
pub(super) fn root_schema<T: JsonSchema>() -> Value {
    SchemaSettings::draft07()
        .with(|s| s.inline_subschemas = true)
        .for_deserialize()
        .into_generator()
        .into_root_schema_for::<T>()
        .to_value()
}

/// Reduces a generated parameters schema to VAPI's subset, with the root VAPI requires:
/// `{"type":"object","properties":{...},"required":[...]}`.
pub fn vapi_subset(root: &Value) -> Value {
    let reduced = reduce(root);
    let properties = reduced
        .get("properties")
        .cloned()
        .unwrap_or_else(|| Value::Object(Map::new()));
    let required = reduced
        .get("required")
        .cloned()
        .unwrap_or_else(|| json!([]));
    json!({ "type": "object", "properties": properties, "required": required })
}

/// One subschema reduced to the subset: null branches of unions dropped, unknown keywords and
/// formats removed, children reduced in turn.
fn reduce(schema: &Value) -> Value {
    let Some(obj) = schema.as_object() else {
        return schema.clone();
    };
    // `anyOf`/`oneOf` with a null branch (schemars' Option<T> for non-trivial T): keep the one
    // non-null branch, with the outer description.
    for key in ["anyOf", "oneOf"] {
        if let Some(branches) = obj.get(key).and_then(Value::as_array) {
            let non_null: Vec<&Value> = branches
                .iter()
                .filter(|b| b.get("type").and_then(Value::as_str) != Some("null"))
                .collect();
            if let [only] = non_null.as_slice() {
                let mut merged = reduce(only);
                if let (Some(desc), Some(m)) = (obj.get("description"), merged.as_object_mut()) {
                    m.insert("description".into(), desc.clone());
                }
                return merged;
            }
        }
    }
    let mut out = Map::new();
    for (key, value) in obj {
        match key.as_str() {
            "type" => {
                if let Some(kind) = single_type(value) {
                    out.insert(key.clone(), Value::from(kind));
                }
            }
            "format" if value.as_str().is_some_and(|f| ALLOWED_FORMATS.contains(&f)) => {
                out.insert(key.clone(), value.clone());
            }
            "enum" => {
                let strings: Vec<Value> = value
                    .as_array()
                    .map(|v| v.iter().filter(|e| e.is_string()).cloned().collect())
                    .unwrap_or_default();
                if !strings.is_empty() {
                    out.insert(key.clone(), Value::Array(strings));
                }
            }
            "properties" => {
                let props: Map<String, Value> = value
                    .as_object()
                    .map(|m| m.iter().map(|(k, v)| (k.clone(), reduce(v))).collect())
                    .unwrap_or_default();
                out.insert(key.clone(), Value::Object(props));
            }
            "items" => {
                out.insert(key.clone(), reduce(value));
            }
            "description" => {
                if let Some(text) = value.as_str() {
                    out.insert(key.clone(), Value::from(one_line(text)));
                }
            }
            "required" | "pattern" | "title" => {
                out.insert(key.clone(), value.clone());
            }
            _ => {}
        }
    }
    Value::Object(out)
}

/// Doc comments wrap lines; the model reads them as one sentence stream.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `"T"` or `["T","null"]` → `"T"`.
fn single_type(value: &Value) -> Option<&str> {
    match value {
        Value::String(s) => Some(s.as_str()),
        Value::Array(kinds) => {
            let non_null: Vec<&str> = kinds
                .iter()
                .filter_map(Value::as_str)
                .filter(|k| *k != "null")
                .collect();
            match non_null.as_slice() {
                [only] => Some(only),
                _ => None,
            }
        }
        _ => None,
    }
}

/// Everything in a function tool (or a bare parameters schema) that VAPI's subset does not allow,
/// one sentence per problem, each naming its JSON path. Empty means the schema is fine.
pub fn vapi_subset_violations(tool_or_parameters: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    let (parameters, path) = match tool_or_parameters.pointer("/function/parameters") {
        Some(p) => (p, "function.parameters".to_owned()),
        None => (tool_or_parameters, "parameters".to_owned()),
    };
    if tool_or_parameters.get("function").is_some() {
        if tool_or_parameters.get("type").and_then(Value::as_str) != Some("function") {
            problems.push("type: must be \"function\"".to_owned());
        }
        let name = tool_or_parameters
            .pointer("/function/name")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if name.is_empty()
            || name.len() > 64
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            problems.push(format!(
                "function.name: {name:?} must be 1-64 of a-z, A-Z, 0-9, _ and -"
            ));
        }
    }
    let Some(root) = parameters.as_object() else {
        problems.push(format!("{path}: must be an object"));
        return problems;
    };
    if root.get("type").and_then(Value::as_str) != Some("object") {
        problems.push(format!("{path}.type: must be \"object\""));
    }
    if !root.get("properties").is_some_and(Value::is_object) {
        problems.push(format!("{path}.properties: missing"));
    }
    for key in root.keys() {
        if !["type", "properties", "required"].contains(&key.as_str()) {
            problems.push(format!(
                "{path}.{key}: not allowed at the root of parameters"
            ));
        }
    }
    check_subschema(parameters, &path, &mut problems);
    problems
}

fn check_subschema(schema: &Value, path: &str, problems: &mut Vec<String>) {
    let Some(obj) = schema.as_object() else {
        problems.push(format!("{path}: a schema must be an object"));
        return;
    };
    match obj.get("type") {
        Some(Value::String(kind)) if ALLOWED_TYPES.contains(&kind.as_str()) => {}
        Some(other) => problems.push(format!(
            "{path}.type: {other} is not one of {ALLOWED_TYPES:?}"
        )),
        None => problems.push(format!("{path}.type: missing")),
    }
    for (key, value) in obj {
        let here = format!("{path}.{key}");
        match key.as_str() {
            "type" => {}
            "description" | "pattern" | "title" => {
                if !value.is_string() {
                    problems.push(format!("{here}: must be a string"));
                }
            }
            "format" => {
                if !value.as_str().is_some_and(|f| ALLOWED_FORMATS.contains(&f)) {
                    problems.push(format!("{here}: {value} is not one of {ALLOWED_FORMATS:?}"));
                }
            }
            "enum" => {
                if !value
                    .as_array()
                    .is_some_and(|v| v.iter().all(Value::is_string))
                {
                    problems.push(format!("{here}: must be an array of strings"));
                }
            }
            "required" => {
                let names = value.as_array().filter(|v| v.iter().all(Value::is_string));
                match names {
                    None => problems.push(format!("{here}: must be an array of strings")),
                    Some(names) => {
                        for name in names.iter().filter_map(Value::as_str) {
                            if obj.get("properties").and_then(|p| p.get(name)).is_none() {
                                problems.push(format!("{here}: {name:?} is not a property"));
                            }
                        }
                    }
                }
            }
            "items" => check_subschema(value, &here, problems),
            "properties" => match value.as_object() {
                Some(props) => {
                    for (name, sub) in props {
                        check_subschema(sub, &format!("{here}.{name}"), problems);
                    }
                }
                None => problems.push(format!("{here}: must be an object")),
            },
            other => problems.push(format!("{here}: keyword {other:?} is not accepted by VAPI")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn option_unions_and_unknown_keywords_are_reduced() {
        let generated = json!({
            "$schema": "http://json-schema.org/draft-07/schema#",
            "title": "X",
            "description": "Does X.",
            "type": "object",
            "additionalProperties": false,
            "properties": {
                "id": {"type": ["integer", "null"], "format": "int64", "minimum": 0, "default": null, "description": "Id."},
                "when": {"anyOf": [{"type": "string", "format": "date"}, {"type": "null"}], "description": "Day."},
                "kinds": {"type": "array", "items": {"type": "string", "enum": ["a", "b", null]}}
            },
            "required": ["kinds"]
        });
        let reduced = vapi_subset(&generated);
        assert_eq!(
            reduced,
            json!({
                "type": "object",
                "properties": {
                    "id": {"type": "integer", "description": "Id."},
                    "when": {"type": "string", "format": "date", "description": "Day."},
                    "kinds": {"type": "array", "items": {"type": "string", "enum": ["a", "b"]}}
                },
                "required": ["kinds"]
            })
        );
        assert!(vapi_subset_violations(&reduced).is_empty());
    }

    #[test]
    fn violations_name_their_paths() {
        let bad = json!({
            "type": "object",
            "properties": {"a": {"type": ["string", "null"], "minimum": 1, "format": "int64"}},
            "$defs": {}
        });
        let problems = vapi_subset_violations(&bad).join("\n");
        assert!(problems.contains("parameters.$defs"), "{problems}");
        assert!(
            problems.contains("parameters.properties.a.type"),
            "{problems}"
        );
        assert!(
            problems.contains("parameters.properties.a.minimum"),
            "{problems}"
        );
        assert!(
            problems.contains("parameters.properties.a.format"),
            "{problems}"
        );
    }

    #[test]
    fn every_tool_has_a_schema_in_the_subset() {
        let all = all_tool_schemas();
        assert_eq!(all.len(), Tool::ALL.len());
        for (name, tool) in all {
            assert_eq!(
                vapi_subset_violations(&tool),
                Vec::<String>::new(),
                "{name}"
            );
            assert!(
                tool.pointer("/function/description")
                    .and_then(Value::as_str)
                    .is_some_and(|d| !d.is_empty()),
                "{name} has a description"
            );
        }
        assert!(tool_schema("nope").is_none());
    }
}
