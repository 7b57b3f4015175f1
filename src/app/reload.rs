//! Reading the tenants file again while serving: on `SIGHUP` the file is checked as at start;
//! a good file replaces the businesses served (and their background jobs) in one step, a bad
//! one is refused, every problem logged with its line, and the running set is kept.

use std::{path::PathBuf, sync::Arc};

use crate::{app::build::build_set, clock::Clock, config::Settings, db::Db};

use super::{RunningJobs, load_tenants_file, tenants::Tenants};

/// What it takes to build the businesses again.
#[derive(Debug, Clone)]
pub struct Reloader {
    settings: Settings,
    clock: Clock,
    db: Db,
    tenants: Arc<Tenants>,
    path: PathBuf,
}

/// What one reading of the file did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reloaded {
    /// The file was good: these businesses are served now (slugs, in the file's order).
    Serving(Vec<String>),
    /// The file was refused; the businesses served before still are. Says why.
    Refused(String),
}

impl Reloader {
    /// A reloader of the file `settings.tenants_file`, if the service has one.
    pub fn new(settings: &Settings, clock: Clock, db: Db, tenants: Arc<Tenants>) -> Option<Self> {
        Some(Self {
            path: settings.tenants_file.clone()?,
            settings: settings.clone(),
            clock,
            db,
            tenants,
        })
    }

    /// Reads the file again; a good one replaces the businesses served and restarts their jobs
    /// in `jobs`.
    pub fn reload(&self, jobs: &mut RunningJobs) -> Reloaded {
        let built = load_tenants_file(&self.path).and_then(|file| {
            let current = self.tenants.current();
            build_set(
                &self.settings,
                &self.clock,
                &self.db,
                Some(&file),
                Some(&current),
            )
        });
        match built {
            Ok((set, tenant_jobs)) => {
                let slugs: Vec<String> = set.all().iter().map(|t| t.slug.to_string()).collect();
                self.tenants.replace(set);
                jobs.restart_tenant_jobs(tenant_jobs);
                tracing::info!(
                    file = %self.path.display(),
                    tenants = %slugs.join(", "),
                    "tenants file read again: serving these businesses"
                );
                Reloaded::Serving(slugs)
            }
            Err(err) => {
                tracing::error!(
                    file = %self.path.display(),
                    "tenants file refused; still serving the businesses it had: {err:#}"
                );
                Reloaded::Refused(format!("{err:#}"))
            }
        }
    }

    /// Reads the file again on every `SIGHUP` until the process ends; owns the jobs it restarts.
    /// The signal is caught from the moment this is called (not when the future first runs), so
    /// a `SIGHUP` sent once the server answers never stops the process.
    pub fn on_hangup(self, mut jobs: RunningJobs) -> impl Future<Output = ()> + Send {
        #[cfg(unix)]
        let hangups = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup());
        async move {
            #[cfg(unix)]
            match hangups {
                Ok(mut hangups) => {
                    while hangups.recv().await.is_some() {
                        self.reload(&mut jobs);
                    }
                }
                Err(err) => {
                    tracing::warn!(%err, "SIGHUP cannot be caught: the tenants file is read at start only");
                }
            }
            // Without signals (or once they end) the jobs keep running with the process.
            let _keep = &mut jobs;
            std::future::pending::<()>().await;
        }
    }
}
