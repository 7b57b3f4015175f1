//! The assistant as code: its definition (snapshot), and push / pull / diff against a strict
//! in-process VAPI fake, through the library and through the `vapi-cal` binary.

use std::process::Output;

use secrecy::SecretString;
use serde_json::{Value, json};
use vapi_cal::assistant::{self, AssistantSpec, PushAction};

use crate::vapi_fake::{VAPI_KEY, VapiFake, validate_assistant};

const SECRET: &str = "whsec_test_4f9a";
const HMAC_SECRET: &str = "hmac_test_83c1";

fn spec() -> AssistantSpec {
    AssistantSpec {
        name: "Scheduler".into(),
        public_url: "https://cal.example.com".into(),
        business_tz: chrono_tz::America::New_York,
        business_language: vapi_cal::domain::language::Language::En,
        webhook_secret: Some(SecretString::from(SECRET)),
        webhook_hmac_secret: Some(SecretString::from(HMAC_SECRET)),
        tool_deadline_ms: 9000,
        overrides: None,
        transfer_number: None,
    }
}

fn desired() -> Value {
    spec().definition().expect("definition builds")
}

/// The whole definition, as `push` sends it: a change shows as a snapshot to review (see README,
/// Tests).
#[test]
fn definition_matches_the_snapshot() {
    insta::assert_json_snapshot!("assistant_definition", desired());
}

#[test]
fn definition_is_what_vapi_accepts() {
    let d = desired();
    assert_eq!(validate_assistant(&d), Vec::<String>::new());
    assert_eq!(d["model"]["provider"], "openai");
    assert_eq!(d["model"]["model"], "gpt-4o");
    // A voice and a transcriber that speak both languages, and the language switch subscribed.
    assert_eq!(
        d["voice"],
        json!({"provider": "11labs", "voiceId": "sarah", "model": "eleven_turbo_v2_5"})
    );
    assert_eq!(
        d["transcriber"],
        json!({"provider": "deepgram", "model": "nova-3", "language": "multi"})
    );
    assert!(
        d["serverMessages"]
            .as_array()
            .unwrap()
            .contains(&json!("language-change-detected"))
    );
    assert_eq!(
        d["model"]["tools"][0]["messages"][0]["contents"][1]["language"],
        "es"
    );
    let prompt = d["model"]["messages"][0]["content"].as_str().unwrap();
    assert!(prompt.contains(r#"{{"now" | date: "%A, %B %d, %Y, %I:%M %p", "America/New_York"}}"#));
    let tools = d["model"]["tools"].as_array().unwrap();
    // Every tool but the staff-only user_create (see public_identity for the staff assistant).
    assert_eq!(tools.len(), 10);
    assert!(tools.iter().all(|t| t["function"]["name"] != "user_create"));
    for tool in tools {
        let name = tool["function"]["name"].as_str().unwrap();
        let generated = vapi_cal::tools::schema::tool_schema(name).unwrap();
        assert_eq!(tool["function"], generated["function"], "{name}");
        assert_eq!(
            tool["server"]["url"],
            "https://cal.example.com/vapi/webhook"
        );
        assert_eq!(
            tool["server"]["headers"]["Authorization"],
            format!("Bearer {SECRET}")
        );
        assert_eq!(tool["server"]["timeoutSeconds"], 12);
        assert_eq!(tool["messages"][0]["type"], "request-start");
    }
    assert_eq!(
        d["serverMessages"],
        json!([
            "tool-calls",
            "language-change-detected",
            "status-update",
            "end-of-call-report",
            "hang",
            "conversation-update",
            "transcript[transcriptType=\"final\"]"
        ])
    );
}

#[tokio::test]
async fn push_creates_then_a_second_push_changes_nothing() {
    let fake = VapiFake::spawn().await;
    let client = fake.client();
    let first = assistant::push(Some(&client), &desired(), None, false)
        .await
        .expect("push creates");
    assert_eq!(first.action, PushAction::Create);
    let live = fake.assistants();
    assert_eq!(live.len(), 1);
    assert_eq!(first.assistant_id.as_deref(), live[0]["id"].as_str());
    // The real secret is sent to VAPI; only what is printed is masked.
    assert_eq!(
        live[0]["server"]["headers"]["Authorization"],
        format!("Bearer {SECRET}")
    );
    assert!(
        first
            .to_string()
            .contains("Created assistant \"Scheduler\"")
    );

    let second = assistant::push(Some(&client), &desired(), None, false)
        .await
        .expect("second push");
    assert_eq!(second.action, PushAction::None, "{:#?}", second.changes);
    assert!(second.to_string().contains("up to date"), "{second}");
    let writes = fake.writes();
    assert_eq!(writes.len(), 1, "only the first POST: {writes:?}");
    assert_eq!(writes[0].method, "POST");
    assert_eq!(
        writes[0].body.as_ref(),
        Some(&desired()),
        "the exact definition is sent"
    );
}

#[tokio::test]
async fn a_changed_prompt_is_a_patch_with_a_field_diff() {
    let fake = VapiFake::spawn().await;
    let client = fake.client();
    assistant::push(Some(&client), &desired(), None, false)
        .await
        .unwrap();
    let id = fake.assistants()[0]["id"].as_str().unwrap().to_owned();

    let mut changed = desired();
    let prompt = changed["model"]["messages"][0]["content"]
        .as_str()
        .unwrap()
        .to_owned();
    changed["model"]["messages"][0]["content"] =
        json!(format!("{prompt}\n- Always spell out the caller's name."));
    let report = assistant::push(Some(&client), &changed, None, false)
        .await
        .unwrap();
    assert_eq!(report.action, PushAction::Update);
    let paths: Vec<&str> = report.changes.iter().map(|c| c.path.as_str()).collect();
    assert_eq!(paths, ["model.messages[0].content"]);
    let text = report.to_string();
    assert!(text.contains("model.messages[0].content: \"…"), "{text}");
    assert!(text.contains("spell out the caller's name"), "{text}");

    let patches: Vec<_> = fake
        .writes()
        .into_iter()
        .filter(|r| r.method == "PATCH")
        .collect();
    assert_eq!(patches.len(), 1);
    assert_eq!(patches[0].path, format!("/assistant/{id}"));
    assert_eq!(
        fake.assistants()[0]["model"]["messages"][0]["content"],
        changed["model"]["messages"][0]["content"]
    );
    let diff = assistant::diff_live(&client, &changed, None).await.unwrap();
    assert!(diff.in_sync(), "{diff}");
}

#[tokio::test]
async fn dry_run_writes_nothing_and_masks_the_secret() {
    let fake = VapiFake::spawn().await;
    let client = fake.client();
    let report = assistant::push(Some(&client), &desired(), None, true)
        .await
        .unwrap();
    assert_eq!(report.action, PushAction::Create);
    assert!(fake.writes().is_empty());
    assert!(fake.assistants().is_empty());
    let text = report.to_string();
    assert!(text.contains("Dry run"), "{text}");
    assert!(text.contains("\"Authorization\": \"Bearer ***\""), "{text}");
    assert!(!text.contains(SECRET), "{text}");

    // With a live assistant that differs, a dry run shows the diff and still sends nothing.
    let id = fake.insert(desired());
    fake.edit(&id, "/firstMessage", json!("Hello from the dashboard."));
    let report = assistant::push(Some(&client), &desired(), None, true)
        .await
        .unwrap();
    assert_eq!(report.action, PushAction::Update);
    let text = report.to_string();
    assert!(
        text.contains("firstMessage: \"Hello from the dashboard.\" → \"{% if callerName"),
        "{text}"
    );
    assert!(text.contains(&format!("PATCH /assistant/{id}")), "{text}");
    assert!(fake.writes().is_empty());
}

#[tokio::test]
async fn a_rotated_secret_is_a_change_but_never_printed() {
    let fake = VapiFake::spawn().await;
    let client = fake.client();
    assistant::push(Some(&client), &desired(), None, false)
        .await
        .unwrap();
    let mut rotated = spec();
    rotated.webhook_secret = Some(SecretString::from("whsec_rotated_77"));
    let report = assistant::push(Some(&client), &rotated.definition().unwrap(), None, false)
        .await
        .unwrap();
    assert_eq!(report.action, PushAction::Update);
    let text = report.to_string();
    assert!(
        text.contains("server.headers.Authorization: \"Bearer ***\" → \"Bearer ***\""),
        "{text}"
    );
    assert!(
        !text.contains(SECRET) && !text.contains("whsec_rotated_77"),
        "{text}"
    );
    assert_eq!(
        fake.assistants()[0]["server"]["headers"]["Authorization"],
        "Bearer whsec_rotated_77"
    );
}

#[tokio::test]
async fn pull_returns_the_live_assistant_without_managed_fields_or_secrets() {
    let fake = VapiFake::spawn().await;
    let client = fake.client();
    assistant::push(Some(&client), &desired(), None, false)
        .await
        .unwrap();
    let pulled = assistant::pull(&client, None, "Scheduler").await.unwrap();
    assert_eq!(
        pulled.assistant_id,
        fake.assistants()[0]["id"].as_str().unwrap()
    );
    for managed in ["id", "orgId", "createdAt", "updatedAt"] {
        assert!(pulled.assistant.get(managed).is_none(), "{managed}");
    }
    assert_eq!(pulled.assistant["name"], "Scheduler");
    assert_eq!(
        pulled.assistant["server"]["headers"]["Authorization"],
        "Bearer ***"
    );
    assert!(!pulled.assistant.to_string().contains(SECRET));
    // Defaults VAPI added are kept: the pull shows what is live.
    assert_eq!(pulled.assistant["model"]["maxTokens"], 250);

    let missing = assistant::pull(&client, None, "Nobody").await.unwrap_err();
    assert!(format!("{missing:#}").contains("no assistant named \"Nobody\""));
}

#[tokio::test]
async fn diff_says_whether_live_and_repository_are_in_sync() {
    let fake = VapiFake::spawn().await;
    let client = fake.client();
    let before = assistant::diff_live(&client, &desired(), None)
        .await
        .unwrap();
    assert!(!before.in_sync());
    assert!(before.to_string().contains("would create it"), "{before}");

    assistant::push(Some(&client), &desired(), None, false)
        .await
        .unwrap();
    let synced = assistant::diff_live(&client, &desired(), None)
        .await
        .unwrap();
    assert!(synced.in_sync(), "{synced}");
    assert!(synced.to_string().starts_with("In sync"), "{synced}");

    let id = synced.assistant_id.clone().unwrap();
    fake.edit(&id, "/model/temperature", json!(0.9));
    let drifted = assistant::diff_live(&client, &desired(), None)
        .await
        .unwrap();
    assert!(!drifted.in_sync());
    let text = drifted.to_string();
    assert!(text.starts_with("Out of sync"), "{text}");
    assert!(text.contains("model.temperature: 0.9 → 0.3"), "{text}");
    assert!(fake.writes().len() == 1, "diff never writes");
}

#[tokio::test]
async fn lookup_by_id_and_ambiguous_names() {
    let fake = VapiFake::spawn().await;
    let client = fake.client();
    let id = fake.insert(json!({"name": "Front desk"}));
    // By id, the name does not matter: the assistant is renamed by the PATCH.
    let report = assistant::push(Some(&client), &desired(), Some(&id), false)
        .await
        .unwrap();
    assert_eq!(report.action, PushAction::Update);
    assert!(report.changes.iter().any(|c| c.path == "name"));
    assert_eq!(fake.assistants()[0]["name"], "Scheduler");

    let err = assistant::push(Some(&client), &desired(), Some("no-such-id"), false)
        .await
        .unwrap_err();
    assert!(format!("{err:#}").contains("404"), "{err:#}");

    fake.insert(json!({"name": "Scheduler"}));
    let err = assistant::push(Some(&client), &desired(), None, false)
        .await
        .unwrap_err();
    assert!(
        format!("{err:#}").contains("set VAPI_ASSISTANT_ID"),
        "{err:#}"
    );
}

#[tokio::test]
async fn vapi_errors_are_readable() {
    let fake = VapiFake::spawn().await;
    let mut bad = desired();
    bad["serverUrl"] = json!("https://old.example.com");
    bad["model"]["tools"][0]["function"]["strictMode"] = json!(true);
    let err = assistant::push(Some(&fake.client()), &bad, None, false)
        .await
        .unwrap_err();
    let text = format!("{err:#}");
    assert!(text.contains("400 Bad Request"), "{text}");
    assert!(
        text.contains("property serverUrl should not exist"),
        "{text}"
    );
    assert!(
        text.contains("property model.tools.0.function.strictMode should not exist"),
        "{text}"
    );

    let err = assistant::diff_live(&fake.client_with_key("wrong"), &desired(), None)
        .await
        .unwrap_err();
    assert!(format!("{err:#}").contains("401 Unauthorized"), "{err:#}");
}

fn run_cli(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_vapi-cal"));
    command
        .args(args)
        .env_clear()
        .env("PUBLIC_URL", "https://cal.example.com")
        .env("BUSINESS_TIMEZONE", "America/New_York")
        .env("VAPI_WEBHOOK_SECRET", SECRET)
        .env("VAPI_WEBHOOK_HMAC_SECRET", HMAC_SECRET)
        .env("RUST_LOG", "off")
        .current_dir(std::env::temp_dir());
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().expect("binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn cli_dry_run_works_without_an_api_key() {
    let output = run_cli(&["assistant", "push", "--dry-run"], &[]);
    assert!(output.status.success(), "{output:?}");
    let out = stdout(&output);
    assert!(
        out.contains("skipped looking up the live assistant"),
        "{out}"
    );
    assert!(out.contains("Bearer ***"), "{out}");
    assert!(out.contains("\"secretKey\": \"***\""), "{out}");
    assert!(!out.contains(SECRET), "{out}");
    assert!(!out.contains(HMAC_SECRET), "{out}");
    // The printed body is the exact JSON, secrets aside.
    let start = out.find("\n{").unwrap() + 1;
    let end = out.rfind("\n}").unwrap() + 2;
    let printed: Value = serde_json::from_str(&out[start..end]).unwrap();
    assert_eq!(printed, assistant::masked(&desired()));

    // Empty lines in .env (`VAPI_API_KEY=`) mean "not set".
    let empty = run_cli(
        &["assistant", "push", "--dry-run"],
        &[
            ("VAPI_API_KEY", ""),
            ("VAPI_ASSISTANT_ID", ""),
            ("VAPI_ASSISTANT_OVERRIDES_FILE", ""),
        ],
    );
    assert!(empty.status.success(), "{empty:?}");
    assert!(stdout(&empty).contains("skipped looking up the live assistant"));

    let refused = run_cli(&["assistant", "push"], &[]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("VAPI_API_KEY"));
}

#[tokio::test]
async fn cli_push_pull_and_diff_against_the_fake() {
    let fake = VapiFake::spawn().await;
    let url = fake.url.clone();
    let env = [("VAPI_API_URL", url.as_str()), ("VAPI_API_KEY", VAPI_KEY)];
    let env_owned: Vec<(String, String)> = env
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    let run = move |args: &'static [&'static str]| {
        let env = env_owned.clone();
        tokio::task::spawn_blocking(move || {
            let pairs: Vec<(&str, &str)> =
                env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            run_cli(args, &pairs)
        })
    };

    let pushed = run(&["assistant", "push"]).await.unwrap();
    assert!(pushed.status.success(), "{pushed:?}");
    assert!(stdout(&pushed).contains("Created assistant"));
    let again = run(&["assistant", "push"]).await.unwrap();
    assert!(stdout(&again).contains("nothing changed"), "{again:?}");

    let diff = run(&["assistant", "diff"]).await.unwrap();
    assert!(diff.status.success());
    assert!(stdout(&diff).starts_with("In sync"), "{diff:?}");

    let id = fake.assistants()[0]["id"].as_str().unwrap().to_owned();
    fake.edit(&id, "/endCallMessage", json!("Bye."));
    let drift = run(&["assistant", "diff"]).await.unwrap();
    assert!(drift.status.success(), "out of sync still exits 0");
    assert!(stdout(&drift).contains("Out of sync"), "{drift:?}");
    assert!(
        stdout(&drift).contains("endCallMessage: \"Bye.\""),
        "{drift:?}"
    );

    let file = std::env::temp_dir().join(format!("vapi-cal-pull-{}.json", uuid::Uuid::new_v4()));
    let file_arg: &'static str = Box::leak(file.display().to_string().into_boxed_str());
    let args: &'static [&'static str] =
        Box::leak(vec!["assistant", "pull", "--out", file_arg].into_boxed_slice());
    let pulled = run(args).await.unwrap();
    assert!(pulled.status.success(), "{pulled:?}");
    let written: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(written["endCallMessage"], "Bye.");
    assert!(written.get("id").is_none());
    assert!(!written.to_string().contains(SECRET));
    let _ = std::fs::remove_file(&file);
}

#[test]
fn cli_diff_fails_when_vapi_cannot_be_reached() {
    let output = run_cli(
        &["assistant", "diff"],
        &[
            ("VAPI_API_URL", "http://127.0.0.1:9"),
            ("VAPI_API_KEY", "k"),
        ],
    );
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("could not be reached"), "{stderr}");
}
