//! Which businesses a command acts on. Without `TENANTS_FILE` there is one, made of the
//! environment's settings; with it, every tenant of the file, or the one `--tenant` names. Each
//! comes with its settings as the command sees them: the tenant's own over the deployment's,
//! with `PUBLIC_URL` pointing at the tenant's routes (`PUBLIC_URL/t/{slug}`), so the assistant
//! it pushes and the Cal.com webhook it registers reach that tenant.

use std::sync::Arc;

use anyhow::bail;
use tokio::sync::OnceCell;

use crate::{
    app,
    config::Settings,
    db::{Db, DbError},
    domain::tenant::TenantSlug,
};

/// One business a command acts on.
#[derive(Debug)]
pub struct Target {
    /// Its slug (`default` without a tenants file).
    pub slug: TenantSlug,
    /// Its name, for headings.
    pub name: String,
    /// Its settings as the command sees them.
    pub settings: Settings,
    /// Its assistant overrides file (`assistant_overrides`), where `assistant pull` adopts the
    /// live assistant; a file not written yet overrides nothing.
    pub overrides: Option<std::path::PathBuf>,
    /// The database, opened once for every business of the command.
    root: Arc<OnceCell<Db>>,
}

impl Target {
    /// The database, scoped to this business (opened and migrated by the first business that
    /// asks).
    pub async fn db(&self) -> Result<Db, DbError> {
        let db = self
            .root
            .get_or_try_init(|| Db::connect_and_migrate(&self.settings.database_url))
            .await?;
        Ok(if self.slug.is_default() {
            db.clone()
        } else {
            db.for_tenant(&self.slug)
        })
    }
}

/// The businesses a command acts on (see the module's doc); `only` is `--tenant`.
pub fn resolve(settings: &Settings, only: Option<&str>) -> anyhow::Result<Vec<Target>> {
    let Some(path) = &settings.tenants_file else {
        if let Some(slug) = only.filter(|slug| *slug != TenantSlug::DEFAULT) {
            bail!("--tenant {slug}: without TENANTS_FILE the only business is 'default'");
        }
        return Ok(vec![Target {
            slug: TenantSlug::default_tenant(),
            name: TenantSlug::DEFAULT.to_owned(),
            settings: settings.clone(),
            overrides: None,
            root: Arc::default(),
        }]);
    };
    let file = app::load_tenants_file(path)?;
    let root: Arc<OnceCell<Db>> = Arc::default();
    let targets: Vec<Target> = file
        .tenants
        .iter()
        .filter(|def| only.is_none_or(|slug| def.slug.as_str() == slug))
        .map(|def| {
            let mut tenant = settings.for_tenant(def);
            tenant.public_url = settings
                .public_url
                .as_deref()
                .map(|url| format!("{}/t/{}", url.trim_end_matches('/'), def.slug));
            // Found by name on VAPI when the file names no assistant: one per business.
            let overrides = def
                .assistant_overrides
                .as_ref()
                .map(std::path::PathBuf::from);
            if overrides.as_ref().is_some_and(|path| !path.exists()) {
                tenant.vapi_assistant_overrides_file = None;
            }
            if def.vapi_assistant_ids.is_empty() {
                tenant.vapi_assistant_name =
                    format!("{} · {}", settings.vapi_assistant_name, def.name);
            }
            Target {
                slug: def.slug.clone(),
                name: def.name.clone(),
                settings: tenant,
                overrides,
                root: root.clone(),
            }
        })
        .collect();
    if let Some(slug) = only
        && targets.is_empty()
    {
        let known: Vec<&str> = file.tenants.iter().map(|d| d.slug.as_str()).collect();
        bail!(
            "--tenant {slug}: no such business in {} (known: {})",
            path.display(),
            known.join(", ")
        );
    }
    Ok(targets)
}

/// Prints which business the output below is about, when a command acts on several.
pub fn heading(targets: &[Target], target: &Target) {
    if targets.len() > 1 {
        println!("== {} ({})", target.name, target.slug);
    }
}
