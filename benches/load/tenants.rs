//! Many businesses on one deployment: `serve` with a tenants file of `--tenants` businesses
//! (each with `--tenant-appointments` appointments of its own, all on the run's simulator and
//! database), against the run's single-business server measured right before it. Calls go to
//! each business's own route in turn; the figures are the routing overhead (requests a second
//! of the single business over those of many) and the memory an idle business costs.

use std::{path::Path, sync::Arc, time::Duration};

use serde::Serialize;
use serde_json::json;
use vapi_cal::{db::Db, domain::tenant::TenantSlug};

use crate::{
    Bench, VAPI_SECRET,
    drive::Summary,
    payloads::{self, WebhookTemplates},
    procs::{self, Proc, ServeSettings},
    tool_ok,
};

/// What the many-businesses phases measured.
#[derive(Debug, Serialize)]
pub struct TenantsRun {
    /// Businesses served.
    pub tenants: usize,
    /// Appointments each one holds.
    pub appointments_each: u64,
    /// (path, single business /s, many /s, single ÷ many).
    pub paths: Vec<(String, f64, f64, f64)>,
    /// Resident memory once started and idle: one business, then many (MiB).
    pub idle_rss_mib: (Option<f64>, Option<f64>),
}

impl TenantsRun {
    /// Memory an idle business costs, from the two idle figures.
    pub fn per_tenant_mib(&self) -> Option<f64> {
        let (one, many) = self.idle_rss_mib;
        Some((many? - one?) / (self.tenants.saturating_sub(1).max(1)) as f64)
    }
}

/// The slug of business `i`.
fn slug(i: usize) -> String {
    format!("b{i:03}")
}

/// A VAPI secret of business `i` (unique: a secret names its business).
fn secret(i: usize) -> String {
    format!("{VAPI_SECRET}-{i:03}")
}

/// Writes the tenants file of `n` businesses, all on the run's Cal.com.
fn write_file(path: &Path, n: usize, s: &ServeSettings<'_>) -> anyhow::Result<()> {
    let mut text = String::new();
    for i in 0..n {
        text.push_str(&format!(
            "[[tenant]]\nslug = \"{}\"\nname = \"Business {i}\"\ntime_zone = \"{}\"\ncal_api_url = \"{}\"\ncal_api_key = \"{}\"\nevent_type_ids = [1]\ncal_webhook_secrets = [\"{}\"]\nvapi_webhook_secrets = [\"{}\"]\n\n",
            slug(i),
            payloads::ZONE,
            s.cal_url,
            s.cal_api_key,
            s.cal_webhook_secret,
            secret(i)
        ));
    }
    std::fs::write(path, text)?;
    Ok(())
}

/// The two paths, on one server: unknown tool (parse, route, log) and the local read.
async fn paths(
    bench: &Bench,
    label: &str,
    route: Arc<dyn Fn(u64) -> (String, String) + Send + Sync>,
) -> Vec<Summary> {
    let mut out = Vec::new();
    for (tool, expect_error) in [("no_such_tool", true), ("appointment_read", false)] {
        let client = bench.client.clone();
        let route = route.clone();
        let scenario = format!(
            "{label}: {}",
            if expect_error {
                "unknown tool"
            } else {
                "appointment_read (local)"
            }
        );
        out.push(
            bench
                .phase(&scenario, 50, move |seq| {
                    let (url, secret) = route(seq);
                    let body = payloads::tool_message(seq, tool, &json!({}));
                    let request = client
                        .post(url)
                        .bearer_auth(secret)
                        .header("content-type", "application/json")
                        .body(body);
                    async move { tool_ok(request, expect_error).await }
                })
                .await,
        );
    }
    out
}

/// Measures the single-business `server` and then a server of `n` businesses.
pub async fn measure(
    bench: &Bench,
    server: &Proc,
    settings: &ServeSettings<'_>,
    db: &Db,
    templates: &WebhookTemplates,
    n: usize,
    appointments_each: u64,
) -> anyhow::Result<(TenantsRun, Vec<Summary>)> {
    let single_url = format!("{}/vapi/webhook", server.url);
    let single = paths(
        bench,
        "tenants 1",
        Arc::new(move |_| (single_url.clone(), VAPI_SECRET.to_owned())),
    )
    .await;
    let file = std::env::temp_dir().join(format!(
        "vapi-cal-bench-tenants-{}.toml",
        std::process::id()
    ));
    write_file(&file, n, settings)?;
    eprintln!("   {n} businesses × {appointments_each} appointments");
    for i in 0..n {
        let tenant = db.for_tenant(&TenantSlug::parse(&slug(i))?);
        payloads::grow_appointments(&tenant, templates, 0, appointments_each).await?;
    }
    let many_settings = ServeSettings {
        tenants_file: Some(&file),
        ..*settings
    };
    // A first reconcile of every business marks its table synced, so reads are local.
    procs::run_once(&["sync", "bookings"], &many_settings).await?;
    let many_server = procs::start_server(&many_settings).await?;
    // Idle: started, every business built, nothing asked yet.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let idle_many = many_server.rss_mib();
    let base = many_server.url.clone();
    let many = paths(
        bench,
        &format!("tenants {n}"),
        Arc::new(move |seq| {
            // Calls go to the businesses in turn, each call's messages to its one business: a
            // call never spans businesses, and routing a call's messages apart would measure
            // a first message of a call (its record written) where one business answers later
            // ones from what that call already holds.
            let i = (payloads::call_of(seq) as usize) % n;
            (format!("{base}/t/{}/vapi/webhook", slug(i)), secret(i))
        }),
    )
    .await;
    many_server.stop(Duration::from_secs(10)).await;
    let _ = std::fs::remove_file(&file);
    let paths = single
        .iter()
        .zip(&many)
        .map(|(one, many)| {
            let what = one
                .scenario
                .split_once(": ")
                .map_or(one.scenario.clone(), |(_, path)| path.to_owned());
            (
                what,
                one.requests_per_sec,
                many.requests_per_sec,
                one.requests_per_sec / many.requests_per_sec.max(1e-9),
            )
        })
        .collect();
    let run = TenantsRun {
        tenants: n,
        appointments_each,
        paths,
        idle_rss_mib: (None, idle_many),
    };
    Ok((run, single.into_iter().chain(many).collect()))
}
