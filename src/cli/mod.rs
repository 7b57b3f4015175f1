//! Command line: subcommands and what each one runs.

pub mod demo;
mod outbound;
mod targets;

use std::time::Duration;

use anyhow::{Context, bail};
use chrono::{DateTime, Utc};
use clap::{Parser, Subcommand};
use secrecy::ExposeSecret;
use tokio::net::TcpListener;

use crate::{
    analytics::stats,
    app,
    assistant::{self, AssistantSpec},
    clock::Clock,
    config::Settings,
    db::Db,
    sync::bookings,
    sync::call_history,
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
    /// With TENANTS_FILE: act on this business only (by slug). Commands that concern a business
    /// (`assistant`, `calcom`, `sync`, `stats`, `doctor`) otherwise act on every one.
    #[arg(long, global = true)]
    pub tenant: Option<String>,
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
    /// Pull what the local tables mirror: Cal.com bookings, VAPI call history.
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
    /// Call records kept from VAPI (`calls sync` is the old name of `sync calls`).
    #[command(hide = true)]
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
        /// Only the calls this version of the assistant served (VAPI's `assistantVersion`).
        #[arg(long)]
        assistant_version: Option<String>,
    },
    /// Several businesses on one deployment (`TENANTS_FILE`).
    Tenants {
        /// What to do.
        #[command(subcommand)]
        what: TenantsCommand,
    },
    /// Calls the business makes: reminders, no-show follow-ups (`run`, `status`, `opt-out`).
    Outbound {
        /// What to do.
        #[command(subcommand)]
        what: outbound::OutboundCommand,
    },
    /// Check the deployment end to end (settings, database, Cal.com, VAPI, reachability);
    /// changes nothing. Exits 0 only when no check failed.
    Doctor {
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
}

/// `tenants` subcommands.
#[derive(Subcommand, Debug)]
pub enum TenantsCommand {
    /// Read and check the tenants file (default `TENANTS_FILE`) as `serve` would at start,
    /// naming every problem with its line; exits 1 when the file would be refused.
    Check {
        /// The file to check.
        #[arg(long)]
        file: Option<std::path::PathBuf>,
    },
}

/// `calls` subcommands (kept so that scripts using the old name keep working).
#[derive(Subcommand, Debug)]
pub enum CallsCommand {
    /// Backfill call records from VAPI's call API (GET /call), newest first.
    Sync(CallSyncArgs),
}

/// What `sync calls` backfills.
#[derive(clap::Args, Clone, Debug)]
pub struct CallSyncArgs {
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
    /// Backfill call records from VAPI's call API (GET /call), newest first.
    Calls(CallSyncArgs),
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
#[derive(Subcommand, Clone, Debug)]
pub enum AssistantCommand {
    /// Create or update the assistant on VAPI, printing what changes.
    Push {
        /// Print the request and the diff; write nothing to VAPI.
        #[arg(long)]
        dry_run: bool,
        /// Push the staff assistant instead ("<name> (staff)", all seven tools, found by its
        /// name): connect it to a staff line listed in STAFF_PHONE_NUMBER_IDS. The public
        /// assistant never has the staff-only tools.
        #[arg(long)]
        staff: bool,
        /// With a tenants file: push even when the live assistant was edited on VAPI since the
        /// last push (those edits are overwritten).
        #[arg(long)]
        force: bool,
    },
    /// Write the live assistant as JSON (server-managed fields stripped, secrets masked). With
    /// a tenants file and `--tenant`, and no `--out`: adopt the live assistant into that
    /// business's overrides file (its `assistant_overrides`), server and credentials left out.
    Pull {
        /// File to write; standard output when absent.
        #[arg(long)]
        out: Option<std::path::PathBuf>,
    },
    /// Show how the live assistant differs from the repository's definition.
    Diff,
}

/// Runs the parsed command line.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let settings = cli.settings.without_empty_values();
    let only = cli.tenant.as_deref();
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
        Command::Assistant { action } => {
            let targets = targets::resolve(&settings, only)?;
            if matches!(action, AssistantCommand::Pull { .. }) && targets.len() > 1 {
                bail!("`assistant pull` writes one assistant: name its business with --tenant");
            }
            for target in &targets {
                targets::heading(&targets, target);
                assistant_command(target, action.clone()).await?;
            }
            Ok(())
        }
        Command::Sync {
            what: SyncCommand::Bookings { since },
        } => {
            let targets = targets::resolve(&settings, only)?;
            for target in &targets {
                targets::heading(&targets, target);
                let db = target.db().await.context("could not open the database")?;
                let settings = &target.settings;
                let cal = app::cal_client(settings)?
                    .with_budget(app::shared_budget(settings, &db)?)
                    .background();
                let report = bookings::sync_bookings(&cal, &db, &Clock::system(), since)
                    .await
                    .context("reconcile failed")?;
                println!(
                    "Synced {} bookings in {} pages; next run starts after {}.",
                    report.bookings,
                    report.pages,
                    report.cursor.unwrap_or_default()
                );
            }
            Ok(())
        }
        Command::Sync {
            what: SyncCommand::Calls(args),
        }
        | Command::Calls {
            what: CallsCommand::Sync(args),
        } => {
            let targets = targets::resolve(&settings, only)?;
            for target in &targets {
                targets::heading(&targets, target);
                sync_calls(target, args.clone()).await?;
            }
            Ok(())
        }
        Command::Stats {
            from,
            to,
            json,
            assistant_version,
        } => {
            let targets = targets::resolve(&settings, only)?;
            let mut by_tenant = serde_json::Map::new();
            for target in &targets {
                let settings = &target.settings;
                let Some(tz) = settings.business_timezone else {
                    bail!(
                        "BUSINESS_TIMEZONE is required: days are counted in the business's time zone"
                    );
                };
                let db = target.db().await.context("could not open the database")?;
                let (from, to) = stats::range(from, to, Clock::system().now(), tz)
                    .map_err(|m| anyhow::anyhow!(m))?;
                let report = stats::report(
                    &db,
                    tz,
                    from,
                    to,
                    settings.call_success_threshold,
                    assistant_version.as_deref(),
                )
                .await
                .context("could not compute the figures")?;
                if json {
                    by_tenant.insert(target.slug.to_string(), serde_json::to_value(&report)?);
                } else {
                    targets::heading(&targets, target);
                    print!("{}", stats::render_text(&report));
                }
            }
            if json {
                // One business: its report, as `GET /api/stats`; several: one per slug.
                let out = match (targets.len(), by_tenant.values().next()) {
                    (1, Some(only)) => only.clone(),
                    _ => serde_json::Value::Object(by_tenant),
                };
                println!("{}", serde_json::to_string_pretty(&out)?);
            }
            Ok(())
        }
        Command::Outbound { what } => {
            let targets = targets::resolve(&settings, only)?;
            outbound::run(&targets, &what).await
        }
        Command::Doctor { json } => {
            let targets = targets::resolve(&settings, only)?;
            doctor(&targets, json).await
        }
        Command::Tenants {
            what: TenantsCommand::Check { file },
        } => {
            let Some(path) = file.or_else(|| settings.tenants_file.clone()) else {
                bail!("no tenants file: set TENANTS_FILE or pass --file");
            };
            let file = app::load_tenants_file(&path)?;
            println!("{}: {} business(es)", path.display(), file.tenants.len());
            for t in &file.tenants {
                println!(
                    "  {} ({}): {}, {}, {} event type(s), {} phone number(s), {} assistant(s), {}; webhooks at /t/{}/vapi/webhook and /t/{}/cal/webhook",
                    t.slug,
                    t.name,
                    t.time_zone,
                    t.language.code(),
                    t.event_type_ids.len(),
                    t.vapi_phone_number_ids.len(),
                    t.vapi_assistant_ids.len(),
                    if t.vapi_api_key.is_some() {
                        "its own VAPI key"
                    } else {
                        "the deployment's VAPI key"
                    },
                    t.slug,
                    t.slug
                );
            }
            for warning in &file.warnings {
                println!("warning: {warning}");
            }
            Ok(())
        }
        Command::Calcom {
            what: CalcomCommand::RegisterWebhook { dry_run },
        } => {
            let targets = targets::resolve(&settings, only)?;
            for target in &targets {
                targets::heading(&targets, target);
                register_webhook(&target.settings, dry_run).await?;
            }
            Ok(())
        }
    }
}

/// `vapi-cal calcom register-webhook` for one business.
async fn register_webhook(settings: &Settings, dry_run: bool) -> anyhow::Result<()> {
    let cal = app::cal_client(settings)?;
    let Some(public_url) = settings.public_url.as_deref() else {
        bail!("PUBLIC_URL is required to register the webhook");
    };
    let Some(secret) = settings.cal_webhook_secrets().into_iter().next() else {
        bail!("CAL_WEBHOOK_SECRET is required to register the webhook");
    };
    let (action, body) = bookings::register_webhook(&cal, public_url, &secret, dry_run)
        .await
        .context("could not register the webhook")?;
    let verb = match (&action, dry_run) {
        (bookings::RegisterAction::Create, true) => "would create".to_owned(),
        (bookings::RegisterAction::Create, false) => "created".to_owned(),
        (bookings::RegisterAction::Update(id), true) => {
            format!("would update subscription {id}")
        }
        (bookings::RegisterAction::Update(id), false) => {
            format!("updated subscription {id}")
        }
        (bookings::RegisterAction::Unchanged(id), _) => {
            format!("subscription {id} is already up to date")
        }
    };
    println!(
        "Cal.com webhook: {verb}\n{}",
        serde_json::to_string_pretty(&body)?
    );
    Ok(())
}

/// `vapi-cal sync calls`: backfills one business's call records from VAPI.
async fn sync_calls(target: &targets::Target, args: CallSyncArgs) -> anyhow::Result<()> {
    let settings = &target.settings;
    let CallSyncArgs {
        assistant_id,
        limit,
        since,
        dry_run,
    } = args;
    let client = app::vapi_client(settings)?;
    let db = target.db().await.context("could not open the database")?;
    let opts = call_history::CallSyncOptions {
        assistant_id: assistant_id.or_else(|| settings.vapi_assistant_id.clone()),
        limit,
        since,
        dry_run,
        ..call_history::CallSyncOptions::default()
    };
    let report = call_history::sync_calls(&client, &db, &Clock::system(), &opts, |r| {
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

/// `vapi-cal doctor`: prints the report, a section per business when there are several; an
/// error (exit 1) when a check of any failed.
async fn doctor(targets: &[targets::Target], json: bool) -> anyhow::Result<()> {
    let mut failed = 0;
    let mut by_tenant = serde_json::Map::new();
    for target in targets {
        let report = crate::doctor::run(&target.settings, &crate::doctor::Options::default()).await;
        if json {
            by_tenant.insert(target.slug.to_string(), report.to_json());
        } else {
            targets::heading(targets, target);
            print!("{report}");
        }
        failed += report.counts().2;
    }
    if json {
        let out = match (targets.len(), by_tenant.values().next()) {
            (1, Some(only)) => only.clone(),
            _ => serde_json::Value::Object(by_tenant),
        };
        println!("{}", serde_json::to_string_pretty(&out)?);
    }
    if failed > 0 {
        bail!("{failed} check(s) failed");
    }
    Ok(())
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

async fn assistant_command(
    target: &targets::Target,
    action: AssistantCommand,
) -> anyhow::Result<()> {
    let settings = &target.settings;
    // With a tenants file, what each business's push sent is remembered, so a push can see
    // edits made on VAPI since.
    let memory = match settings.tenants_file {
        Some(_) => Some(target.db().await.context("could not open the database")?),
        None => None,
    };
    let desired = AssistantSpec::from_settings(settings)?.definition()?;
    let client = settings
        .vapi_api_key
        .clone()
        // An empty `VAPI_API_KEY=` line in .env means "not set".
        .filter(|key| !key.expose_secret().trim().is_empty())
        .map(|key| {
            crate::vapi::client::VapiClient::new(&settings.vapi_api_url, key, app::VAPI_TIMEOUT)
        });
    let id = settings.vapi_assistant_id.as_deref();
    let need_client = || {
        client
            .as_ref()
            .context("VAPI_API_KEY is required to reach VAPI (set it in the environment or .env)")
    };
    match action {
        AssistantCommand::Push {
            dry_run,
            staff: true,
            ..
        } => {
            // VAPI_ASSISTANT_ID and VAPI_PHONE_NUMBER_ID name the public assistant and line.
            let staff = AssistantSpec::from_settings(settings)?.staff_definition()?;
            let report = assistant::push(client.as_ref(), &staff, None, dry_run).await?;
            print!("{report}");
        }
        AssistantCommand::Push {
            dry_run,
            staff: false,
            force,
        } => {
            // The assistant named in the file, else the one found by its name.
            let known = match (&memory, id, client.as_ref()) {
                (Some(_), None, Some(client)) => {
                    let name = desired["name"].as_str().unwrap_or_default();
                    assistant::find_assistant(client, None, name)
                        .await?
                        .map(|live| live["id"].as_str().unwrap_or_default().to_owned())
                }
                _ => id.map(str::to_owned),
            };
            let last = match (&memory, known.as_deref()) {
                (Some(db), Some(id)) => db.last_assistant_push(id).await?,
                _ => None,
            };
            let report = assistant::push_checked(
                client.as_ref(),
                &desired,
                id,
                dry_run,
                last.as_ref(),
                force,
            )
            .await?;
            print!("{report}");
            if report.action == assistant::PushAction::EditedOnVapi {
                bail!("not pushed: the live assistant was edited on VAPI since the last push");
            }
            if let (false, Some(db), Some(pushed)) =
                (dry_run, &memory, report.assistant_id.as_deref())
            {
                db.remember_assistant_push(pushed, &report.body, Clock::system().now())
                    .await?;
            }
            if settings.outbound.any_on() {
                // The assistant that places the business's calls is pushed with the inbound one.
                let calling = AssistantSpec::from_settings(settings)?.calling_definition()?;
                let report = assistant::push(
                    client.as_ref(),
                    &calling,
                    settings.outbound.vapi_outbound_assistant_id.as_deref(),
                    dry_run,
                )
                .await?;
                print!("{report}");
            }
            if let Some(number_id) = settings.vapi_phone_number_id.as_deref() {
                match client.as_ref() {
                    Some(client) => {
                        let report = crate::assistant::phone_number::connect(
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
            if let (None, Some(overrides)) = (&out, &target.overrides) {
                let adopted = assistant::adoptable(&report.assistant);
                let mut text = serde_json::to_string_pretty(&adopted)?;
                text.push('\n');
                std::fs::write(overrides, text)
                    .with_context(|| format!("could not write {}", overrides.display()))?;
                println!(
                    "Adopted assistant {} into {} ({}): the next push keeps the live edits.",
                    report.assistant_id,
                    overrides.display(),
                    target.name
                );
                return Ok(());
            }
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
    // With a tenants file the businesses' settings come from it, checked when it is read.
    let missing = if settings.tenants_file.is_some() {
        Vec::new()
    } else {
        settings.missing_for_serve()
    };
    if !missing.is_empty() {
        bail!(
            "cannot serve: missing setting(s) {}. Set them in the environment or .env (see .env.example), \
             or run `vapi-cal demo` to try the service without keys.",
            missing.join(", ")
        );
    }
    let short = settings.short_secrets_for_serve();
    if !short.is_empty() {
        bail!(
            "cannot serve: {} must be at least {} characters (each value, when comma-separated); \
             a short secret can be guessed. Generate one with e.g. `openssl rand -hex 32`.",
            short.join(", "),
            crate::config::MIN_SECRET_CHARS
        );
    }
    if settings.metrics_token.is_none() && !settings.listen_addr.ip().is_loopback() {
        tracing::warn!(
            addr = %settings.listen_addr,
            "GET /metrics is OPEN on a non-loopback address: set METRICS_TOKEN, or keep the port private"
        );
    }
    let db = Db::connect_and_migrate(&settings.database_url)
        .await
        .context("could not open the database")?;
    let app::Service {
        state,
        jobs,
        reloader,
    } = app::build(&settings, Clock::system(), db).await?;
    let listener = TcpListener::bind(settings.listen_addr)
        .await
        .with_context(|| format!("could not listen on {}", settings.listen_addr))?;
    tracing::info!(addr = %settings.listen_addr, cal = %settings.cal_api_url, "vapi-cal serving");
    let jobs = jobs.start();
    // With a tenants file, SIGHUP reads it again; the task then owns the jobs it restarts.
    let _jobs = match reloader {
        Some(reloader) => {
            tokio::spawn(reloader.on_hangup(jobs));
            None
        }
        None => Some(jobs),
    };
    app::serve_with_grace(
        listener,
        state,
        app::shutdown_signal(),
        settings.shutdown_grace(),
    )
    .await?;
    Ok(())
}
