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
use std::convert::Infallible;

use crate::{
    app::AppState,
    dashboard::{
        appointments::{AppointmentFilters, AppointmentsPage},
        assets,
        call_pages::{self, CallFilters, CallPage, CallsPage},
        export,
        failures::FailuresPage,
        live,
        not_found::NotFoundPage,
        session::{Access, cookie_value},
        sign_in::SignInPage,
        stats::{StatsFilters, StatsPage},
        today::TodayPage,
    },
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
            .dashboard
            .clone()
            .map(Enabled)
            .ok_or_else(|| StatusCode::NOT_FOUND.into_response())
    }
}

/// A signed-in operator (a cookie of ours whose session is open); otherwise a redirect to the
/// sign-in page.
pub struct Session;

impl FromRequestParts<AppState> for Session {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let Enabled(access) = Enabled::from_request_parts(parts, state).await?;
        let now = state.clock.now();
        for id in session_ids(&access, &parts.headers, now) {
            match state.db.dashboard_session_open(id, now).await {
                Ok(true) => return Ok(Session),
                Ok(false) => {}
                Err(err) => return Err(unavailable(&err)),
            }
        }
        Err(Redirect::to(SIGN_IN_PATH).into_response())
    }
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
pub async fn today(State(state): State<AppState>, _: Session) -> Response {
    match TodayPage::load(&state.db, state.business_tz, state.clock.now()).await {
        Ok(page) => html(StatusCode::OK, &page),
        Err(err) => unavailable(&err),
    }
}

/// `GET /dashboard/appointments`.
pub async fn appointments(
    State(state): State<AppState>,
    _: Session,
    Query(filters): Query<AppointmentFilters>,
) -> Response {
    match AppointmentsPage::load(&state.db, state.business_tz, state.clock.now(), &filters).await {
        Ok(page) => html(StatusCode::OK, &page),
        Err(err) => unavailable(&err),
    }
}

/// `GET /dashboard/calls`.
pub async fn calls(
    State(state): State<AppState>,
    _: Session,
    Query(filters): Query<CallFilters>,
) -> Response {
    let (tz, now) = (state.business_tz, state.clock.now());
    let threshold = state.operator.success_threshold;
    match CallsPage::load(&state.db, tz, now, threshold, &filters).await {
        Ok(page) => html(StatusCode::OK, &page),
        Err(err) => unavailable(&err),
    }
}

/// `GET /dashboard/calls/{id}`: one call; the not-found page (404) when there is no record of it.
pub async fn call(State(state): State<AppState>, _: Session, Path(id): Path<String>) -> Response {
    let (tz, now) = (state.business_tz, state.clock.now());
    match CallPage::load(&state.db, tz, now, &id).await {
        Ok(Some(page)) => {
            // The player fetches the console's recording address, which redirects to VAPI's
            // storage: the page may play media from here and from that host, nothing else.
            let media = match &page.recording_host {
                Some(host) => format!("'self' {host}"),
                None => "'none'".to_owned(),
            };
            html_with(StatusCode::OK, &page, &media)
        }
        Ok(None) => html(StatusCode::NOT_FOUND, &NotFoundPage::no_call(&id, tz, now)),
        Err(err) => unavailable(&err),
    }
}

/// `GET /dashboard/calls/{id}/recording`: a redirect to the call's recording. VAPI's links
/// expire, so with `VAPI_API_KEY` set VAPI is asked for a fresh one each time (falling back to
/// the stored link if VAPI cannot be reached); without it, the stored link. The not-found page
/// (404) for a call with no record or no recording.
pub async fn recording(
    State(state): State<AppState>,
    _: Session,
    Path(id): Path<String>,
) -> Response {
    let (tz, now) = (state.business_tz, state.clock.now());
    let call = match state.db.call(&id).await {
        Ok(call) => call,
        Err(err) => return unavailable(&err),
    };
    let Some(call) = call else {
        return html(StatusCode::NOT_FOUND, &NotFoundPage::no_call(&id, tz, now));
    };
    let none = || {
        html(
            StatusCode::NOT_FOUND,
            &NotFoundPage::no_recording(&id, tz, now),
        )
    };
    let Some(stored) = call_pages::stored_recording(&call) else {
        return none();
    };
    let link = match &state.vapi {
        None => stored,
        Some(vapi) => match vapi.recording_link(&id).await {
            Ok(Some(fresh)) => fresh,
            Ok(None) => return none(),
            Err(err) => {
                tracing::warn!(%err, call = %id, "no fresh recording link from VAPI; using the stored one");
                stored
            }
        },
    };
    let mut response = Redirect::temporary(&link).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Any other address under `/dashboard`: the not-found page (404), once signed in.
pub async fn not_found(State(state): State<AppState>, _: Session) -> Response {
    html(
        StatusCode::NOT_FOUND,
        &NotFoundPage::no_page(state.business_tz, state.clock.now()),
    )
}

/// `GET /favicon.ico`: the console's icon, which browsers ask for on their own. An SVG: every
/// browser the console supports takes one whatever the address says.
pub async fn favicon() -> Response {
    embedded("image/svg+xml", assets::ICON_SVG)
}

/// `GET /dashboard/stats`.
pub async fn stats(
    State(state): State<AppState>,
    _: Session,
    Query(filters): Query<StatsFilters>,
) -> Response {
    match StatsPage::load(
        &state.db,
        state.business_tz,
        state.clock.now(),
        state.operator.success_threshold,
        &filters,
    )
    .await
    {
        Ok(page) => html(StatusCode::OK, &page),
        Err(err) => unavailable(&err),
    }
}

/// `GET /dashboard/failures`.
pub async fn failures(
    State(state): State<AppState>,
    _: Session,
    Query(filters): Query<StatsFilters>,
) -> Response {
    match FailuresPage::load(&state.db, state.business_tz, state.clock.now(), &filters).await {
        Ok(page) => html(StatusCode::OK, &page),
        Err(err) => unavailable(&err),
    }
}

/// `GET /dashboard/events`: server-sent events; `changed` whenever what the live parts show
/// changes (a call arrives or its status or record changes, a tool call fails, an appointment of
/// today is booked, moved or cancelled), so open pages refresh those parts.
pub async fn events(State(state): State<AppState>, _: Session) -> Response {
    let first = live::state(&state.db, state.business_tz, state.clock.now())
        .await
        .ok();
    let stream = futures_util::stream::unfold(first, move |mut seen| {
        let state = state.clone();
        async move {
            loop {
                tokio::time::sleep(live::POLL_INTERVAL).await;
                let now = live::state(&state.db, state.business_tz, state.clock.now())
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
    _: Session,
    Query(filters): Query<CallFilters>,
) -> Response {
    let tz = state.business_tz;
    let now = state.clock.now();
    let threshold = state.operator.success_threshold;
    csv(export::calls(
        state.db.clone(),
        tz,
        now,
        threshold,
        &filters,
    ))
}

/// `GET /dashboard/appointments.csv`: the Appointments page's appointments as CSV, every page.
pub async fn appointments_csv(
    State(state): State<AppState>,
    _: Session,
    Query(filters): Query<AppointmentFilters>,
) -> Response {
    let tz = state.business_tz;
    let now = state.clock.now();
    csv(export::appointments(state.db.clone(), tz, now, &filters))
}

/// `GET /dashboard/stats.csv`: the Stats page's table as CSV.
pub async fn stats_csv(
    State(state): State<AppState>,
    _: Session,
    Query(filters): Query<StatsFilters>,
) -> Response {
    let (tz, now) = (state.business_tz, state.clock.now());
    let threshold = state.operator.success_threshold;
    match export::stats(&state.db, tz, now, threshold, &filters).await {
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
    if !access.token_matches(&form.token) {
        state.auth_failures.failed(client.0);
        tracing::warn!(client = %client.0, "dashboard sign-in with a wrong token");
        return html(
            StatusCode::UNAUTHORIZED,
            &SignInPage {
                error: Some("That is not the admin token."),
            },
        );
    }
    let now = state.clock.now();
    let (id, value) = access.issue(now);
    if let Err(err) = state
        .db
        .open_dashboard_session(&id, now, Access::expires(now))
        .await
    {
        return unavailable(&err);
    }
    with_cookie(
        Redirect::to("/dashboard").into_response(),
        &access.set_cookie(&value),
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

fn unavailable(err: &crate::db::DbError) -> Response {
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
