//! Command line: subcommands and what each one runs.

use anyhow::{Context, bail};
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
    demo,
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
    /// Serve VAPI tool calls against the real Cal.com API.
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
    let settings = cli.settings;
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
    }
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
    let (Some(api_key), Some(business_tz)) =
        (settings.cal_api_key.clone(), settings.business_timezone)
    else {
        bail!("CAL_API_KEY and BUSINESS_TIMEZONE are required");
    };
    let db = Db::connect_and_migrate(&settings.database_url)
        .await
        .context("could not open the database")?;
    let cal = CalClient::new(
        &settings.cal_api_url,
        api_key,
        settings.cal_request_timeout(),
        settings.tool_deadline(),
    );
    let state = AppState {
        tools: ToolContext {
            cal,
            db,
            clock: Clock::system(),
            business_tz,
            default_event_type_id: settings.cal_event_type_id,
            organization_id: settings.cal_organization_id,
        },
    };
    let listener = TcpListener::bind(settings.listen_addr)
        .await
        .with_context(|| format!("could not listen on {}", settings.listen_addr))?;
    tracing::info!(addr = %settings.listen_addr, cal = %settings.cal_api_url, "vapi-cal serving");
    app::serve(listener, state, app::shutdown_signal()).await?;
    Ok(())
}
