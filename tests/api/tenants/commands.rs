//! The tenants file and the commands: a bad file refused line by line, commands acting on each
//! business or the one named, and the file read again while serving (SIGHUP).

use std::time::Duration;

use serde_json::{Value, json};
use vapi_cal::app;

use super::*;
use crate::support::{CALLER, at};

/// `serve` refuses a bad tenants file before it listens, naming every problem with its line;
/// `tenants check` says the same, and says what a good file gives each business.
#[tokio::test]
async fn a_bad_tenants_file_is_refused_with_every_problem_named() {
    let path = std::env::temp_dir().join(format!(
        "vapi-cal-bad-tenants-{}.toml",
        uuid::Uuid::new_v4().simple()
    ));
    std::fs::write(
        &path,
        "[[tenant]]\nslug = \"smile\"\nname = \"Smile\"\ntime_zone = \"Mars/Base\"\ncal_api_key = \"env:VAPI_CAL_TEST_UNSET_KEY\"\nevent_type_ids = [1]\ncal_webhook_secrets = [\"a-long-cal-secret-0123\"]\nvapi_webhook_secrets = [\"a-long-vapi-secret-0123\"]\nfavourite_colour = \"blue\"\n",
    )
    .expect("write");
    let _file = TempFile(path.clone());
    let run = |args: &[&str]| {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_vapi-cal"));
        command
            .args(args)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("TENANTS_FILE", &path)
            .env("LISTEN_ADDR", "127.0.0.1:0")
            .env("DATABASE_URL", "sqlite::memory:");
        command.output().expect("the binary runs")
    };
    for args in [&["tenants", "check"][..], &["serve"][..]] {
        let output = run(args);
        let said = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(!output.status.success(), "{args:?}: {said}");
        for needle in [
            "line 4: tenant 'smile': time_zone: 'Mars/Base' is not an IANA time zone",
            "line 5: tenant 'smile': cal_api_key: the environment variable VAPI_CAL_TEST_UNSET_KEY is not set",
            "line 9: unknown key 'favourite_colour'",
        ] {
            assert!(said.contains(needle), "{args:?} lacks {needle}: {said}");
        }
    }
    std::fs::write(
        &path,
        "[[tenant]]\nslug = \"smile\"\nname = \"Smile\"\ntime_zone = \"Asia/Kolkata\"\ncal_api_key = \"inline-cal-key\"\nevent_type_ids = [1, 2]\ncal_webhook_secrets = [\"a-long-cal-secret-0123\"]\nvapi_webhook_secrets = [\"a-long-vapi-secret-0123\"]\n",
    )
    .expect("write");
    let output = run(&["tenants", "check"]);
    let said = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{said}");
    assert!(
        said.contains("smile (Smile): Asia/Kolkata, en, 2 event type(s)"),
        "{said}"
    );
    assert!(said.contains("/t/smile/vapi/webhook"), "{said}");
    assert!(
        said.contains("warning: line 5: tenant 'smile': cal_api_key is written inline"),
        "{said}"
    );
    assert!(
        !said.contains("inline-cal-key"),
        "secrets are never printed: {said}"
    );
}

/// The commands that concern a business act on every business of the file, or the one
/// `--tenant` names, each with its own Cal.com, table and routes.
#[tokio::test]
async fn commands_act_on_each_business_or_the_one_named() {
    let world = TwoBusinesses::start().await;
    world.smile.seed_booking(vapi_cal::simulator::SeedBooking {
        uid: "smile-seeded".to_owned(),
        event_type_id: SMILE_EVENT,
        start: at("2026-11-24T15:00:00Z"),
        attendee_name: "Pat Caller".to_owned(),
        attendee_email: None,
        attendee_phone: Some(CALLER.to_owned()),
        attendee_time_zone: "America/New_York".to_owned(),
    });
    // The simulators answer on this test's runtime: the command is awaited, never blocked on.
    let run = async |args: &[&str]| {
        let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_vapi-cal"));
        command
            .args(args)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("TENANTS_FILE", &world.file.0)
            .env("DATABASE_URL", &world.test_db.url)
            .env("PUBLIC_URL", "https://voice.example.com");
        let output = command.output().await.expect("the binary runs");
        let said = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        (
            output.status.success(),
            said,
            String::from_utf8_lossy(&output.stdout).into_owned(),
        )
    };

    let (ok, said, _) = run(&["sync", "bookings", "--tenant", "cut"]).await;
    assert!(ok, "{said}");
    assert!(said.contains("Synced 0 bookings"), "{said}");
    assert!(
        world
            .db_of("smile")
            .appointment("smile-seeded")
            .await
            .expect("read")
            .is_none()
    );
    let (ok, said, _) = run(&["sync", "bookings"]).await;
    assert!(ok, "{said}");
    assert!(
        said.contains("== Smile Dental (smile)") && said.contains("== Cut & Colour (cut)"),
        "{said}"
    );
    assert!(
        world
            .db_of("smile")
            .appointment("smile-seeded")
            .await
            .expect("read")
            .is_some()
    );
    assert!(
        world
            .db_of("cut")
            .appointment("smile-seeded")
            .await
            .expect("read")
            .is_none()
    );

    let (ok, said, _) = run(&["calcom", "register-webhook", "--dry-run", "--tenant", "cut"]).await;
    assert!(ok, "{said}");
    assert!(
        said.contains("https://voice.example.com/t/cut/cal/webhook"),
        "{said}"
    );
    assert!(!said.contains("/t/smile/"), "{said}");

    let (ok, said, out) = run(&[
        "stats",
        "--json",
        "--tenant",
        "smile",
        "--from",
        "2026-11-20",
        "--to",
        "2026-11-21",
    ])
    .await;
    assert!(ok, "{said}");
    let report: Value = serde_json::from_str(out.trim()).expect("one report");
    assert!(
        report.get("smile").is_none() && report.get("cut").is_none(),
        "one business's report: {report}"
    );
    let (ok, said, out) = run(&[
        "stats",
        "--json",
        "--from",
        "2026-11-20",
        "--to",
        "2026-11-21",
    ])
    .await;
    assert!(ok, "{said}");
    let both: Value = serde_json::from_str(out.trim()).expect("one report per business");
    assert!(
        both.get("smile").is_some() && both.get("cut").is_some(),
        "{both}"
    );

    let (ok, said, _) = run(&["stats", "--tenant", "nobody"]).await;
    assert!(!ok);
    assert!(
        said.contains("--tenant nobody: no such business") && said.contains("smile, cut"),
        "{said}"
    );
}

/// Reading the file again replaces the businesses served: a business added answers on its
/// route, one removed is gone, the others keep serving; a bad file is refused and the running
/// set kept.
#[tokio::test]
async fn reading_the_file_again_replaces_the_businesses_served() {
    let mut world = TwoBusinesses::start().await;
    let ask = |call: &str| tool_call(call, None, "user_read", json!({}));
    let original = std::fs::read_to_string(&world.file.0).expect("read");
    let cut_start = original
        .find("[[tenant]]\nslug = \"cut\"")
        .expect("the salon's table");
    let third = r#"[[tenant]]
slug = "third"
name = "Third Place"
time_zone = "Asia/Kolkata"
cal_api_key = "cal_key_third"
event_type_ids = [31]
cal_webhook_secrets = ["third-cal-secret-0123456789"]
vapi_webhook_secrets = ["third-vapi-secret-0123456789"]
"#;
    std::fs::write(&world.file.0, format!("{}{third}", &original[..cut_start])).expect("write");
    let reloaded = world.reloader.reload(&mut world.jobs);
    assert_eq!(
        reloaded,
        app::reload::Reloaded::Serving(vec!["smile".to_owned(), "third".to_owned()])
    );
    let (status, body) = world
        .post(
            "/t/third/vapi/webhook",
            &ask("call-t1"),
            &[("x-vapi-secret", "third-vapi-secret-0123456789")],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, _) = world
        .post(
            "/t/cut/vapi/webhook",
            &ask("call-c9"),
            &[("x-vapi-secret", CUT_VAPI)],
        )
        .await;
    assert_eq!(status, 404, "the salon is no longer served");
    let (status, _) = world
        .post(
            "/t/smile/vapi/webhook",
            &ask("call-s9"),
            &[("x-vapi-secret", SMILE_VAPI)],
        )
        .await;
    assert_eq!(status, 200, "the clinic still is");

    // A bad file changes nothing.
    std::fs::write(&world.file.0, "[[tenant]]\nslug = \"broken\"\ncolour = 1\n").expect("write");
    match world.reloader.reload(&mut world.jobs) {
        app::reload::Reloaded::Refused(why) => {
            assert!(why.contains("line 3: unknown key 'colour'"), "{why}");
        }
        other => panic!("refused, not {other:?}"),
    }
    let (status, _) = world
        .post(
            "/t/third/vapi/webhook",
            &ask("call-t2"),
            &[("x-vapi-secret", "third-vapi-secret-0123456789")],
        )
        .await;
    assert_eq!(status, 200, "the running set is kept");
}

/// `serve` reads the tenants file again on SIGHUP.
#[cfg(unix)]
#[tokio::test]
async fn serve_reads_the_tenants_file_again_on_sighup() {
    let dir = std::env::temp_dir();
    let path = dir.join(format!(
        "vapi-cal-hup-{}.toml",
        uuid::Uuid::new_v4().simple()
    ));
    let _file = TempFile(path.clone());
    let db = crate::support::TempSqlite::new("hup");
    let business = |slug: &str| {
        format!(
            "[[tenant]]\nslug = \"{slug}\"\nname = \"{slug}\"\ntime_zone = \"UTC\"\ncal_api_key = \"key-{slug}\"\nevent_type_ids = [1]\ncal_webhook_secrets = [\"{slug}-cal-secret-0123456789\"]\nvapi_webhook_secrets = [\"{slug}-vapi-secret-0123456789\"]\n"
        )
    };
    std::fs::write(&path, business("first")).expect("write");
    let port = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").expect("free port");
        probe.local_addr().expect("addr").port()
    };
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_vapi-cal"))
        .arg("serve")
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("TENANTS_FILE", &path)
        .env("DATABASE_URL", &db.url)
        .env("LISTEN_ADDR", format!("127.0.0.1:{port}"))
        .env("CAL_SYNC_INTERVAL_SECS", "0")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("serve starts");
    let url = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    let status_of = |slug: &'static str| {
        let (client, url) = (client.clone(), url.clone());
        async move {
            let body = json!({"message": {"type": "status-update", "status": "ringing",
                "call": {"id": format!("hup-{slug}")}}});
            client
                .post(format!("{url}/t/{slug}/vapi/webhook"))
                .header("x-vapi-secret", format!("{slug}-vapi-secret-0123456789"))
                .json(&body)
                .send()
                .await
                .map(|r| r.status().as_u16())
                .unwrap_or(0)
        }
    };
    // Wait for the state asserted: serving, then serving the second business.
    let until = |slug: &'static str, want: u16| {
        let status_of = &status_of;
        async move {
            for _ in 0..300 {
                if status_of(slug).await == want {
                    return true;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            false
        }
    };
    assert!(
        until("first", 200).await,
        "serve answers for the first business"
    );
    assert_eq!(status_of("second").await, 404);
    std::fs::write(
        &path,
        format!("{}{}", business("first"), business("second")),
    )
    .expect("write");
    let pid = child.id().expect("pid").to_string();
    let hup = tokio::process::Command::new("kill")
        .args(["-HUP", &pid])
        .status()
        .await
        .expect("kill runs");
    assert!(hup.success());
    assert!(
        until("second", 200).await,
        "the second business is served after SIGHUP"
    );
    assert_eq!(status_of("first").await, 200);
    child.kill().await.expect("stop serve");
}

/// Two small businesses in a tenants file (`smile` and `cut`, each with `extra` lines of its own)
/// beside a VAPI fake, and the binary run against them with `VAPI_API_KEY` and `env`.
struct PushWorld {
    fake: crate::vapi_fake::VapiFake,
    test_db: crate::support::TestDb,
    dir: std::path::PathBuf,
    file: std::path::PathBuf,
}

impl PushWorld {
    async fn start(
        prefix: &str,
        smile_extra: &dyn Fn(&std::path::Path) -> String,
        cut_extra: &str,
    ) -> Self {
        let fake = crate::vapi_fake::VapiFake::spawn().await;
        let test_db = crate::support::TestDb::new().await;
        let dir = std::env::temp_dir().join(format!(
            "vapi-cal-{prefix}-{}",
            uuid::Uuid::new_v4().simple()
        ));
        std::fs::create_dir_all(&dir).expect("dir");
        let file = dir.join("tenants.toml");
        let business = |slug: &str, extra: &str| {
            format!(
                "[[tenant]]\nslug = \"{slug}\"\nname = \"{slug} place\"\ntime_zone = \"UTC\"\ncal_api_key = \"key-{slug}\"\nevent_type_ids = [1]\ncal_webhook_secrets = [\"{slug}-cal-secret-0123456789\"]\nvapi_webhook_secrets = [\"{slug}-vapi-secret-0123456789\"]\n{extra}"
            )
        };
        std::fs::write(
            &file,
            format!(
                "{}{}",
                business("smile", &smile_extra(&dir)),
                business("cut", cut_extra)
            ),
        )
        .expect("write");
        Self {
            fake,
            test_db,
            dir,
            file,
        }
    }

    /// Runs the binary with `args` and `env`: whether it succeeded, and all it printed.
    async fn run(&self, args: &[&str], env: &[(&str, &str)]) -> (bool, String) {
        let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_vapi-cal"))
            .args(args)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("TENANTS_FILE", &self.file)
            .env("DATABASE_URL", &self.test_db.url)
            .env("PUBLIC_URL", "https://voice.example.com")
            .env("VAPI_API_URL", &self.fake.url)
            .env("VAPI_API_KEY", crate::vapi_fake::VAPI_KEY)
            .env("RUST_LOG", "off")
            .envs(env.iter().copied())
            .output()
            .await
            .expect("the binary runs");
        (
            output.status.success(),
            format!(
                "{}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            ),
        )
    }
}

impl Drop for PushWorld {
    fn drop(&mut self) {
        // Already gone is fine.
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Each business's assistant is pushed with its own route and secret, and a push never
/// overwrites edits made on VAPI since the last one: it shows them and stops, until they are
/// adopted into the business's overrides file (`assistant pull --tenant`) or `--force`d.
#[tokio::test]
async fn a_push_never_overwrites_edits_made_on_vapi_since_the_last_one() {
    let world = PushWorld::start(
        "push",
        &|dir| {
            format!(
                "assistant_overrides = '{}'\n",
                dir.join("smile.json").display()
            )
        },
        "",
    )
    .await;
    let (fake, overrides) = (&world.fake, world.dir.join("smile.json"));
    let run = async |args: &[&str]| world.run(args, &[]).await;

    // Both businesses get an assistant of their own, each pointing at its own route.
    let (ok, said) = run(&["assistant", "push"]).await;
    assert!(ok, "{said}");
    let assistants = fake.assistants();
    assert_eq!(assistants.len(), 2, "{said}");
    let smile = assistants
        .iter()
        .find(|a| a["server"]["url"] == "https://voice.example.com/t/smile/vapi/webhook")
        .expect("the clinic's assistant calls the clinic's route");
    assert!(
        assistants
            .iter()
            .any(|a| a["server"]["url"] == "https://voice.example.com/t/cut/vapi/webhook"),
        "{assistants:#?}"
    );
    assert!(
        smile["name"]
            .as_str()
            .unwrap_or_default()
            .contains("smile place"),
        "{smile}"
    );
    let id = smile["id"].as_str().expect("id").to_owned();

    // Someone edits the clinic's greeting on VAPI.
    fake.edit(&id, "/firstMessage", json!("Edited in the dashboard"));
    let writes = fake.writes().len();
    let (ok, said) = run(&["assistant", "push", "--tenant", "smile"]).await;
    assert!(!ok, "{said}");
    assert!(
        said.contains("edited on VAPI since the last push") && said.contains("firstMessage"),
        "{said}"
    );
    assert!(said.contains("Edited in the dashboard"), "{said}");
    assert_eq!(fake.writes().len(), writes, "nothing was written");
    let live = fake
        .assistants()
        .into_iter()
        .find(|a| a["id"] == id.as_str())
        .expect("live");
    assert_eq!(live["firstMessage"], "Edited in the dashboard");

    // Adopted into the clinic's overrides file, the edit is kept by the next push.
    let (ok, said) = run(&["assistant", "pull", "--tenant", "smile"]).await;
    assert!(ok, "{said}");
    let adopted: Value =
        serde_json::from_str(&std::fs::read_to_string(&overrides).expect("overrides written"))
            .expect("json");
    assert_eq!(adopted["firstMessage"], "Edited in the dashboard");
    assert!(
        adopted.get("server").is_none(),
        "the server stays the service's: {adopted}"
    );
    let (ok, said) = run(&["assistant", "push", "--tenant", "smile"]).await;
    assert!(ok, "{said}");
    let live = fake
        .assistants()
        .into_iter()
        .find(|a| a["id"] == id.as_str())
        .expect("live");
    assert_eq!(live["firstMessage"], "Edited in the dashboard");
    assert_eq!(
        live["server"]["url"],
        "https://voice.example.com/t/smile/vapi/webhook"
    );

    // Edited again: --force overwrites.
    fake.edit(&id, "/firstMessage", json!("Edited again"));
    let (ok, said) = run(&["assistant", "push", "--tenant", "smile"]).await;
    assert!(!ok, "{said}");
    let (ok, said) = run(&["assistant", "push", "--tenant", "smile", "--force"]).await;
    assert!(ok, "{said}");
    assert!(
        said.contains("VAPI's latest version of the assistant: 2."),
        "{said}"
    );
    let live = fake
        .assistants()
        .into_iter()
        .find(|a| a["id"] == id.as_str())
        .expect("live");
    assert_eq!(
        live["firstMessage"], "Edited in the dashboard",
        "the repository's (with its overrides) again"
    );
}

/// A business in a VAPI organisation of its own names its key (`vapi_api_key`): its assistant is
/// pushed, found and read with that key only, so it lives in (and is billed to) its own
/// organisation; a business without one uses the deployment's `VAPI_API_KEY`.
#[tokio::test]
async fn a_business_with_its_own_vapi_key_is_pushed_to_its_own_organisation() {
    use crate::vapi_fake::{ORG, OTHER_ORG, OTHER_ORG_KEY};
    let world = PushWorld::start(
        "orgs",
        &|_| String::new(),
        "vapi_api_key = \"env:CUT_VAPI_API_KEY\"\n",
    )
    .await;
    let fake = &world.fake;
    let run = async |args: &[&str]| {
        world
            .run(args, &[("CUT_VAPI_API_KEY", OTHER_ORG_KEY)])
            .await
    };

    let (ok, said) = run(&["tenants", "check"]).await;
    assert!(ok, "{said}");
    assert!(
        said.contains("smile (smile place)") && said.contains("the deployment's VAPI key"),
        "{said}"
    );
    assert!(said.contains("its own VAPI key"), "{said}");
    assert!(
        !said.contains(OTHER_ORG_KEY),
        "keys are never printed: {said}"
    );

    let (ok, said) = run(&["assistant", "push"]).await;
    assert!(ok, "{said}");
    let owner_of = |slug: &str| {
        fake.assistants()
            .into_iter()
            .find(|a| {
                a["server"]["url"] == format!("https://voice.example.com/t/{slug}/vapi/webhook")
            })
            .map(|a| a["orgId"].clone())
    };
    assert_eq!(owner_of("smile"), Some(json!(ORG)), "{said}");
    assert_eq!(owner_of("cut"), Some(json!(OTHER_ORG)), "{said}");
    // Every request about the salon's assistant went with the salon's key.
    let writes = fake.writes();
    for write in &writes {
        let url = &write.body.as_ref().expect("a body")["server"]["url"];
        let expected = if url.as_str().is_some_and(|u| u.contains("/t/cut/")) {
            OTHER_ORG
        } else {
            ORG
        };
        assert_eq!(write.org, Some(expected), "{write:?}");
    }

    // Pushed again, each finds its own assistant in its own organisation: nothing new is made.
    let (ok, said) = run(&["assistant", "push"]).await;
    assert!(ok, "{said}");
    assert_eq!(fake.assistants().len(), 2, "{said}");
}
