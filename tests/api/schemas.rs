//! The committed `tool-schemas/*.json` are what the code generates, and VAPI accepts them.

use std::path::PathBuf;

use serde_json::Value;
use vapi_cal::tools::{
    Tool,
    schema::{all_tool_schemas, render_file, vapi_subset_violations},
};

/// Every tool's name, as the assistant calls it.
fn tool_names() -> impl Iterator<Item = &'static str> {
    Tool::ALL.into_iter().map(Tool::name)
}

fn schema_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tool-schemas")
}

#[test]
fn committed_schemas_match_the_code() {
    let mut stale = Vec::new();
    for (name, schema) in all_tool_schemas() {
        let path = schema_dir().join(format!("{name}.json"));
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        if committed != render_file(&schema) {
            stale.push(path.display().to_string());
        }
    }
    assert!(
        stale.is_empty(),
        "tool schemas differ from the code: {}; run `cargo run -- schemas` to regenerate them",
        stale.join(", ")
    );
}

#[test]
fn one_schema_file_per_tool_and_nothing_else() {
    let mut files: Vec<String> = std::fs::read_dir(schema_dir())
        .expect("tool-schemas/ exists")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let mut expected: Vec<String> = tool_names().map(|n| format!("{n}.json")).collect();
    expected.sort();
    assert_eq!(files, expected);
    assert_eq!(files.len(), 11);
}

#[test]
fn every_committed_schema_is_in_the_vapi_subset() {
    for name in tool_names() {
        let path = schema_dir().join(format!("{name}.json"));
        let text = std::fs::read_to_string(&path).expect("schema file readable");
        assert!(
            text.ends_with("}\n"),
            "{name}: pretty JSON with a trailing newline"
        );
        let tool: Value = serde_json::from_str(&text).expect("valid JSON");
        assert_eq!(tool["type"], "function");
        assert_eq!(tool["function"]["name"], name);
        let problems = vapi_subset_violations(&tool);
        assert!(problems.is_empty(), "{name}: {problems:#?}");
        let params = &tool["function"]["parameters"];
        assert_eq!(params["type"], "object");
        assert!(params["properties"].is_object() && params["required"].is_array());
        for (field, prop) in params["properties"].as_object().unwrap() {
            assert!(
                prop["description"].as_str().is_some_and(|d| !d.is_empty()),
                "{name}.{field} has a description from its doc comment"
            );
        }
    }
}

#[test]
fn required_fields_follow_the_rust_types() {
    let required = |name: &str| -> Vec<String> {
        vapi_cal::tools::schema::tool_schema(name).unwrap()["function"]["parameters"]["required"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_owned())
            .collect()
    };
    // attendeeName may be left out: a returning caller's name comes from their last booking.
    assert_eq!(required("appointment_create"), ["start"]);
    assert_eq!(required("appointment_update"), ["appointmentId", "start"]);
    assert_eq!(required("appointment_cancel"), ["appointmentId"]);
    assert_eq!(required("user_create"), ["email", "name"]);
    assert!(required("availability_read").is_empty());
}

#[test]
fn schemas_check_command_reports_drift() {
    let dir = std::env::temp_dir().join(format!("vapi-cal-schemas-{}", uuid::Uuid::new_v4()));
    let bin = env!("CARGO_BIN_EXE_vapi-cal");
    let run = |args: &[&str]| {
        std::process::Command::new(bin)
            .args(args)
            .current_dir(std::env::temp_dir())
            .output()
            .expect("binary runs")
    };
    let out_dir = dir.display().to_string();
    let missing = run(&["schemas", "--out", &out_dir, "--check"]);
    assert!(!missing.status.success());
    let written = run(&["schemas", "--out", &out_dir]);
    assert!(written.status.success());
    assert!(
        run(&["schemas", "--out", &out_dir, "--check"])
            .status
            .success()
    );
    std::fs::write(dir.join("user_read.json"), "{}\n").unwrap();
    let drift = run(&["schemas", "--out", &out_dir, "--check"]);
    assert!(!drift.status.success());
    let stderr = String::from_utf8_lossy(&drift.stderr);
    assert!(
        stderr.contains("user_read.json") && !stderr.contains("user_create.json"),
        "{stderr}"
    );
    assert!(stderr.contains("cargo run -- schemas"), "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}
