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
    calcom::{CalClient, budget::Budget},
    call_sync,
    clock::Clock,
    config::Settings,
    db::Db,
    demo, stats, sync,
    tools::ToolContext,
    vapi::auth::VapiAuth,
    vapi::client::VapiClient,
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
    /// Serve the Cal.com simulator on its own (point CAL_API_URL at it); prints its API key and event types.
    Simulator {
        /// Address to listen on (port 0 picks a free one).
        #[arg(long, default_value = "127.0.0.1:5555")]
        listen: std::net::SocketAddr,
        /// Latency added to every response, in milliseconds.
        #[arg(long, default_value_t = 0)]
        latency_ms: u64,
        /// What the simulated calendar starts with.
        #[arg(long, value_enum, default_value_t = demo::SimulatorSeed::Demo)]
        seed: demo::SimulatorSeed,
    },
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
    /// Call records kept from VAPI.
    Calls {
        /// What to do.
        #[command(subcommand)]
        what: CallsCommand,
    },
    /// Per-day call figures in the business's time zone.
    Stats {
        /// First local day (YYYY-MM-DD); default six days before `--to`.
        #[arg(long)]
        from: Option<chrono::NaiveDate>,
        /// Last local day (YYYY-MM-DD), included; default today.
        #[arg(long)]
        to: Option<chrono::NaiveDate>,
        /// Print JSON (the same as GET /api/stats) instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Check the deployment end to end (settings, database, Cal.com, VAPI, reachability);
    /// changes nothing. Exits 0 only when no check failed.
    Doctor {
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
}

/// `calls` subcommands.
#[derive(Subcommand, Debug)]
pub enum CallsCommand {
    /// Backfill call records from VAPI's call API (GET /call), newest first.
    Sync {
        /// Only this assistant's calls (default: VAPI_ASSISTANT_ID, else all).
        #[arg(long)]
        assistant_id: Option<String>,
        /// Stop after this many calls.
        #[arg(long)]
        limit: Option<usize>,
        /// Only calls created after this instant (RFC 3339).
        #[arg(long)]
        since: Option<DateTime<Utc>>,
        /// Say what would change; write nothing.
        #[arg(long)]
        dry_run: bool,
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
        Command::Simulator {
            listen,
            latency_ms,
            seed,
        } => demo::run_simulator(&settings, listen, Duration::from_millis(latency_ms), seed).await,
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
            let db = Db::connect_and_migrate(&settings.database_url)
                .await
                .context("could not open the database")?;
            let cal = cal_client(&settings)?
                .with_budget(shared_budget(&settings, &db)?)
                .background();
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
        Command::Calls {
            what:
                CallsCommand::Sync {
                    assistant_id,
                    limit,
                    since,
                    dry_run,
                },
        } => {
            let client = vapi_client(&settings)?;
            let db = Db::connect_and_migrate(&settings.database_url)
                .await
                .context("could not open the database")?;
            let opts = call_sync::CallSyncOptions {
                assistant_id: assistant_id.or_else(|| settings.vapi_assistant_id.clone()),
                limit,
                since,
                dry_run,
                ..call_sync::CallSyncOptions::default()
            };
            let report = call_sync::sync_calls(&client, &db, &Clock::system(), &opts, |r| {
                if r.pages > 1 {
                    eprintln!("... {} calls read in {} pages", r.fetched, r.pages);
                }
            })
            .await
            .context("call sync failed")?;
            let verb = if dry_run { "would be " } else { "" };
            println!(
                "{} calls read from VAPI in {} pages: {} {verb}created, {} {verb}updated, {} unchanged{}.",
                report.fetched,
                report.pages,
                report.created,
                report.updated,
                report.unchanged,
                if dry_run {
                    " (dry run: nothing was written)"
                } else {
                    ""
                }
            );
            Ok(())
        }
        Command::Stats { from, to, json } => {
            let Some(tz) = settings.business_timezone else {
                bail!(
                    "BUSINESS_TIMEZONE is required: days are counted in the business's time zone"
                );
            };
            let db = Db::connect_and_migrate(&settings.database_url)
                .await
                .context("could not open the database")?;
            let (from, to) = stats::range(from, to, Clock::system().now(), tz)
                .map_err(|m| anyhow::anyhow!(m))?;
            let report = stats::report(&db, tz, from, to, settings.call_success_threshold)
                .await
                .context("could not compute the figures")?;
            if json {
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                print!("{}", stats::render_text(&report));
            }
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

/// A VAPI REST client from the settings, or an error naming what is missing.
fn vapi_client(settings: &Settings) -> anyhow::Result<VapiClient> {
    let Some(key) = settings.vapi_api_key.clone() else {
        bail!("VAPI_API_KEY is required");
    };
    Ok(VapiClient::new(&settings.vapi_api_url, key, VAPI_TIMEOUT))
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
        api_key.clone(),
        settings.cal_request_timeout(),
        settings.tool_deadline(),
    )
    .with_budget(Budget::local(&api_key, settings.cal_rate_limit_per_min))
    .with_slot_cache(Duration::from_secs(settings.slot_cache_secs)))
}

/// The Cal.com request budget every process on this database shares (in process on SQLite).
fn shared_budget(settings: &Settings, db: &Db) -> anyhow::Result<Budget> {
    let Some(api_key) = settings.cal_api_key.as_ref() else {
        bail!("CAL_API_KEY is required");
    };
    Ok(Budget::for_db(db, api_key, settings.cal_rate_limit_per_min))
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
            if let Some(number_id) = settings.vapi_phone_number_id.as_deref() {
                match client.as_ref() {
                    Some(client) => {
                        let report = crate::phone_number::connect(
                            client,
                            number_id,
                            &desired["server"],
                            dry_run,
                        )
                        .await?;
                        print!("{report}");
                    }
                    None => println!(
                        "VAPI_API_KEY is not set: skipped connecting phone number {number_id}."
                    ),
                }
            }
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
    let db = Db::connect_and_migrate(&settings.database_url)
        .await
        .context("could not open the database")?;
    let cal = cal_client(&settings)?.with_budget(shared_budget(&settings, &db)?);
    tracing::info!(
        per_minute = settings.cal_rate_limit_per_min,
        shared = db.backend() == crate::db::Backend::Postgres,
        slot_cache_secs = settings.slot_cache_secs,
        "Cal.com request budget and slot cache"
    );
    let secrets = settings.cal_webhook_secrets();
    if secrets.is_empty() {
        tracing::warn!(
            "accepting UNSIGNED Cal.com webhooks: anyone who can reach /cal/webhook can change the appointments table"
        );
    }
    let vapi_auth = VapiAuth {
        shared_secrets: settings.vapi_webhook_secrets(),
        hmac_secrets: settings.vapi_webhook_hmac_secrets(),
    };
    if vapi_auth.is_configured() {
        tracing::info!(
            shared_secrets = vapi_auth.shared_secrets.len(),
            hmac_secrets = vapi_auth.hmac_secrets.len(),
            "VAPI messages must carry a credential"
        );
    } else {
        tracing::warn!(
            "ACCEPTING UNAUTHENTICATED VAPI MESSAGES (--accept-unauthenticated-vapi): anyone who can reach /vapi/webhook can book, move and cancel appointments"
        );
    }
    if settings.staff_line {
        tracing::warn!(
            "STAFF_LINE is on: callers may read, move and cancel any appointment by id, whatever number they call from"
        );
    } else {
        tracing::info!(
            "caller checks on: appointments by id only for the caller's number, or on calls without a number for an email given in the call"
        );
    }
    let clock = Clock::system();
    if settings.tool_log_retention_days > 0 {
        tokio::spawn(crate::db::tool_log::run_retention(
            db.clone(),
            clock.clone(),
            settings.tool_log_retention_days,
        ));
    }
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
            staff_line: settings.staff_line,
            date_order: settings.business_date_order,
        },
        cal_webhook_secrets: secrets,
        vapi_auth,
        metrics_token: settings.metrics_token.clone(),
        operator: app::OperatorSettings {
            admin_token: settings.admin_token.clone(),
            success_threshold: settings.call_success_threshold,
        },
        vapi_assistant_id: settings.vapi_assistant_id.clone(),
        dashboard: settings.admin_token.as_ref().map(|token| {
            crate::dashboard::session::Access::new(token, settings.public_url.as_deref())
        }),
    };
    if settings.vapi_call_sync_interval_secs > 0 {
        match vapi_client(&settings) {
            Ok(client) => {
                tokio::spawn(call_sync::run_periodic(
                    client,
                    state.tools.db.clone(),
                    state.tools.clock.clone(),
                    Duration::from_secs(settings.vapi_call_sync_interval_secs),
                    settings.vapi_assistant_id.clone(),
                ));
            }
            Err(err) => bail!("VAPI_CALL_SYNC_INTERVAL_SECS is set but {err}"),
        }
    }
    let listener = TcpListener::bind(settings.listen_addr)
        .await
        .with_context(|| format!("could not listen on {}", settings.listen_addr))?;
    tracing::info!(addr = %settings.listen_addr, cal = %settings.cal_api_url, "vapi-cal serving");
    // Metrics are recorded from the first request on; upkeep keeps histogram memory bounded
    // between scrapes.
    let metrics = crate::telemetry::metrics_handle();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(Duration::from_secs(10));
        loop {
            every.tick().await;
            metrics.run_upkeep();
        }
    });
    app::serve_with_grace(
        listener,
        state,
        app::shutdown_signal(),
        settings.shutdown_grace(),
    )
    .await?;
    Ok(())
}
