//! Command line: subcommands and what each one runs.

use std::time::Duration;

use anyhow::{Context, bail};
use chrono::{DateTime, Utc};
use clap::{Parser, Subcommand};
use secrecy::ExposeSecret;
use tokio::net::TcpListener;

use crate::{
    app::{self, AppState},
    assistant::{self, AssistantSpec},
    calcom::CalClient,
    clock::Clock,
    config::Settings,
    db::Db,
    demo, sync,
    tools::ToolContext,
};

/// Runs a business's Cal.com calendar from a VAPI phone assistant.
#[derive(Parser, Debug)]
#[command(name = "vapi-cal", version, about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
    /// Settings (environment variables or flags).
    #[command(flatten)]
    pub settings: Settings,
}

/// Subcommands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Serve VAPI tool calls and Cal.com webhooks against the real Cal.com API.
    Serve,
    /// Serve against the built-in Cal.com simulator (no keys needed) and print curl examples.
    Demo,
    /// Apply database migrations and exit.
    Migrate,
    /// Write the tools' VAPI function schemas, one JSON file per tool (generated from the code).
    Schemas {
        /// Directory to write to.
        #[arg(long, default_value = "tool-schemas")]
        out: std::path::PathBuf,
        /// Write nothing; fail if a file differs from what the code generates.
        #[arg(long)]
        check: bool,
    },
    /// Register the VAPI assistant defined in the repository, or compare it with VAPI.
    Assistant {
        /// What to do with the assistant.
        #[command(subcommand)]
        action: AssistantCommand,
    },
    /// Pull data from Cal.com into the local tables.
    Sync {
        /// What to pull.
        #[command(subcommand)]
        what: SyncCommand,
    },
    /// Manage this service's setup in Cal.com.
    Calcom {
        /// What to do.
        #[command(subcommand)]
        what: CalcomCommand,
    },
    /// Check the deployment end to end (settings, database, Cal.com, VAPI, reachability);
    /// changes nothing. Exits 0 only when no check failed.
    Doctor {
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
}

/// `sync` subcommands.
#[derive(Subcommand, Debug)]
pub enum SyncCommand {
    /// Reconcile the appointments table with Cal.com bookings updated since the last run.
    Bookings {
        /// Start from this instant (RFC 3339) instead of the stored cursor.
        #[arg(long)]
        since: Option<DateTime<Utc>>,
    },
}

/// `calcom` subcommands.
#[derive(Subcommand, Debug)]
pub enum CalcomCommand {
    /// Create or update our webhook subscription (PUBLIC_URL/cal/webhook) in Cal.com.
    RegisterWebhook {
        /// Show what would change without changing it.
        #[arg(long)]
        dry_run: bool,
    },
}

/// `vapi-cal assistant ...`.
#[derive(Subcommand, Debug)]
pub enum AssistantCommand {
    /// Create or update the assistant on VAPI, printing what changes.
    Push {
        /// Print the request and the diff; write nothing to VAPI.
        #[arg(long)]
        dry_run: bool,
    },
    /// Write the live assistant as JSON (server-managed fields stripped, secrets masked).
    Pull {
        /// File to write; standard output when absent.
        #[arg(long)]
        out: Option<std::path::PathBuf>,
    },
    /// Show how the live assistant differs from the repository's definition.
    Diff,
}

/// Per-request timeout of the VAPI REST API.
const VAPI_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(20);

/// Runs the parsed command line.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let settings = cli.settings.without_empty_values();
    match cli.command {
        Command::Serve => serve(settings).await,
        Command::Demo => demo::run(settings).await,
        Command::Migrate => {
            let db = Db::connect_and_migrate(&settings.database_url)
                .await
                .context("could not migrate the database")?;
            println!("Database is up to date ({:?}).", db.backend());
            Ok(())
        }
        Command::Schemas { out, check } => schemas(&out, check),
        Command::Assistant { action } => assistant_command(&settings, action).await,
        Command::Sync {
            what: SyncCommand::Bookings { since },
        } => {
            let cal = cal_client(&settings)?;
            let db = Db::connect_and_migrate(&settings.database_url)
                .await
                .context("could not open the database")?;
            let report = sync::sync_bookings(&cal, &db, &Clock::system(), since)
                .await
                .context("reconcile failed")?;
            println!(
                "Synced {} bookings in {} pages; next run starts after {}.",
                report.bookings,
                report.pages,
                report.cursor.unwrap_or_default()
            );
            Ok(())
        }
        Command::Doctor { json } => doctor(&settings, json).await,
        Command::Calcom {
            what: CalcomCommand::RegisterWebhook { dry_run },
        } => {
            let cal = cal_client(&settings)?;
            let Some(public_url) = settings.public_url.as_deref() else {
                bail!("PUBLIC_URL is required to register the webhook");
            };
            let Some(secret) = settings.cal_webhook_secrets().into_iter().next() else {
                bail!("CAL_WEBHOOK_SECRET is required to register the webhook");
            };
            let (action, body) = sync::register_webhook(&cal, public_url, &secret, dry_run)
                .await
                .context("could not register the webhook")?;
            let verb = match (&action, dry_run) {
                (sync::RegisterAction::Create, true) => "would create".to_owned(),
                (sync::RegisterAction::Create, false) => "created".to_owned(),
                (sync::RegisterAction::Update(id), true) => {
                    format!("would update subscription {id}")
                }
                (sync::RegisterAction::Update(id), false) => format!("updated subscription {id}"),
                (sync::RegisterAction::Unchanged(id), _) => {
                    format!("subscription {id} is already up to date")
                }
            };
            println!(
                "Cal.com webhook: {verb}\n{}",
                serde_json::to_string_pretty(&body)?
            );
            Ok(())
        }
    }
}

/// `vapi-cal doctor`: prints the report; an error (exit 1) when a check failed.
async fn doctor(settings: &Settings, json: bool) -> anyhow::Result<()> {
    let report = crate::doctor::run(settings, &crate::doctor::Options::default()).await;
    if json {
        println!("{}", serde_json::to_string_pretty(&report.to_json())?);
    } else {
        print!("{report}");
    }
    let (_, _, failed) = report.counts();
    if failed > 0 {
        bail!("{failed} check(s) failed");
    }
    Ok(())
}

/// A Cal.com client from the settings, or an error naming what is missing.
fn cal_client(settings: &Settings) -> anyhow::Result<CalClient> {
    let Some(api_key) = settings.cal_api_key.clone() else {
        bail!("CAL_API_KEY is required");
    };
    Ok(CalClient::new(
        &settings.cal_api_url,
        api_key,
        settings.cal_request_timeout(),
        settings.tool_deadline(),
    ))
}

fn schemas(out: &std::path::Path, check: bool) -> anyhow::Result<()> {
    let differing = crate::tools::schema::write_or_check(out, check)
        .with_context(|| format!("could not write the tool schemas to {}", out.display()))?;
    match (check, differing.is_empty()) {
        (true, true) => println!("Tool schemas in {} are up to date.", out.display()),
        (true, false) => bail!(
            "tool schemas differ from the code: {}. Run `cargo run -- schemas` to regenerate them.",
            differing.join(", ")
        ),
        (false, true) => println!("Tool schemas in {} were already up to date.", out.display()),
        (false, false) => println!("Wrote {}.", differing.join(", ")),
    }
    Ok(())
}

async fn assistant_command(settings: &Settings, action: AssistantCommand) -> anyhow::Result<()> {
    let desired = AssistantSpec::from_settings(settings)?.definition()?;
    let client = settings
        .vapi_api_key
        .clone()
        // An empty `VAPI_API_KEY=` line in .env means "not set".
        .filter(|key| !key.expose_secret().trim().is_empty())
        .map(|key| crate::vapi::client::VapiClient::new(&settings.vapi_api_url, key, VAPI_TIMEOUT));
    let id = settings.vapi_assistant_id.as_deref();
    let need_client = || {
        client
            .as_ref()
            .context("VAPI_API_KEY is required to reach VAPI (set it in the environment or .env)")
    };
    match action {
        AssistantCommand::Push { dry_run } => {
            let report = assistant::push(client.as_ref(), &desired, id, dry_run).await?;
            print!("{report}");
        }
        AssistantCommand::Pull { out } => {
            let name = desired["name"].as_str().unwrap_or_default();
            let report = assistant::pull(need_client()?, id, name).await?;
            let mut text = serde_json::to_string_pretty(&report.assistant)?;
            text.push('\n');
            match out {
                Some(path) => {
                    std::fs::write(&path, text)
                        .with_context(|| format!("could not write {}", path.display()))?;
                    println!(
                        "Wrote assistant {} to {} (server-managed fields stripped, secrets masked).",
                        report.assistant_id,
                        path.display()
                    );
                }
                None => print!("{text}"),
            }
        }
        AssistantCommand::Diff => {
            let report = assistant::diff_live(need_client()?, &desired, id).await?;
            print!("{report}");
        }
    }
    Ok(())
}

async fn serve(settings: Settings) -> anyhow::Result<()> {
    let missing = settings.missing_for_serve();
    if !missing.is_empty() {
        bail!(
            "cannot serve: missing setting(s) {}. Set them in the environment or .env (see .env.example), \
             or run `vapi-cal demo` to try the service without keys.",
            missing.join(", ")
        );
    }
    let Some(business_tz) = settings.business_timezone else {
        bail!("BUSINESS_TIMEZONE is required");
    };
    let cal = cal_client(&settings)?;
    let db = Db::connect_and_migrate(&settings.database_url)
        .await
        .context("could not open the database")?;
    let secrets = settings.cal_webhook_secrets();
    if secrets.is_empty() {
        tracing::warn!(
            "accepting UNSIGNED Cal.com webhooks: anyone who can reach /cal/webhook can change the appointments table"
        );
    }
    let clock = Clock::system();
    if settings.cal_sync_interval_secs > 0 {
        tokio::spawn(sync::run_periodic(
            cal.clone(),
            db.clone(),
            clock.clone(),
            Duration::from_secs(settings.cal_sync_interval_secs),
        ));
    }
    let state = AppState {
        tools: ToolContext {
            cal,
            db,
            clock,
            business_tz,
            default_event_type_id: settings.cal_event_type_id,
            organization_id: settings.cal_organization_id,
        },
        cal_webhook_secrets: secrets,
        dashboard: settings.admin_token.as_ref().map(|token| {
            crate::dashboard::session::Access::new(token, settings.public_url.as_deref())
        }),
    };
    let listener = TcpListener::bind(settings.listen_addr)
        .await
        .with_context(|| format!("could not listen on {}", settings.listen_addr))?;
    tracing::info!(addr = %settings.listen_addr, cal = %settings.cal_api_url, "vapi-cal serving");
    app::serve(listener, state, app::shutdown_signal()).await?;
    Ok(())
}
