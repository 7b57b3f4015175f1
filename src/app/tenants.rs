//! The businesses one deployment serves, as built: each tenant's Cal.com client, tools, zone,
//! database handle (scoped to its rows) and the credentials its webhooks must carry, and how a
//! message finds its tenant.
//!
//! Without `TENANTS_FILE` there is one tenant, `default`, made of the environment's settings,
//! and every route behaves as it did before tenants existed.

use std::{collections::HashMap, sync::Arc};

use chrono_tz::Tz;
use secrecy::SecretString;

use crate::{
    dashboard::session::{Access, Grant},
    db::Db,
    domain::tenant::TenantSlug,
    tools::ToolContext,
    vapi::CallInfo,
    vapi::auth::VapiAuth,
};

/// One business, ready to serve.
#[derive(Debug)]
pub struct Tenant {
    /// Its slug.
    pub slug: TenantSlug,
    /// Its name.
    pub name: String,
    /// Its database handle: every query reads and writes this tenant's rows only.
    pub db: Db,
    /// Its zone.
    pub business_tz: Tz,
    /// Its tools (Cal.com client, limits, staff, language...).
    pub tools: ToolContext,
    /// Secrets its Cal.com webhooks are signed with; empty means unsigned deliveries are
    /// accepted (only the environment's tenant may be started so).
    pub cal_webhook_secrets: Vec<SecretString>,
    /// The credentials its VAPI messages must carry.
    pub vapi_auth: VapiAuth,
    /// The assistant `assistant-request` answers with.
    pub vapi_assistant_id: Option<String>,
    /// Every assistant it claims (messages naming one are its).
    pub assistant_ids: Vec<String>,
    /// Every VAPI phone number it claims.
    pub phone_number_ids: Vec<String>,
    /// The calls it makes (reminders, follow-ups) and their outcomes.
    pub outbound: crate::outbound::Outbound,
    /// VAPI's live call control, for a hand-over the service decides.
    pub control: crate::vapi::control::LiveControl,
    /// VAPI's API with its organisation's key (its own `vapi_api_key`, else `VAPI_API_KEY`),
    /// when there is one: the console asks it for fresh recording links.
    pub vapi: Option<crate::vapi::client::VapiClient>,
}

/// The tenants being served, replaced as a whole when the tenants file is read again: a request
/// takes the set current when it arrives and keeps it to the end.
#[derive(Debug)]
pub struct Tenants {
    current: std::sync::RwLock<Arc<TenantSet>>,
}

impl Tenants {
    /// Serves `set`.
    pub fn new(set: TenantSet) -> Self {
        Self {
            current: std::sync::RwLock::new(Arc::new(set)),
        }
    }

    /// The set being served.
    pub fn current(&self) -> Arc<TenantSet> {
        self.current
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Serves `set` from now on; requests already running keep the set they took.
    pub fn replace(&self, set: TenantSet) {
        *self.current.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(set);
    }
}

/// Every tenant, and the indexes a message is routed by.
#[derive(Debug)]
pub struct TenantSet {
    list: Vec<Arc<Tenant>>,
    by_slug: HashMap<String, usize>,
    by_phone_number: HashMap<String, usize>,
    by_assistant: HashMap<String, usize>,
    /// Every tenant's VAPI credentials together: what the shared route checks from the headers
    /// before it reads a body (the tenant's own are checked once the message names it).
    any_vapi_auth: VapiAuth,
    /// Who may sign in to the console and read `/api` (`ADMIN_TOKEN` and each business's
    /// `admin_tokens`); `None` turns both off.
    operators: Option<Access>,
}

/// Why a message on the shared route has no tenant.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Unclaimed {
    /// Neither its phone number nor its assistant belongs to any tenant.
    #[error(
        "no business on this deployment claims this message (phone number id {phone}, assistant id {assistant}); send it to /t/{{slug}}/vapi/webhook or list the id in the tenants file"
    )]
    NoClaim {
        /// The phone number id it named, or "none".
        phone: String,
        /// The assistant id it named, or "none".
        assistant: String,
    },
}

impl TenantSet {
    /// The set of `tenants` (at least one, slugs and claims unique: the tenants file's checks),
    /// with the operators who may read them.
    pub fn new(tenants: Vec<Tenant>, operators: Option<Access>) -> Self {
        let list: Vec<Arc<Tenant>> = tenants.into_iter().map(Arc::new).collect();
        let mut by_slug = HashMap::new();
        let mut by_phone_number = HashMap::new();
        let mut by_assistant = HashMap::new();
        let mut any_vapi_auth = VapiAuth::default();
        for (i, t) in list.iter().enumerate() {
            by_slug.insert(t.slug.as_str().to_owned(), i);
            for id in &t.phone_number_ids {
                by_phone_number.entry(id.clone()).or_insert(i);
            }
            for id in &t.assistant_ids {
                by_assistant.entry(id.clone()).or_insert(i);
            }
            any_vapi_auth
                .shared_secrets
                .extend(t.vapi_auth.shared_secrets.iter().cloned());
            any_vapi_auth
                .hmac_secrets
                .extend(t.vapi_auth.hmac_secrets.iter().cloned());
        }
        Self {
            list,
            by_slug,
            by_phone_number,
            by_assistant,
            any_vapi_auth,
            operators,
        }
    }

    /// Who may sign in to the console and read `/api`; `None` when no token is configured.
    pub fn operators(&self) -> Option<&Access> {
        self.operators.as_ref()
    }

    /// Every tenant, in the file's order.
    pub fn all(&self) -> &[Arc<Tenant>] {
        &self.list
    }

    /// How many tenants there are.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// Whether there are none (never, once built).
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The tenant `slug`, if there is one.
    pub fn get(&self, slug: &str) -> Option<&Arc<Tenant>> {
        self.by_slug.get(slug).map(|&i| &self.list[i])
    }

    /// The only tenant, when there is exactly one.
    pub fn only(&self) -> Option<&Arc<Tenant>> {
        match self.list.as_slice() {
            [one] => Some(one),
            _ => None,
        }
    }

    /// The tenant the console and the operator API show: `default` if there is one, else the
    /// first of the file.
    pub fn home(&self) -> &Arc<Tenant> {
        self.get(TenantSlug::DEFAULT).unwrap_or(&self.list[0])
    }

    /// The tenant a message on the shared route belongs to: the one claiming its phone number,
    /// else its assistant; with a single tenant, that one. A message naming neither (a web call
    /// to an assistant that is not listed, a test) is the `default` tenant's when there is one,
    /// like the shared Cal.com route; one naming ids nobody claims is nobody's.
    pub fn claiming(&self, info: &CallInfo) -> Result<&Arc<Tenant>, Unclaimed> {
        if let Some(one) = self.only() {
            return Ok(one);
        }
        let by_phone = info
            .phone_number_id
            .as_ref()
            .and_then(|id| self.by_phone_number.get(id));
        let by_assistant = info
            .assistant_id
            .as_ref()
            .and_then(|id| self.by_assistant.get(id));
        let names_none = info.phone_number_id.is_none() && info.assistant_id.is_none();
        by_phone
            .or(by_assistant)
            .map(|&i| &self.list[i])
            .or_else(|| names_none.then(|| self.get(TenantSlug::DEFAULT)).flatten())
            .ok_or_else(|| Unclaimed::NoClaim {
                phone: shown_id(info.phone_number_id.as_deref()),
                assistant: shown_id(info.assistant_id.as_deref()),
            })
    }

    /// The tenant an operator with `grant` sees when asking for `requested` (a slug from the
    /// URL or the console's choice): one tenant's operator sees theirs and nothing else; the
    /// admin sees the one asked for, else the home tenant. `None` when the grant does not
    /// reach it (or there is no such tenant): the answer is the same, so a tenant's operator
    /// cannot learn which slugs exist.
    pub fn visible(&self, grant: &Grant, requested: Option<&str>) -> Option<&Arc<Tenant>> {
        match grant {
            Grant::Tenant(own) => match requested {
                Some(slug) if slug != own.as_str() => None,
                _ => self.get(own.as_str()),
            },
            Grant::Every => match requested {
                Some(slug) => self.get(slug),
                None => Some(self.home()),
            },
        }
    }

    /// Every tenant's VAPI credentials together (see [`TenantSet`]).
    pub fn any_vapi_auth(&self) -> &VapiAuth {
        &self.any_vapi_auth
    }
}

/// An id as an error may repeat it: at most 64 plain characters, else "none".
fn shown_id(id: Option<&str>) -> String {
    match id {
        Some(id)
            if id.len() <= 64
                && id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') =>
        {
            id.to_owned()
        }
        Some(_) => "(not shown)".to_owned(),
        None => "none".to_owned(),
    }
}
