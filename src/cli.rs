//! Command line: subcommands and what each one runs.

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};
use tokio::net::TcpListener;

use crate::{
    app::{self, AppState},
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
}

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
    }
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
