//! `vapi-cal` binary: loads `.env`, parses the command line, sets up logging and runs.

use clap::Parser;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    // A missing .env is normal in production, where the environment is set directly.
    let _ = dotenvy::dotenv();
    let cli = vapi_cal::cli::Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| EnvFilter::new("vapi_cal=info,tower_http=warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    match vapi_cal::cli::run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
