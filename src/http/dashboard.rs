//! `/dashboard`: sign-in, sign-out, the pages and the embedded stylesheet.
//!
//! Thin: pages are built in `crate::dashboard`. Without `ADMIN_TOKEN` every route answers 404;
//! without a valid session every page redirects to the sign-in page. The token only ever
//! travels in a POST body, never in a URL.

use askama::Template;
use axum::{
    Form,
    extract::{FromRequestParts, Path, Query, State},
    http::{
        HeaderMap, HeaderValue, StatusCode,
        header::{self, COOKIE, SET_COOKIE},
        request::Parts,
    },
    response::{
        IntoResponse, Redirect, Response,
        sse::{Event, KeepAlive, Sse},
    },
};
use serde::Deserialize;
use std::{convert::Infallible, sync::Arc};

use crate::{
    app::{
        AppState,
        tenants::{Tenant, TenantSet},
    },
    dashboard::{
        Business, BusinessChoice, Page,
        appointments::{AppointmentFilters, AppointmentsPage},
        assets,
        call_pages::{self, CallFilters, CallPage, CallsPage},
        export,
        failures::FailuresPage,
        live,
        not_found::NotFoundPage,
        outbound::OutboundPage,
        session::{Access, Grant, cookie_value},
        sign_in::SignInPage,
        stats::{StatsFilters, StatsPage},
        today::TodayPage,
    },
    db::DbError,
    domain::{call::Call, tenant::TenantSlug},
    http::throttle::ClientAddress,
};

/// Where the sign-in page is.
pub const SIGN_IN_PATH: &str = "/dashboard/sign-in";

/// The dashboard is on (`ADMIN_TOKEN` is set); 404 otherwise.
pub struct Enabled(Access);

impl FromRequestParts<AppState> for Enabled {
    type Rejection = Response;

    async fn from_request_parts(_: &mut Parts, state: &AppState) -> Result<Self, Response> {
        state
            .tenants
            .current()
            .operators()
            .cloned()
            .map(Enabled)
            .ok_or_else(|| StatusCode::NOT_FOUND.into_response())
    }
}

/// A signed-in operator (a cookie of ours whose session is open), with what their token
/// granted; otherwise a redirect to the sign-in page.
pub struct Session(pub Grant);

impl FromRequestParts<AppState> for Session {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let Enabled(access) = Enabled::from_request_parts(parts, state).await?;
        let now = state.clock.now();
        for id in session_ids(&access, &parts.headers, now) {
            match state.db.dashboard_session(id, now).await {
                Ok(Some(None)) => return Ok(Session(Grant::Every)),
                Ok(Some(Some(slug))) => {
                    // A session of a business that is no longer served grants nothing.
                    if let Ok(slug) = TenantSlug::parse(&slug)
                        && state.tenants.current().get(slug.as_str()).is_some()
                    {
                        return Ok(Session(Grant::Tenant(slug)));
                    }
                }
                Ok(None) => {}
                Err(err) => return Err(unavailable(&err)),
            }
        }
        Err(Redirect::to(SIGN_IN_PATH).into_response())
    }
}

/// The business a signed-in operator is looking at: theirs, or for an admin the one named by
/// `?tenant=` or chosen in the switcher (the home business otherwise). Asking for a business
/// the session does not reach is the not-found page, whether or not that business exists.
pub struct Viewing {
    /// The business shown.
    pub tenant: Arc<Tenant>,
    /// How the page names it, with the switcher's choices.
    pub business: Business,
}

/// The query parameter naming the business to show.
#[derive(Deserialize)]
struct TenantParam {
    tenant: Option<String>,
}

/// The cookie keeping an admin's choice of business.
const CHOICE_COOKIE: &str = "vapi_cal_tenant";

impl FromRequestParts<AppState> for Viewing {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let Session(grant) = Session::from_request_parts(parts, state).await?;
        let asked = Query::<TenantParam>::try_from_uri(&parts.uri)
            .ok()
            .and_then(|Query(p)| p.tenant);
        let chosen = (grant == Grant::Every)
            .then(|| choice_cookie(&parts.headers))
            .flatten()
            .filter(|slug| state.tenants.current().get(slug).is_some());
        let requested = asked.or(chosen);
        let tenants = state.tenants.current();
        let Some(tenant) = tenants.visible(&grant, requested.as_deref()).cloned() else {
            let home = tenants.home();
            return Err(html(
                StatusCode::NOT_FOUND,
                &NotFoundPage::no_page(home.business_tz, state.clock.now()),
            ));
        };
        let business = business_of(&tenants, &grant, &tenant);
        Ok(Viewing { tenant, business })
    }
}

/// How the header names `shown`, with the switcher for an admin of several businesses.
fn business_of(tenants: &TenantSet, grant: &Grant, shown: &Tenant) -> Business {
    let several = tenants.len() > 1;
    let name = if several || !shown.slug.is_default() {
        shown.name.clone()
    } else {
        String::new()
    };
    let choices = if *grant == Grant::Every && several {
        tenants
            .all()
            .iter()
            .map(|t| BusinessChoice {
                slug: t.slug.to_string(),
                name: t.name.clone(),
                current: t.slug == shown.slug,
            })
            .collect()
    } else {
        Vec::new()
    };
    Business { name, choices }
}

/// The admin's chosen business from the cookie, if any.
fn choice_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == CHOICE_COOKIE)
        .map(|(_, value)| value.to_owned())
}

/// The ids of the well-signed, unexpired session cookies a request carries.
fn session_ids<'a>(
    access: &Access,
    headers: &'a HeaderMap,
    now: chrono::DateTime<chrono::Utc>,
) -> Vec<&'a str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(cookie_value)
        .filter_map(|value| access.verify(value, now))
        .collect()
}

/// The sign-in form's body.
#[derive(Debug, Deserialize)]
pub struct SignInForm {
    /// The admin token typed in.
    #[serde(default)]
    pub token: String,
}

/// `GET /dashboard`: today.
pub async fn today(State(state): State<AppState>, view: Viewing) -> Response {
    let t = &view.tenant;
    shown(
        TodayPage::load(&t.db, t.business_tz, state.clock.now()).await,
        view.business,
    )
}

/// `GET /dashboard/appointments`.
pub async fn appointments(
    State(state): State<AppState>,
    view: Viewing,
    Query(filters): Query<AppointmentFilters>,
) -> Response {
    let t = &view.tenant;
    shown(
        AppointmentsPage::load(&t.db, t.business_tz, state.clock.now(), &filters).await,
        view.business,
    )
}

/// `GET /dashboard/calls`.
pub async fn calls(
    State(state): State<AppState>,
    view: Viewing,
    Query(filters): Query<CallFilters>,
) -> Response {
    let t = &view.tenant;
    let threshold = state.operator.success_threshold;
    shown(
        CallsPage::load(&t.db, t.business_tz, state.clock.now(), threshold, &filters).await,
        view.business,
    )
}

/// `GET /dashboard/calls/{id}`: one call; the not-found page (404) when there is no record of it.
pub async fn call(
    State(state): State<AppState>,
    view: Viewing,
    Path(id): Path<String>,
) -> Response {
    let (tz, now) = (view.tenant.business_tz, state.clock.now());
    match CallPage::load(&view.tenant.db, tz, now, &id).await {
        Ok(Some(mut page)) => {
            page.frame.business = view.business;
            // The player fetches the console's recording address, which redirects to VAPI's
            // storage: the page may play media from here and from that host, nothing else.
            let media = match &page.recording_host {
                Some(host) => format!("'self' {host}"),
                None => "'none'".to_owned(),
            };
            html_with(StatusCode::OK, &page, &media)
        }
        Ok(None) => framed(
            StatusCode::NOT_FOUND,
            NotFoundPage::no_call(&id, tz, now),
            view.business,
        ),
        Err(err) => unavailable(&err),
    }
}

/// `GET /dashboard/calls/{id}/recording`: a redirect to the call's recording. VAPI's links
/// expire, so with a VAPI key (the business's own, else `VAPI_API_KEY`) VAPI is asked for a
/// fresh one each time (falling back to
/// the stored link if VAPI cannot be reached); without it, the stored link. The not-found page
/// (404) for a call with no record or no recording.
pub async fn recording(
    State(state): State<AppState>,
    view: Viewing,
    Path(id): Path<String>,
) -> Response {
    let (tz, now) = (view.tenant.business_tz, state.clock.now());
    let call = match view.tenant.db.call(&id).await {
        Ok(call) => call,
        Err(err) => return unavailable(&err),
    };
    let Some(call) = call else {
        let page = NotFoundPage::no_call(&id, tz, now);
        return framed(StatusCode::NOT_FOUND, page, view.business);
    };
    let Some(link) = recording_link(&view.tenant, &id, &call).await else {
        let page = NotFoundPage::no_recording(&id, tz, now);
        return framed(StatusCode::NOT_FOUND, page, view.business);
    };
    let mut response = Redirect::temporary(&link).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Where the recording of `call` is: a fresh link from VAPI when the business has a VAPI key
/// (the stored one if VAPI cannot be reached), else the stored one; `None` when it has none.
async fn recording_link(tenant: &Tenant, id: &str, call: &Call) -> Option<String> {
    let stored = call_pages::stored_recording(call)?;
    let Some(vapi) = &tenant.vapi else {
        return Some(stored);
    };
    match vapi.recording_link(id).await {
        Ok(fresh) => fresh,
        Err(err) => {
            tracing::warn!(%err, call = %id, "no fresh recording link from VAPI; using the stored one");
            Some(stored)
        }
    }
}

/// Any other address under `/dashboard`: the not-found page (404), once signed in.
pub async fn not_found(State(state): State<AppState>, view: Viewing) -> Response {
    let page = NotFoundPage::no_page(view.tenant.business_tz, state.clock.now());
    framed(StatusCode::NOT_FOUND, page, view.business)
}

/// `GET /favicon.ico`: the console's icon, which browsers ask for on their own. An SVG: every
/// browser the console supports takes one whatever the address says.
pub async fn favicon() -> Response {
    embedded("image/svg+xml", assets::ICON_SVG)
}

/// `GET /dashboard/stats`.
pub async fn stats(
    State(state): State<AppState>,
    view: Viewing,
    Query(filters): Query<StatsFilters>,
) -> Response {
    let t = &view.tenant;
    let threshold = state.operator.success_threshold;
    let page = StatsPage::load(&t.db, t.business_tz, state.clock.now(), threshold, &filters).await;
    shown(page, view.business)
}

/// `GET /dashboard/failures`.
pub async fn failures(
    State(state): State<AppState>,
    view: Viewing,
    Query(filters): Query<StatsFilters>,
) -> Response {
    let t = &view.tenant;
    shown(
        FailuresPage::load(&t.db, t.business_tz, state.clock.now(), &filters).await,
        view.business,
    )
}

/// `GET /dashboard/outbound`: the calls the business makes.
pub async fn outbound(State(state): State<AppState>, view: Viewing) -> Response {
    let t = &view.tenant;
    let policy = t.outbound.policy();
    shown(
        OutboundPage::load(&t.db, policy, t.business_tz, state.clock.now()).await,
        view.business,
    )
}

/// `GET /dashboard/events`: server-sent events; `changed` whenever what the live parts show
/// changes (a call arrives or its status or record changes, a tool call fails, an appointment of
/// today is booked, moved or cancelled), so open pages refresh those parts.
pub async fn events(State(state): State<AppState>, view: Viewing) -> Response {
    let tenant = view.tenant;
    let first = live::state(&tenant.db, tenant.business_tz, state.clock.now())
        .await
        .ok();
    let stream = futures_util::stream::unfold(first, move |mut seen| {
        let (state, tenant) = (state.clone(), tenant.clone());
        async move {
            loop {
                tokio::time::sleep(live::POLL_INTERVAL).await;
                let now = live::state(&tenant.db, tenant.business_tz, state.clock.now())
                    .await
                    .ok();
                if now.is_some() && now != seen {
                    seen = now;
                    let event = Event::default().event("changed").data("changed");
                    return Some((Ok::<_, Infallible>(event), seen));
                }
            }
        }
    });
    let mut response = Sse::new(stream)
        .keep_alive(KeepAlive::default())
        .into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// `GET /dashboard/calls.csv`: the Calls page's calls as CSV, every page of them.
pub async fn calls_csv(
    State(state): State<AppState>,
    view: Viewing,
    Query(filters): Query<CallFilters>,
) -> Response {
    let tz = view.tenant.business_tz;
    let now = state.clock.now();
    let threshold = state.operator.success_threshold;
    csv(export::calls(
        view.tenant.db.clone(),
        tz,
        now,
        threshold,
        &filters,
    ))
}

/// `GET /dashboard/appointments.csv`: the Appointments page's appointments as CSV, every page.
pub async fn appointments_csv(
    State(state): State<AppState>,
    view: Viewing,
    Query(filters): Query<AppointmentFilters>,
) -> Response {
    let tz = view.tenant.business_tz;
    let now = state.clock.now();
    csv(export::appointments(
        view.tenant.db.clone(),
        tz,
        now,
        &filters,
    ))
}

/// `GET /dashboard/stats.csv`: the Stats page's table as CSV.
pub async fn stats_csv(
    State(state): State<AppState>,
    view: Viewing,
    Query(filters): Query<StatsFilters>,
) -> Response {
    let (tz, now) = (view.tenant.business_tz, state.clock.now());
    let threshold = state.operator.success_threshold;
    match export::stats(&view.tenant.db, tz, now, threshold, &filters).await {
        Ok(export) => csv(export),
        Err(err) => unavailable(&err),
    }
}

/// An export as a download, streamed a chunk at a time. A database error part way ends the
/// response early, so a cut file is never mistaken for a whole one.
fn csv<S>(export: export::Export<S>) -> Response
where
    S: futures_util::Stream<Item = Result<Vec<u8>, crate::db::DbError>> + Send + 'static,
{
    use futures_util::StreamExt;
    let body = axum::body::Body::from_stream(export.chunks.map(|chunk| {
        chunk.map_err(|err| {
            tracing::error!(%err, "dashboard export could not read the database");
            std::io::Error::other(err.to_string())
        })
    }));
    let disposition = format!("attachment; filename=\"{}\"", export.filename);
    let mut response = (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        body,
    )
        .into_response();
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        response
            .headers_mut()
            .insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

/// `GET /dashboard/sign-in`.
pub async fn sign_in_form(_: Enabled) -> Response {
    html(StatusCode::OK, &SignInPage { error: None })
}

/// `POST /dashboard/sign-in`: the right token starts a session; a wrong one gets the form back.
/// An address with too many wrong tokens this minute gets 429 whatever it sends.
pub async fn sign_in(
    State(state): State<AppState>,
    Enabled(access): Enabled,
    client: ClientAddress,
    Form(form): Form<SignInForm>,
) -> Response {
    if let Err(err) = state.auth_failures.check(client.0) {
        tracing::warn!(client = %client.0, "dashboard sign-in refused: too many failures");
        return err.into_response();
    }
    let Some(grant) = access.grant(&form.token) else {
        state.auth_failures.failed(client.0);
        tracing::warn!(client = %client.0, "dashboard sign-in with a wrong token");
        return html(
            StatusCode::UNAUTHORIZED,
            &SignInPage {
                error: Some("That is not the admin token."),
            },
        );
    };
    let now = state.clock.now();
    let (id, value) = access.issue(now);
    if let Err(err) = state
        .db
        .open_dashboard_session(&id, now, Access::expires(now), grant.tenant())
        .await
    {
        return unavailable(&err);
    }
    with_cookie(
        Redirect::to("/dashboard").into_response(),
        &access.set_cookie(&value),
    )
}

/// The switcher's form.
#[derive(Debug, Deserialize)]
pub struct BusinessForm {
    /// The slug of the business to show.
    #[serde(default)]
    pub tenant: String,
}

/// `POST /dashboard/business`: an admin of every business chooses the one the console shows
/// (kept in a cookie); anyone else, or an unknown business, gets the not-found page.
pub async fn choose_business(
    State(state): State<AppState>,
    Enabled(access): Enabled,
    Session(grant): Session,
    Form(form): Form<BusinessForm>,
) -> Response {
    let tenants = state.tenants.current();
    let known = tenants.get(form.tenant.trim()).is_some();
    if grant != Grant::Every || !known {
        let home = tenants.home();
        return html(
            StatusCode::NOT_FOUND,
            &NotFoundPage::no_page(home.business_tz, state.clock.now()),
        );
    }
    with_cookie(
        Redirect::to("/dashboard").into_response(),
        &access.choice_cookie(CHOICE_COOKIE, form.tenant.trim()),
    )
}

/// `POST /dashboard/sign-out`: ends the session on the server (every replica) and clears the
/// cookie.
pub async fn sign_out(
    State(state): State<AppState>,
    Enabled(access): Enabled,
    headers: HeaderMap,
) -> Response {
    for id in session_ids(&access, &headers, state.clock.now()) {
        if let Err(err) = state.db.close_dashboard_session(id).await {
            return unavailable(&err);
        }
    }
    with_cookie(
        Redirect::to(SIGN_IN_PATH).into_response(),
        &access.clear_cookie(),
    )
}

/// `GET /dashboard/assets/{name}`: an embedded file.
pub async fn asset(_: Enabled, Path(name): Path<String>) -> Response {
    match assets::get(&name) {
        Some((content_type, body)) => embedded(content_type, body),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// An embedded file, cacheable, never sniffed as anything else.
fn embedded(content_type: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=3600"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        body,
    )
        .into_response()
}

/// A page read from the database (200), framed for the business viewed; 503 when the database
/// did not answer.
fn shown(page: Result<impl Page, DbError>, business: Business) -> Response {
    match page {
        Ok(page) => framed(StatusCode::OK, page, business),
        Err(err) => unavailable(&err),
    }
}

/// `page` framed for `business` (named in its header, with the switcher).
fn framed(status: StatusCode, mut page: impl Page, business: Business) -> Response {
    page.frame_mut().business = business;
    html(status, &page)
}

/// A rendered page with headers that keep it private and self-contained.
fn html(status: StatusCode, page: &impl Template) -> Response {
    html_with(status, page, "'none'")
}

/// A rendered page that may play media from the `media` sources (`'none'` for most pages).
fn html_with(status: StatusCode, page: &impl Template, media: &str) -> Response {
    let policy = format!(
        "default-src 'none'; style-src 'self'; script-src 'self'; connect-src 'self'; img-src 'self'; media-src {media}; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    );
    let Ok(policy) = HeaderValue::from_str(&policy) else {
        return (
            StatusCode::INTERNAL_SERVER_ERROR,
            "The page could not be drawn.",
        )
            .into_response();
    };
    match page.render() {
        Ok(body) => (
            status,
            [
                (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                (header::CACHE_CONTROL, "no-store"),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
                (header::REFERRER_POLICY, "no-referrer"),
            ],
            [(header::CONTENT_SECURITY_POLICY, policy)],
            body,
        )
            .into_response(),
        Err(err) => {
            tracing::error!(%err, "dashboard page did not render");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "The page could not be drawn.",
            )
                .into_response()
        }
    }
}

fn unavailable(err: &DbError) -> Response {
    tracing::error!(%err, "dashboard could not read the database");
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [(header::CACHE_CONTROL, "no-store")],
        "The database did not answer; try again in a moment.",
    )
        .into_response()
}

fn with_cookie(mut response: Response, cookie: &str) -> Response {
    if let Ok(value) = HeaderValue::from_str(cookie) {
        response.headers_mut().append(SET_COOKIE, value);
    }
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
