//! `vapi-cal outbound …`: the calls the business makes, from the command line. `run` makes one
//! pass now (`--dry-run`: says what would be called and why, changing nothing), `status` lists
//! the next and latest calls with their states, `opt-out` records a number staff were asked
//! not to call.

use anyhow::{Context, bail};
use chrono::{DateTime, Utc};
use clap::Subcommand;

use super::targets::{self, Target};
use crate::{
    app,
    clock::Clock,
    domain::{
        language::Language,
        local_time::speak_instant,
        outbound::{OutboundCall, OutboundState},
        phone::caller_e164,
        waitlist::OpeningState,
    },
    outbound::PassReport,
};

/// `outbound` subcommands.
#[derive(Subcommand, Clone, Debug)]
pub enum OutboundCommand {
    /// Plan and place the calls due now (what `serve` does every OUTBOUND_INTERVAL_SECS).
    Run {
        /// Say what would be called now and why; place and write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// The next calls planned and the latest ones made, with their states and outcomes.
    Status {
        /// Rows of each list.
        #[arg(long, default_value_t = 20)]
        limit: u32,
    },
    /// Never call this number (E.164) again: reminders and follow-ups to it are skipped.
    OptOut {
        /// The number, e.g. +15551234567.
        number: String,
    },
}

/// Runs `command` for each business of `targets`.
pub async fn run(targets: &[Target], command: &OutboundCommand) -> anyhow::Result<()> {
    for target in targets {
        targets::heading(targets, target);
        run_one(target, command).await?;
    }
    Ok(())
}

async fn run_one(target: &Target, command: &OutboundCommand) -> anyhow::Result<()> {
    let settings = &target.settings;
    let Some(tz) = settings.business_timezone else {
        bail!("BUSINESS_TIMEZONE is required: calling hours are the business's");
    };
    let db = target.db().await.context("could not open the database")?;
    let clock = Clock::system();
    let cal = app::cal_client(settings).ok();
    let outbound = app::outbound_calls(settings, tz, &db, &clock, cal)?;
    let lang = settings.business_language;
    match command {
        OutboundCommand::Run { dry_run } => {
            if !outbound.policy().any_on() {
                println!("No calls are made: REMINDERS, NO_SHOW_FOLLOW_UP and WAITLIST are off.");
                return Ok(());
            }
            let report = outbound
                .run_once(*dry_run)
                .await
                .context("the outbound pass failed")?;
            print!("{}", render_pass(&report, tz, lang));
        }
        OutboundCommand::Status { limit } => {
            let policy = outbound.policy();
            println!(
                "Reminders: {}{}; no-show follow-ups: {}; waitlist: {}; calling hours: {} ({}); at most {} at once.",
                if policy.reminders { "on" } else { "off" },
                if policy.reminders {
                    format!(", {} minutes before", policy.lead.num_minutes())
                } else {
                    String::new()
                },
                if policy.no_show_follow_up {
                    "on"
                } else {
                    "off"
                },
                if policy.waitlist { "on" } else { "off" },
                policy.window,
                tz.name(),
                policy.max_concurrent
            );
            let next = db
                .outbound_calls(&OutboundState::PENDING, false, *limit)
                .await?;
            println!("\nNext ({}):", next.len());
            for call in &next {
                println!("  {}", line(call, tz, lang));
            }
            let done = db
                .outbound_calls(&OutboundState::SETTLED, true, *limit)
                .await?;
            println!("\nLatest ({}):", done.len());
            for call in &done {
                println!("  {}", line(call, tz, lang));
            }
            if policy.waitlist {
                print_waitlist(&db, *limit, tz, lang).await?;
            }
            println!(
                "\nNumbers that asked not to be called: {}.",
                db.opt_out_count().await?
            );
        }
        OutboundCommand::OptOut { number } => {
            let Some(phone) = caller_e164(number).filter(|p| p == number.trim()) else {
                bail!("'{number}' is not a phone number in E.164 (+15551234567)");
            };
            let new = db.opt_out(&phone, "staff", clock.now()).await?;
            if new {
                println!("{phone} will not be called again.");
            } else {
                println!("{phone} had already asked not to be called.");
            }
        }
    }
    Ok(())
}

/// The waitlist's part of `status`: the times opened and whom they are offered to, and who
/// waits.
async fn print_waitlist(
    db: &crate::db::Db,
    limit: u32,
    tz: chrono_tz::Tz,
    lang: Language,
) -> anyhow::Result<()> {
    let openings = db.openings(&[], true, limit).await?;
    println!("\nWaitlist offers ({}):", openings.len());
    for o in &openings {
        let mut text = format!(
            "  {}  {}  offered {} time(s)",
            speak_instant(o.slot_start, tz, lang),
            o.state,
            o.offers
        );
        match (o.state, &o.phone, &o.booked_uid) {
            (OpeningState::Offering, Some(phone), _) => {
                text.push_str(&format!("  now to {phone}"));
            }
            (OpeningState::Filled, phone, Some(uid)) => {
                text.push_str(&format!("  booked {uid}"));
                if let Some(phone) = phone {
                    text.push_str(&format!(" for {phone}"));
                }
            }
            _ => {}
        }
        if let Some(detail) = &o.detail {
            text.push_str(&format!(" — {detail}"));
        }
        println!("{text}");
    }
    let waiting = db.waiting_entries(limit).await?;
    println!("\nWaiting ({}):", waiting.len());
    for e in &waiting {
        println!(
            "  {}  {}  {} to {}{}",
            e.id,
            e.phone,
            e.first_day,
            e.last_day,
            e.part
                .map(|p| format!(", {}", p.as_str()))
                .unwrap_or_default()
        );
    }
    Ok(())
}

/// One pass as the operator reads it.
pub fn render_pass(report: &PassReport, tz: chrono_tz::Tz, lang: Language) -> String {
    let mut out = String::new();
    if report.not_leader {
        out.push_str("Another process is placing this business's calls right now; nothing done.\n");
        return out;
    }
    let verb = if report.dry_run {
        "Would call"
    } else {
        "Called"
    };
    let sections: [(&str, &Vec<OutboundCall>); 4] = [
        (verb, &report.placed),
        ("Skipped", &report.skipped),
        ("Put off", &report.deferred),
        ("Failed", &report.failed),
    ];
    for (title, calls) in sections {
        if calls.is_empty() {
            continue;
        }
        out.push_str(&format!("{title} ({}):\n", calls.len()));
        for call in calls {
            out.push_str(&format!("  {}\n", line(call, tz, lang)));
        }
    }
    if !report.waitlist.is_empty() {
        out.push_str(&format!("Waitlist ({}):\n", report.waitlist.len()));
        for step in &report.waitlist {
            out.push_str(&format!(
                "  {}  {}{}{}\n",
                speak_instant(step.slot_start, tz, lang),
                step.what.label(),
                step.phone
                    .as_deref()
                    .map(|p| format!("  {p}"))
                    .unwrap_or_default(),
                step.detail
                    .as_deref()
                    .map(|d| format!(" — {d}"))
                    .unwrap_or_default()
            ));
        }
    }
    if report.waiting_for_a_line > 0 {
        out.push_str(&format!(
            "Waiting for a free line: {} (OUTBOUND_MAX_CONCURRENT).\n",
            report.waiting_for_a_line
        ));
    }
    let planned = report.planned.len();
    if planned > 0 {
        out.push_str(&format!(
            "{} {planned} new call(s).\n",
            if report.dry_run {
                "Would plan"
            } else {
                "Planned"
            }
        ));
    }
    if out.is_empty() {
        out.push_str("Nothing to call now.\n");
    }
    out
}

/// `2026-12-08 09:00 EST  reminder  +15551234567  booking abc (Tuesday, December 8 at 10 AM)  scheduled — why`.
fn line(call: &OutboundCall, tz: chrono_tz::Tz, lang: Language) -> String {
    let mut text = format!(
        "{}  {}  {}  booking {} ({})  {}",
        local(call.due_at, tz),
        call.kind.label(),
        call.phone,
        call.booking_uid,
        speak_instant(call.appointment_start, tz, lang),
        call.state
    );
    if let Some(outcome) = call.outcome {
        text.push_str(&format!(": {}", outcome.label()));
    }
    if call.attempts > 1 {
        text.push_str(&format!(" after {} calls", call.attempts));
    }
    if let Some(detail) = &call.detail {
        text.push_str(&format!(" — {detail}"));
    }
    text
}

fn local(at: DateTime<Utc>, tz: chrono_tz::Tz) -> String {
    at.with_timezone(&tz)
        .format("%Y-%m-%d %H:%M %Z")
        .to_string()
}
