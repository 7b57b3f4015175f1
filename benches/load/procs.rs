//! The processes under test: the Cal.com simulator and `vapi-cal serve`, each its own process on
//! loopback, started from the release binary and stopped when dropped.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use anyhow::{Context, bail};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

/// The binary Cargo built for this benchmark (the bench profile is an optimised build).
pub fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_vapi-cal"))
}

/// Peak resident set size so far (Linux `VmHWM`) of the process `pid`, in MiB.
pub fn peak_rss_mib_of(pid: u32) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// A child process killed on drop, so an interrupted run leaves nothing behind.
pub struct Proc {
    child: Child,
    /// Base URL, `http://127.0.0.1:PORT`.
    pub url: String,
}

impl Proc {
    /// The process id.
    pub fn pid(&self) -> Option<u32> {
        self.child.id()
    }

    /// Resident set size now (Linux `VmRSS`), in MiB.
    pub fn rss_mib(&self) -> Option<f64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid()?)).ok()?;
        let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
        let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
        Some(kib / 1024.0)
    }

    /// Peak resident set size so far (Linux `VmHWM`), in MiB.
    pub fn peak_rss_mib(&self) -> Option<f64> {
        peak_rss_mib_of(self.pid()?)
    }

    /// SIGTERM (so the server flushes what it batches), then SIGKILL after `grace`.
    pub async fn stop(mut self, grace: Duration) {
        if let Some(pid) = self.child.id() {
            let _ = Command::new("kill")
                .arg("-TERM")
                .arg(pid.to_string())
                .status()
                .await;
        }
        if tokio::time::timeout(grace, self.child.wait())
            .await
            .is_err()
        {
            let _ = self.child.kill().await;
        }
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.child.start_kill();
    }
}

/// What the standalone simulator printed about itself.
pub struct SimInfo {
    /// The API key it accepts.
    pub api_key: String,
}

/// Starts `vapi-cal simulator --seed demo` on a free loopback port.
pub async fn start_simulator(latency_ms: u64) -> anyhow::Result<(Proc, SimInfo)> {
    let mut child = Command::new(binary())
        .args(["simulator", "--listen", "127.0.0.1:0", "--seed", "demo"])
        .arg("--latency-ms")
        .arg(latency_ms.to_string())
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .context("could not start `vapi-cal simulator`")?;
    let stdout = child.stdout.take().context("simulator stdout")?;
    let mut lines = BufReader::new(stdout).lines();
    let (mut url, mut api_key) = (None, None);
    let read = async {
        while let Some(line) = lines.next_line().await? {
            if let Some(at) = line.find("http://")
                && url.is_none()
            {
                url = Some(
                    line[at..]
                        .split_whitespace()
                        .next()
                        .unwrap_or("")
                        .to_owned(),
                );
            }
            if let Some(key) = line.strip_prefix("API key: ") {
                api_key = Some(key.trim().to_owned());
            }
            if url.is_some() && api_key.is_some() {
                break;
            }
        }
        anyhow::Ok(())
    };
    tokio::time::timeout(Duration::from_secs(20), read)
        .await
        .context("the simulator did not print its address in time")??;
    // Keep draining its output so it never blocks on a full pipe.
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    let (Some(url), Some(api_key)) = (url, api_key) else {
        bail!("the simulator did not print its address and API key");
    };
    Ok((Proc { child, url }, SimInfo { api_key }))
}

/// Settings `vapi-cal serve` runs with in the benchmark.
pub struct ServeSettings<'a> {
    pub database_url: &'a str,
    pub cal_url: &'a str,
    pub cal_api_key: &'a str,
    pub vapi_secret: &'a str,
    pub cal_webhook_secret: &'a str,
    pub log_file: &'a Path,
    /// `TENANTS_FILE`, to serve several businesses.
    pub tenants_file: Option<&'a Path>,
}

/// A free loopback port (bound, read, released).
fn free_port() -> anyhow::Result<u16> {
    let listener = std::net::TcpListener::bind(("127.0.0.1", 0))?;
    Ok(listener.local_addr()?.port())
}

/// Runs a one-shot `vapi-cal` subcommand with the same settings (e.g. `sync bookings`).
pub async fn run_once(args: &[&str], s: &ServeSettings<'_>) -> anyhow::Result<()> {
    let status = command(s).args(args).stdout(Stdio::null()).status().await?;
    if !status.success() {
        bail!("`vapi-cal {}` failed ({status})", args.join(" "));
    }
    Ok(())
}

fn command(s: &ServeSettings<'_>) -> Command {
    let mut cmd = Command::new(binary());
    cmd.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("DATABASE_URL", s.database_url)
        .env("CAL_API_URL", s.cal_url)
        .env("CAL_API_KEY", s.cal_api_key)
        .env("CAL_EVENT_TYPE_ID", "1")
        .env("CAL_ORGANIZATION_ID", "10")
        .env("BUSINESS_TIMEZONE", crate::payloads::ZONE)
        .env("VAPI_WEBHOOK_SECRET", s.vapi_secret)
        .env("CAL_WEBHOOK_SECRET", s.cal_webhook_secret)
        // The benchmark reconciles once before serving; no periodic reconcile in the way.
        .env("CAL_SYNC_INTERVAL_SECS", "0")
        // Each phase compares a tool call with the same request sent straight to Cal.com, so
        // every call must reach it: no reused open times (identical concurrent queries are still
        // shared), and a budget the simulator, which sets no limit, never runs out of.
        .env("SLOT_CACHE_SECS", "0")
        .env("CAL_RATE_LIMIT_PER_MIN", "100000000")
        // Load from a few numbers in a few calls: the public line's per-caller and per-call caps
        // would refuse it, and they are not what is measured (they are still checked).
        .env("MAX_BOOKINGS_PER_CALLER_PER_DAY", "1000000000")
        .env("MAX_BOOKINGS_PER_CALL", "1000000000")
        .env("MAX_TOOL_CALLS_PER_MESSAGE", "1000")
        .env("CAL_REQUESTS_PER_CALL", "1000000000")
        .env(
            "RUST_LOG",
            std::env::var("BENCH_SERVER_LOG").unwrap_or_else(|_| "info".into()),
        )
        .kill_on_drop(true);
    // Allocator settings under test reach the server (the rest of the environment does not).
    if let Ok(tunables) = std::env::var("GLIBC_TUNABLES") {
        cmd.env("GLIBC_TUNABLES", tunables);
    }
    if let Some(file) = s.tenants_file {
        cmd.env("TENANTS_FILE", file);
    }
    cmd
}

/// Starts `vapi-cal serve` and waits until `/healthz` answers.
pub async fn start_server(s: &ServeSettings<'_>) -> anyhow::Result<Proc> {
    let port = free_port()?;
    let log = std::fs::File::create(s.log_file)?;
    let child = command(s)
        .arg("serve")
        .env("LISTEN_ADDR", format!("127.0.0.1:{port}"))
        .stdout(Stdio::from(log.try_clone()?))
        .stderr(Stdio::from(log))
        .spawn()
        .context("could not start `vapi-cal serve`")?;
    let proc = Proc {
        child,
        url: format!("http://127.0.0.1:{port}"),
    };
    let client = reqwest::Client::new();
    for _ in 0..300 {
        if let Ok(r) = client.get(format!("{}/healthz", proc.url)).send().await
            && r.status().is_success()
        {
            return Ok(proc);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    bail!(
        "`vapi-cal serve` did not become healthy; see {}",
        s.log_file.display()
    )
}
