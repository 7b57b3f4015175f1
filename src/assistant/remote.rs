//! Talking to VAPI about the assistant: finding it, and `push`, `pull` and `diff` with their
//! reports.

use std::fmt;

use anyhow::{Context, bail};
use serde_json::{Map, Value};

use super::{Change, compare::id_of, diff, masked, strip_server_managed};
use crate::vapi::client::VapiClient;

/// Finds the live assistant: by id when given (an unknown id is an error, never a silent create),
/// otherwise by exact name. Several assistants with the name is an error naming their ids.
pub async fn find_assistant(
    client: &VapiClient,
    id: Option<&str>,
    name: &str,
) -> anyhow::Result<Option<Value>> {
    if let Some(id) = id.map(str::trim).filter(|s| !s.is_empty()) {
        let assistant = client.get_assistant(id).await.with_context(|| {
            format!("could not read assistant {id} (VAPI_ASSISTANT_ID) from VAPI")
        })?;
        return Ok(Some(assistant));
    }
    let all = client
        .list_assistants()
        .await
        .context("could not list the assistants on VAPI")?;
    let mut named: Vec<Value> = all
        .into_iter()
        .filter(|a| a.get("name").and_then(Value::as_str) == Some(name))
        .collect();
    match named.len() {
        0 => Ok(None),
        1 => Ok(named.pop()),
        _ => bail!(
            "{} assistants on VAPI are named {name:?} ({}); set VAPI_ASSISTANT_ID to the one to manage",
            named.len(),
            named.iter().map(id_of).collect::<Vec<_>>().join(", ")
        ),
    }
}

/// What `push` did or, in a dry run, would do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PushAction {
    /// `POST /assistant`.
    Create,
    /// `PATCH /assistant/{id}`.
    Update,
    /// Nothing to send: the live assistant matches.
    None,
    /// Dry run without an API key: the live assistant was not looked up.
    NotLookedUp,
    /// Not pushed: the live assistant was edited on VAPI since the last push (see
    /// [`PushReport::edited_on_vapi`]), and pushing would overwrite that.
    EditedOnVapi,
}

/// The result of [`push`].
#[derive(Clone, Debug)]
pub struct PushReport {
    /// Assistant name.
    pub name: String,
    /// What happened (or would happen, in a dry run).
    pub action: PushAction,
    /// Whether this was a dry run (no writes).
    pub dry_run: bool,
    /// The live (or created) assistant's id.
    pub assistant_id: Option<String>,
    /// Field-level changes between live and definition.
    pub changes: Vec<Change>,
    /// Fields the last push set that the live assistant no longer has as pushed: edits made on
    /// VAPI since (live → as last pushed).
    pub edited_on_vapi: Vec<Change>,
    /// The request body, secrets masked.
    pub body: Value,
    /// Remarks for the operator.
    pub notes: Vec<String>,
    /// The assistant's latest version as VAPI reports it (`latestVersion`), after the push.
    pub live_version: Option<String>,
}

/// The `latestVersion` VAPI reports for an assistant, if any.
fn version_of(assistant: &Value) -> Option<String> {
    match assistant.get("latestVersion")? {
        Value::String(v) if !v.trim().is_empty() => Some(v.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

impl fmt::Display for PushReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for note in &self.notes {
            writeln!(f, "note: {note}")?;
        }
        if let Some(version) = &self.live_version {
            writeln!(f, "VAPI's latest version of the assistant: {version}.")?;
        }
        let id = self.assistant_id.as_deref().unwrap_or("?");
        if self.dry_run {
            writeln!(f, "Dry run: nothing is written to VAPI.")?;
            let request = match self.action {
                PushAction::Create => "POST /assistant".to_owned(),
                PushAction::Update => format!("PATCH /assistant/{id}"),
                PushAction::None => "nothing (already up to date)".to_owned(),
                PushAction::NotLookedUp => "POST /assistant or PATCH /assistant/{id}".to_owned(),
                PushAction::EditedOnVapi => {
                    "nothing (edited on VAPI since the last push)".to_owned()
                }
            };
            writeln!(f, "Would send: {request}")?;
            writeln!(f, "Request body (secrets masked):")?;
            writeln!(
                f,
                "{}",
                serde_json::to_string_pretty(&self.body).unwrap_or_default()
            )?;
        }
        match self.action {
            PushAction::Create if self.dry_run => {
                writeln!(
                    f,
                    "No assistant named {:?} on VAPI: it would be created.",
                    self.name
                )
            }
            PushAction::Create => writeln!(f, "Created assistant {:?} ({id}).", self.name),
            PushAction::None => writeln!(
                f,
                "Assistant {:?} ({id}) is up to date: nothing changed{}.",
                self.name,
                if self.dry_run { "" } else { ", nothing sent" }
            ),
            PushAction::NotLookedUp => {
                writeln!(f, "No diff: the live assistant was not looked up.")
            }
            PushAction::EditedOnVapi => {
                writeln!(
                    f,
                    "Not pushed: assistant {:?} ({id}) was edited on VAPI since the last push, in {} field(s) (live → as last pushed):",
                    self.name,
                    self.edited_on_vapi.len()
                )?;
                for change in &self.edited_on_vapi {
                    writeln!(f, "  {change}")?;
                }
                writeln!(
                    f,
                    "Pushing would change {} field(s) (live → repository):",
                    self.changes.len()
                )?;
                for change in &self.changes {
                    writeln!(f, "  {change}")?;
                }
                writeln!(
                    f,
                    "Adopt the live edits with `vapi-cal assistant pull` (with a tenants file: `--tenant SLUG`, which writes them into that business's overrides file), or overwrite them with `vapi-cal assistant push --force`."
                )
            }
            PushAction::Update => {
                let verb = if self.dry_run {
                    "Would update"
                } else {
                    "Updated"
                };
                writeln!(
                    f,
                    "{verb} assistant {:?} ({id}): {} change(s):",
                    self.name,
                    self.changes.len()
                )?;
                for change in &self.changes {
                    writeln!(f, "  {change}")?;
                }
                Ok(())
            }
        }
    }
}

/// Creates or updates the assistant so that VAPI matches `desired`. With `dry_run` nothing is
/// written (the lookup still happens when there is a client); without a client only a dry run is
/// possible, and it skips the lookup.
pub async fn push(
    client: Option<&VapiClient>,
    desired: &Value,
    assistant_id: Option<&str>,
    dry_run: bool,
) -> anyhow::Result<PushReport> {
    push_checked(client, desired, assistant_id, dry_run, None, true).await
}

/// Like [`push`], knowing what the last push sent (`last_pushed`, secrets masked): when the live
/// assistant no longer has what was pushed (it was edited on VAPI since) and this push would
/// change it, nothing is written unless `force`; the report says what was edited.
pub async fn push_checked(
    client: Option<&VapiClient>,
    desired: &Value,
    assistant_id: Option<&str>,
    dry_run: bool,
    last_pushed: Option<&Value>,
    force: bool,
) -> anyhow::Result<PushReport> {
    let name = desired
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let mut report = PushReport {
        name: name.clone(),
        action: PushAction::NotLookedUp,
        dry_run,
        assistant_id: assistant_id.map(str::to_owned),
        changes: Vec::new(),
        edited_on_vapi: Vec::new(),
        live_version: None,
        body: masked(desired),
        notes: Vec::new(),
    };
    if desired.pointer("/server/headers").is_none() && desired.get("credentials").is_none() {
        report.notes.push(
            "Neither VAPI_WEBHOOK_SECRET nor VAPI_WEBHOOK_HMAC_SECRET is set: VAPI will call the webhook without credentials, and vapi-cal serve refuses those."
                .to_owned(),
        );
    }
    let Some(client) = client else {
        if !dry_run {
            bail!(
                "VAPI_API_KEY is required to push the assistant (use --dry-run to see the request without it)"
            );
        }
        report.notes.push(
            "VAPI_API_KEY is not set: skipped looking up the live assistant on VAPI.".to_owned(),
        );
        return Ok(report);
    };
    let live = find_assistant(client, assistant_id, &name).await?;
    match live {
        None => {
            report.action = PushAction::Create;
            report.changes = diff(&Value::Object(Map::new()), desired);
            if !dry_run {
                let created = client
                    .create_assistant(desired)
                    .await
                    .context("VAPI refused to create the assistant")?;
                report.assistant_id = Some(id_of(&created));
                report.live_version = version_of(&created);
            }
        }
        Some(live) => {
            let id = id_of(&live);
            report.assistant_id = Some(id.clone());
            report.live_version = version_of(&live);
            report.changes = diff(&live, desired);
            report.edited_on_vapi = last_pushed
                .map(|pushed| diff(&masked(&live), pushed))
                .unwrap_or_default();
            if report.changes.is_empty() {
                report.action = PushAction::None;
            } else if !report.edited_on_vapi.is_empty() && !force {
                report.action = PushAction::EditedOnVapi;
            } else {
                report.action = PushAction::Update;
                if !dry_run {
                    let updated = client
                        .update_assistant(&id, desired)
                        .await
                        .with_context(|| format!("VAPI refused to update assistant {id}"))?;
                    report.live_version = version_of(&updated).or(report.live_version);
                }
            }
        }
    }
    Ok(report)
}

/// The result of [`pull`].
#[derive(Clone, Debug)]
pub struct PullReport {
    /// The live assistant's id.
    pub assistant_id: String,
    /// The live assistant without server-managed fields, secrets masked.
    pub assistant: Value,
}

/// Reads the live assistant. Server-managed fields are stripped (so the output compares cleanly
/// with the repository's definition) and header secrets masked (so the file is safe to keep).
pub async fn pull(
    client: &VapiClient,
    assistant_id: Option<&str>,
    name: &str,
) -> anyhow::Result<PullReport> {
    let live = find_assistant(client, assistant_id, name)
        .await?
        .with_context(|| {
            format!(
                "no assistant named {name:?} on VAPI; run `vapi-cal assistant push` to create it"
            )
        })?;
    Ok(PullReport {
        assistant_id: id_of(&live),
        assistant: masked(&strip_server_managed(&live)),
    })
}

/// The result of [`diff_live`].
#[derive(Clone, Debug)]
pub struct DiffReport {
    /// Assistant name.
    pub name: String,
    /// The live assistant's id, if there is one.
    pub assistant_id: Option<String>,
    /// Field-level changes a push would make.
    pub changes: Vec<Change>,
}

impl DiffReport {
    /// Live matches the repository.
    pub fn in_sync(&self) -> bool {
        self.assistant_id.is_some() && self.changes.is_empty()
    }
}

impl fmt::Display for DiffReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.assistant_id {
            None => writeln!(
                f,
                "Out of sync: there is no assistant named {:?} on VAPI; `vapi-cal assistant push` would create it.",
                self.name
            ),
            Some(id) if self.changes.is_empty() => writeln!(
                f,
                "In sync: assistant {:?} ({id}) on VAPI matches the repository.",
                self.name
            ),
            Some(id) => {
                writeln!(
                    f,
                    "Out of sync: assistant {:?} ({id}) differs from the repository in {} field(s) (live → repository):",
                    self.name,
                    self.changes.len()
                )?;
                for change in &self.changes {
                    writeln!(f, "  {change}")?;
                }
                writeln!(
                    f,
                    "Run `vapi-cal assistant push` to apply the repository's version."
                )
            }
        }
    }
}

/// Compares the live assistant with `desired`, writing nothing.
pub async fn diff_live(
    client: &VapiClient,
    desired: &Value,
    assistant_id: Option<&str>,
) -> anyhow::Result<DiffReport> {
    let name = desired
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let live = find_assistant(client, assistant_id, &name).await?;
    Ok(DiffReport {
        name,
        assistant_id: live.as_ref().map(id_of),
        changes: live.map(|l| diff(&l, desired)).unwrap_or_default(),
    })
}
