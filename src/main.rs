//! `vapi-cal` binary: loads `.env`, parses the command line, sets up logging and runs.

use clap::Parser;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    // A missing .env is normal in production, where the environment is set directly.
    let _ = dotenvy::dotenv();
    let cli = vapi_cal::cli::Cli::parse();
    vapi_cal::telemetry::init_logging(cli.settings.log_format);
    match vapi_cal::cli::run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
