//! The HTTP face of the server: routes, authentication, JSON errors, limits
//! and the request log. Storage calls run on tokio's blocking pool so a busy
//! database or an argon2 hash never stalls the threads that accept requests.
//! The account endpoints (login, sessions, devices) are in `accounts`.

use super::ServerOptions;
use super::accounts;
use super::auth::{self, SessionPolicy, SessionState};
use super::batch::{Round, RoundBatcher};
use super::listener::peer_of;
use super::round::{self, Admission};
use super::session_cache::SessionCache;
use super::storage::{SessionInfo, Storage, StorageError, TokenHash, User, with_causes};
use super::throttle::{self, Throttle};
use crate::sync::server_rules::validate_sync_request;
use crate::sync::wire::{ErrorBody, SyncRequest, SyncResponse, WireBody};
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, FromRequest, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::de::DeserializeOwned;
use std::net::{IpAddr, Ipv4Addr};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::SizeAbove;
use tower_http::decompression::RequestDecompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;

#[derive(Clone)]
pub(super) struct AppState {
    pub(super) storage: Arc<dyn Storage>,
    pub(super) open_registration: bool,
    max_body_bytes: usize,
    request_timeout: Duration,
    /// When sessions end, and how many an account may hold.
    pub(super) sessions: SessionPolicy,
    admission: Admission,
    /// Failed logins and registrations, per address and account.
    pub(super) throttle: Arc<Throttle>,
    /// Peers whose `X-Forwarded-For` names the client.
    trusted_proxies: Arc<[IpAddr]>,
    /// Each argon2 hash takes 19 MiB and a core for tens of milliseconds: a
    /// burst of logins waits here instead of growing the blocking pool (up
    /// to 512 threads, gigabytes of RAM).
    hashing: Arc<Semaphore>,
    /// Database work (token lookups, sync rounds) waits here too, with as
    /// many slots as the backend serves well at once
    /// ([`Storage::concurrency`]): SQLite has one writer, so 200 devices
    /// syncing at once would otherwise park 200 blocking threads on its mutex
    /// (measured: 470 MB of RSS, and slower than queueing the requests as
    /// tasks).
    database: Arc<Semaphore>,
    /// Sync rounds waiting to run together (see `batch`).
    rounds: Arc<RoundBatcher>,
    /// Sessions this process authenticated, for the syncs of a backend that
    /// batches rounds (see `session_cache`).
    known_sessions: Arc<SessionCache>,
}

/// The largest body of the account endpoints (login, register, password,
/// devices, sessions): a few names and passwords. Without it a 60 MiB login
/// was read whole, and a dozen at once took the server past a gigabyte.
pub const ACCOUNT_BODY_BYTES: usize = 4096;

/// The request encodings this server reads, named in `Accept-Encoding` on
/// every refusal (RFC 7694) so a client can tell a refused compressed body
/// from any other 400. Answers are compressed with the best of these the
/// client accepts (tower-http prefers zstd on a tie).
const READ_ENCODINGS: &str = "zstd, gzip";

/// Answers from this size on are compressed; a small sync's answer (a few
/// hundred bytes) would gain a few hundred bytes for an encoder's setup.
const COMPRESS_ANSWERS_FROM_BYTES: u16 = 1024;

/// zstd's default level, as pump's client compresses its requests: a page
/// of workouts shrinks about tenfold in a few milliseconds.
const ZSTD_LEVEL: i32 = 3;

thread_local! {
    /// Each async worker's zstd context for sync answers, kept from one
    /// answer to the next (see [`SyncAnswer`]).
    static ANSWER_COMPRESSOR: std::cell::RefCell<Option<zstd::bulk::Compressor<'static>>> =
        const { std::cell::RefCell::new(None) };
}

/// The whole application, ready to serve; `start` uses it and so can tests,
/// on a real socket, with any storage.
pub fn router(storage: Arc<dyn Storage>, options: &ServerOptions) -> Router {
    let state = AppState {
        open_registration: options.open_registration,
        max_body_bytes: options.max_body_bytes,
        request_timeout: options.request_timeout,
        sessions: options.sessions,
        admission: Admission {
            quota: options.quota,
            allow_plaintext: options.allow_plaintext,
        },
        throttle: Arc::new(Throttle::new(options.registrations_per_hour)),
        trusted_proxies: options.trusted_proxies.clone().into(),
        hashing: Arc::new(Semaphore::new(
            std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get),
        )),
        database: Arc::new(Semaphore::new(storage.concurrency())),
        rounds: Arc::new(RoundBatcher::default()),
        known_sessions: Arc::new(SessionCache::default()),
        storage,
    };
    let accounts = Router::new()
        .route("/v1/register", post(accounts::register))
        .route("/v1/login", post(accounts::login))
        .route("/v1/logout", post(accounts::logout))
        .route("/v1/password", post(accounts::change_password))
        .route("/v1/session/fork", post(accounts::fork_session))
        .route("/v1/devices", get(accounts::devices))
        .route("/v1/devices/revoke", post(accounts::revoke_device))
        .route("/v1/key", post(accounts::change_key))
        .layer(RequestBodyLimitLayer::new(ACCOUNT_BODY_BYTES));
    let sync_routes = Router::new()
        .route("/v1/sync", post(sync))
        .layer(RequestBodyLimitLayer::new(options.max_body_bytes));
    Router::new()
        .route("/health", get(health))
        .merge(accounts)
        .merge(sync_routes)
        .fallback(not_found)
        // The layers above enforce the limits, up front from Content-Length
        // and while reading a chunked body; axum's own 2 MB default is off.
        .layer(DefaultBodyLimit::disable())
        // A compressed body is decoded here, outside the routes' limits: they
        // count the decoded bytes, so a small bomb that inflates past the
        // limit is a 413 as soon as it does, never a buffer of gigabytes.
        .layer(RequestDecompressionLayer::new())
        // ... and what crosses the network is bounded too: zstd's skippable
        // frames would otherwise let a client stream any amount that decodes
        // to nothing. Twice the limit, so that a plain body is always caught
        // by the route's own limit first (a 413 with its message); a real
        // compressed body is far smaller than what it decodes to.
        .layer(RequestBodyLimitLayer::new(
            options.max_body_bytes.max(ACCOUNT_BODY_BYTES).saturating_mul(2),
        ))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            options.request_timeout,
        ))
        .layer(middleware::from_fn_with_state(state.clone(), log_and_jsonify))
        .layer(CompressionLayer::new().compress_when(SizeAbove::new(COMPRESS_ANSWERS_FROM_BYTES)))
        .with_state(state)
}

impl AppState {
    /// Waits for a free hashing slot. The permit moves into the blocking
    /// work, so a request that times out still holds it until its hash ends.
    pub(super) async fn hashing_slot(&self) -> Result<OwnedSemaphorePermit, ApiError> {
        self.hashing
            .clone()
            .acquire_owned()
            .await
            .map_err(|e| ApiError::internal(format!("the password hashing queue is closed: {e}")))
    }

    /// Runs storage work on the blocking pool once a database slot is free.
    pub(super) async fn database<T, E>(
        &self,
        work: impl FnOnce() -> Result<T, E> + Send + 'static,
    ) -> Result<T, ApiError>
    where
        T: Send + 'static,
        E: Into<ApiError> + Send + 'static,
    {
        let slot = self
            .database
            .clone()
            .acquire_owned()
            .await
            .map_err(|e| ApiError::internal(format!("the database queue is closed: {e}")))?;
        blocking(move || {
            let _slot = slot;
            work()
        })
        .await
    }

    /// The largest body a request to `path` may carry.
    fn body_limit(&self, path: &str) -> usize {
        if path == "/v1/sync" {
            self.max_body_bytes
        } else {
            ACCOUNT_BODY_BYTES
        }
    }

    /// Where a request comes from (see `throttle::client_address`); an
    /// in-process request, which has no peer, counts as 0.0.0.0.
    pub(super) fn client_address(&self, extensions: &axum::http::Extensions, headers: &HeaderMap) -> IpAddr {
        let Some(peer) = peer_of(extensions) else {
            return IpAddr::V4(Ipv4Addr::UNSPECIFIED);
        };
        let forwarded = headers.get("x-forwarded-for").and_then(|v| v.to_str().ok());
        throttle::client_address(peer.ip(), forwarded, &self.trusted_proxies)
    }
}

/// Every non-2xx answer: an `ErrorBody`. `detail` is only for the log.
#[derive(Debug)]
pub(super) struct ApiError {
    status: StatusCode,
    message: String,
    detail: Option<String>,
    /// See `ErrorBody::already_stored`.
    already_stored: Vec<usize>,
    /// Seconds to wait, sent as `Retry-After` (429).
    retry_after: Option<u64>,
}

impl ApiError {
    pub(super) fn new(status: StatusCode, message: impl Into<String>) -> Self {
        ApiError {
            status,
            message: message.into(),
            detail: None,
            already_stored: Vec::new(),
            retry_after: None,
        }
    }

    pub(super) fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    pub(super) fn unauthorized(message: &str) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, message)
    }

    pub(super) fn internal(detail: String) -> Self {
        ApiError {
            detail: Some(detail),
            ..Self::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "the server hit an internal error: try again in a minute, and tell the server's operator if it \
                 keeps happening",
            )
        }
    }

    /// 429 with `Retry-After`: the client may try again after `wait`.
    pub(super) fn too_many(message: &str, wait: Duration) -> Self {
        // Rounded up, so a client that waits exactly this long is let in.
        let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
        ApiError {
            retry_after: Some(seconds.max(1)),
            ..Self::new(
                StatusCode::TOO_MANY_REQUESTS,
                format!("{message}: try again in {} s", seconds.max(1)),
            )
        }
    }
}

/// Rides in the response's extensions from a failing handler to the log line.
#[derive(Clone)]
struct InternalDetail(String);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: self.message,
            already_stored: self.already_stored,
        };
        let mut response = (self.status, Json(body)).into_response();
        if self.status == StatusCode::SERVICE_UNAVAILABLE {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static(RETRY_AFTER_SECONDS));
        }
        if let Some(detail) = self.detail {
            response.extensions_mut().insert(InternalDetail(detail));
        }
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

impl From<StorageError> for ApiError {
    fn from(error: StorageError) -> Self {
        match error {
            StorageError::UserExists => Self::new(
                StatusCode::CONFLICT,
                "this user name is taken: log in instead, or pick another name",
            ),
            StorageError::OverQuota(why) => Self::new(StatusCode::FORBIDDEN, why),
            // 412: the account's key is not the one the device works with.
            StorageError::FormRefused(_) | StorageError::OtherKey => {
                Self::new(StatusCode::PRECONDITION_FAILED, error.to_string())
            }
            StorageError::KeyChangeBehind => Self::new(StatusCode::CONFLICT, error.to_string()),
            StorageError::DeviceForked { already_stored } => ApiError {
                already_stored,
                ..Self::new(
                    StatusCode::CONFLICT,
                    "another database has synced under this device id since this one last did (a copied database \
                     file?): this device must take a new id (pump does so by itself)",
                )
            },
            StorageError::SessionEnded => Self::unauthorized(&error.to_string()),
            StorageError::Busy => Self::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "the server is busy with other devices' syncs: nothing was lost, try again in a few seconds",
            ),
            StorageError::Unavailable(_) => ApiError {
                detail: Some(with_causes(&error)),
                ..Self::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "the server cannot reach its database right now: nothing was lost, try again in a minute",
                )
            },
            other => Self::internal(with_causes(&other)),
        }
    }
}

/// What a 503 tells clients and proxies: how many seconds to wait before
/// trying again. A database restart or failover takes about that long.
const RETRY_AFTER_SECONDS: &str = "10";

fn too_large(limit: usize) -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        format!("the request is larger than this server's limit of {limit} bytes: send fewer rows per request"),
    )
}

/// Runs blocking work (SQLite, argon2) off the async threads. A panic in it
/// becomes a 500, never a dead server.
pub(super) async fn blocking<T, E>(work: impl FnOnce() -> Result<T, E> + Send + 'static) -> Result<T, ApiError>
where
    T: Send + 'static,
    E: Into<ApiError> + Send + 'static,
{
    match tokio::task::spawn_blocking(work).await {
        Ok(result) => result.map_err(Into::into),
        Err(e) => Err(ApiError::internal(format!("a request handler crashed: {e}"))),
    }
}

/// Bodies up to this size are parsed in place; a big push (tens of MB, a
/// few hundred ms of parsing) goes to the blocking pool instead.
const INLINE_PARSE_BYTES: usize = 64 * 1024;

/// A JSON body read with our own rejection: any body that does not parse
/// (whatever its Content-Type) is a 400 whose message says what is wrong.
pub(super) struct JsonBody<T>(pub(super) T);

impl<T: DeserializeOwned + Send + 'static> FromRequest<AppState> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, ApiError> {
        let limit = state.body_limit(request.uri().path());
        let bytes = Bytes::from_request(request, state).await.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                too_large(limit)
            } else {
                ApiError::new(rejection.status(), rejection.body_text())
            }
        })?;
        let inline = bytes.len() <= INLINE_PARSE_BYTES;
        let parse = move || {
            serde_json::from_slice(&bytes).map(JsonBody).map_err(|e| {
                ApiError::bad_request(format!("the request body is not the JSON this endpoint expects: {e}"))
            })
        };
        if inline { parse() } else { blocking(parse).await }
    }
}

/// Who the request turned out to be, filled in by authentication and read by
/// the log line once the response is ready.
#[derive(Clone, Default)]
pub(super) struct LogUser(Arc<OnceLock<String>>);

impl<S: Send + Sync> FromRequestParts<S> for LogUser {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(LogUser::of(&parts.extensions))
    }
}

impl LogUser {
    pub(super) fn of(extensions: &axum::http::Extensions) -> LogUser {
        extensions.get::<LogUser>().cloned().unwrap_or_default()
    }

    pub(super) fn note(&self, name: &str) {
        // Set once per request; a second name could only be the same user.
        let _ = self.0.set(name.to_string());
    }
}

/// A request that carried the token of a live session.
pub(super) struct Authenticated {
    pub(super) user: User,
    pub(super) session: SessionInfo,
}

impl FromRequestParts<AppState> for Authenticated {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let BearerToken(token) = BearerToken::from_request_parts(parts, state).await?;
        let storage = state.storage.clone();
        let policy = state.sessions;
        let log = LogUser::of(&parts.extensions);
        state
            .database(move || authenticate(storage.as_ref(), &token, policy, &log))
            .await
    }
}

/// The hash of the token a request carries, not checked yet: `/v1/sync`
/// checks it in the same database call as its round, one hand-off to the
/// blocking pool instead of two.
pub(super) struct BearerToken(TokenHash);

impl FromRequestParts<AppState> for BearerToken {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &AppState) -> Result<Self, ApiError> {
        parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(auth::bearer_token)
            .map(|token| BearerToken(auth::token_hash(token)))
            .ok_or_else(|| ApiError::unauthorized("this request needs a login: run `pump login` first"))
    }
}

/// The live session `token` belongs to, noted in the request's log line.
/// An expired session is forgotten on the way; a use is recorded now and
/// then (see `SessionPolicy::state`).
fn authenticate(
    storage: &dyn Storage,
    token: &TokenHash,
    policy: SessionPolicy,
    log: &LogUser,
) -> Result<Authenticated, ApiError> {
    let Some((user, session)) = storage.session(token)? else {
        return Err(ApiError::unauthorized("the session has expired or was revoked"));
    };
    log.note(&user.name);
    let now = chrono::Utc::now();
    match policy.state(&session, now) {
        SessionState::Live { touch } => {
            if touch {
                storage.touch_session(token, now)?;
            }
            Ok(Authenticated { user, session })
        }
        // It can never be used again: forget it.
        expired => {
            storage.revoke_session(token)?;
            Err(ApiError::unauthorized(&policy.expired_message(expired)))
        }
    }
}

/// `{"status": "ok"}`, or a 503 whose `status` says the database is
/// unreachable, so a load balancer stops sending this process requests it
/// could only refuse. Not queued behind the database slots: a probe must
/// answer while every slot waits on a database that is down.
async fn health(State(state): State<AppState>) -> Response {
    let storage = state.storage.clone();
    match blocking(move || storage.check()).await {
        Ok(()) => Json(serde_json::json!({ "status": "ok" })).into_response(),
        Err(error) => {
            let body = serde_json::json!({ "status": "database unreachable", "error": error.message });
            let mut response = error.into_response();
            *response.body_mut() = axum::body::Body::from(body.to_string());
            response
        }
    }
}

async fn not_found(method: Method, uri: Uri) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        format!(
            "there is no {method} {} on this server: check the server address",
            uri.path()
        ),
    )
}

async fn sync(
    State(state): State<AppState>,
    BearerToken(token): BearerToken,
    log: LogUser,
    headers: HeaderMap,
    JsonBody(request): JsonBody<SyncRequest<WireBody>>,
) -> Result<SyncAnswer, ApiError> {
    let storage = state.storage.clone();
    let (policy, admission) = (state.sessions, state.admission);
    let lookup_log = log.clone();
    let prepare = move |request: SyncRequest<WireBody>| -> Result<(Round, User, SessionInfo), ApiError> {
        let auth = authenticate(storage.as_ref(), &token, policy, &lookup_log)?;
        validate_sync_request(&request).map_err(ApiError::bad_request)?;
        accounts::check_device(storage.as_ref(), &auth.session, &request.device_id)?;
        let round = Round {
            user: auth.user.id,
            session: token,
            request,
            admission,
        };
        Ok((round, auth.user, auth.session))
    };
    let answer = if state.storage.batch_size() > 1 {
        let round = match known_round(&state, &token, &log, request)? {
            Ok(round) => round,
            Err(request) => {
                let (round, user, session) = state.database(move || prepare(request)).await?;
                state.known_sessions.keep(&user, &session, &round.request.device_id);
                round
            }
        };
        let answer = state.rounds.run(state.storage.clone(), round).await;
        if matches!(answer, Err(StorageError::SessionEnded)) {
            state.known_sessions.forget(&token);
        }
        answer?
    } else {
        let storage = state.storage.clone();
        let work = move || {
            let (round, ..) = prepare(request)?;
            round::run_admitting(storage.as_ref(), round.user, &round.request, round.admission).map_err(ApiError::from)
        };
        match state.storage.writer_queue() {
            Some(queue) => queue.run(work).await?,
            None => state.database(work).await?,
        }
    };
    SyncAnswer::encode(&answer, prefers_zstd(&headers))
}

/// Requests of at most this many rows are checked on the async thread when
/// their session is known: microseconds. A bigger one goes to the blocking
/// pool with its session's lookup.
const INLINE_CHECK_ROWS: usize = 64;

/// The round of a small request whose session this process knows (see
/// `session_cache`), authenticated and checked without a database call of
/// its own; `Err(request)` when it must be read.
fn known_round(
    state: &AppState,
    token: &TokenHash,
    log: &LogUser,
    request: SyncRequest<WireBody>,
) -> Result<Result<Round, SyncRequest<WireBody>>, ApiError> {
    let known = (request.rows.len() <= INLINE_CHECK_ROWS)
        .then(|| {
            state
                .known_sessions
                .user(token, &request.device_id, state.sessions, chrono::Utc::now())
        })
        .flatten();
    let Some(user) = known else {
        return Ok(Err(request));
    };
    log.note(&user.name);
    validate_sync_request(&request).map_err(ApiError::bad_request)?;
    Ok(Ok(Round {
        user: user.id,
        session: *token,
        request,
        admission: state.admission,
    }))
}

/// A sync answer as it leaves: JSON, compressed with zstd here when the
/// client reads zstd and the answer is big enough to gain. The
/// `CompressionLayer` would do it too, but as a stream of unknown length:
/// each answer then got a fresh zstd context with tables sized for
/// megabytes (zeroed, then unmapped), half of the server's CPU for small
/// syncs. Compressed in one piece, with its length known, by a context each
/// worker keeps, an answer costs what its size does. Other answers are
/// left to the layer (gzip for clients that read only that).
pub(super) struct SyncAnswer {
    json: Vec<u8>,
    zstd: bool,
}

impl SyncAnswer {
    fn encode(answer: &SyncResponse<WireBody>, zstd: bool) -> Result<SyncAnswer, ApiError> {
        let json =
            serde_json::to_vec(answer).map_err(|e| ApiError::internal(format!("cannot write a sync answer: {e}")))?;
        if !zstd || json.len() < usize::from(COMPRESS_ANSWERS_FROM_BYTES) {
            return Ok(SyncAnswer { json, zstd: false });
        }
        let packed = ANSWER_COMPRESSOR.with_borrow_mut(|kept| {
            let compressor = match kept {
                Some(compressor) => compressor,
                None => kept.insert(zstd::bulk::Compressor::new(ZSTD_LEVEL)?),
            };
            compressor.compress(&json)
        });
        match packed {
            Ok(packed) => Ok(SyncAnswer {
                json: packed,
                zstd: true,
            }),
            // Only an allocation can fail here: the answer goes plain.
            Err(_) => Ok(SyncAnswer { json, zstd: false }),
        }
    }
}

impl IntoResponse for SyncAnswer {
    fn into_response(self) -> Response {
        let mut response = ([(header::CONTENT_TYPE, "application/json")], self.json).into_response();
        if self.zstd {
            let headers = response.headers_mut();
            headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("zstd"));
            headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        }
        response
    }
}

/// Whether the request's `Accept-Encoding` takes zstd at least as gladly as
/// any other coding (RFC 9110 q-values; zstd wins ties, as it does in the
/// `CompressionLayer`).
fn prefers_zstd(headers: &HeaderMap) -> bool {
    let mut zstd = 0.0;
    let mut best_other: f32 = 0.0;
    for value in headers.get_all(header::ACCEPT_ENCODING) {
        let Ok(value) = value.to_str() else { continue };
        for item in value.split(',') {
            let mut parts = item.split(';');
            let coding = parts.next().unwrap_or_default().trim();
            let weight = parts
                .find_map(|p| {
                    p.trim()
                        .strip_prefix("q=")
                        .map(|q| q.trim().parse::<f32>().unwrap_or(0.0))
                })
                .unwrap_or(1.0);
            if coding.eq_ignore_ascii_case("zstd") {
                zstd = weight;
            } else if !coding.eq_ignore_ascii_case("identity") {
                best_other = best_other.max(weight);
            }
        }
    }
    zstd > 0.0 && zstd >= best_other
}

/// Outermost layer: turns the plain-text errors of axum and tower-http (405,
/// 408, 413) into `ErrorBody` JSON, and writes one log line per request. It
/// logs the path only: a query string could carry anything.
async fn log_and_jsonify(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_string();
    let user = LogUser::default();
    request.extensions_mut().insert(user.clone());
    let mut response = next.run(request).await;
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|value| value.as_bytes().starts_with(b"application/json"));
    if (status.is_client_error() || status.is_server_error()) && !is_json {
        response = plain_error(status, &method, &path, &state).into_response();
    }
    if status == StatusCode::UNAUTHORIZED {
        response
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    }
    if status.is_client_error() {
        response
            .headers_mut()
            .insert(header::ACCEPT_ENCODING, HeaderValue::from_static(READ_ENCODINGS));
    }
    let millis = started.elapsed().as_secs_f64() * 1000.0;
    let who = user.0.get().map_or("-", String::as_str);
    let detail = response
        .extensions()
        .get::<InternalDetail>()
        .map(|d| format!(" error={:?}", d.0))
        .unwrap_or_default();
    eprintln!(
        "{} {method} {path} {} {millis:.1}ms user={who}{detail}",
        log_time(),
        status.as_u16(),
    );
    response
}

/// The time at the start of every log line.
pub(super) fn log_time() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

fn plain_error(status: StatusCode, method: &Method, path: &str, state: &AppState) -> ApiError {
    match status {
        StatusCode::PAYLOAD_TOO_LARGE => too_large(state.body_limit(path)),
        StatusCode::REQUEST_TIMEOUT => ApiError::new(
            status,
            format!(
                "the request took longer than {} s: check the connection, or send fewer rows per request",
                state.request_timeout.as_secs_f64()
            ),
        ),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ApiError::new(
            status,
            format!(
                "this server reads request bodies compressed with {READ_ENCODINGS} only: send one of those, or plain JSON"
            ),
        ),
        StatusCode::METHOD_NOT_ALLOWED => ApiError::new(
            status,
            format!("this endpoint does not accept {method}: check the client version"),
        ),
        _ => ApiError::new(status, status.canonical_reason().unwrap_or("request failed")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::postgres::PostgresStorage;
    use crate::server::sqlite::SqliteStorage;
    use crate::server::storage::{AccountSummary, DeviceRecord, TokenHash, UserId};
    use crate::server::test_cluster::Cluster;
    use crate::sync::wire::PROTOCOL_VERSION;
    use serde_json::{Value, json};
    use std::io::{Read, Write};

    /// The real router on a real loopback socket, on its own runtime.
    struct TestServer {
        base: String,
        agent: ureq::Agent,
        _runtime: tokio::runtime::Runtime,
        _dir: tempfile::TempDir,
    }

    fn serve(open_registration: bool, max_body_bytes: usize, request_timeout: Duration) -> TestServer {
        let dir = tempfile::tempdir().unwrap();
        let mut options = ServerOptions::new(dir.path().to_path_buf());
        options.open_registration = open_registration;
        options.max_body_bytes = max_body_bytes;
        options.request_timeout = request_timeout;
        // These tests speak plaintext rows, as a device of an account without a key does.
        options.allow_plaintext = true;
        let storage = Arc::new(SqliteStorage::open(dir.path()).unwrap());
        serve_storage(storage, &options, dir)
    }

    fn serve_storage(storage: Arc<dyn Storage>, options: &ServerOptions, dir: tempfile::TempDir) -> TestServer {
        let app = router(storage, options);
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        runtime.spawn(async move { axum::serve(listener, app).await });
        // No connection pooling: after refusing an upload the server closes
        // the connection, and a pooled one would make the next request fail
        // for a reason that has nothing to do with the server's health.
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_idle_connections(0)
            .build()
            .into();
        TestServer {
            base,
            agent,
            _runtime: runtime,
            _dir: dir,
        }
    }

    fn open_server() -> TestServer {
        serve(true, 1 << 20, Duration::from_secs(10))
    }

    impl TestServer {
        fn url(&self, path: &str) -> String {
            format!("{}{path}", self.base)
        }

        /// Status and parsed JSON body (Null for an empty body).
        fn post(&self, path: &str, token: Option<&str>, body: &str) -> (u16, Value) {
            let mut request = self
                .agent
                .post(self.url(path))
                .header("content-type", "application/json");
            if let Some(token) = token {
                request = request.header("authorization", format!("Bearer {token}"));
            }
            answer(request.send(body).unwrap())
        }

        fn post_json(&self, path: &str, token: Option<&str>, body: &Value) -> (u16, Value) {
            self.post(path, token, &body.to_string())
        }

        fn assert_healthy(&self) {
            let (status, body) = answer(self.agent.get(self.url("/health")).call().unwrap());
            assert_eq!((status, body), (200, json!({"status": "ok"})));
        }

        fn register(&self, user: &str) -> String {
            let (status, body) = self.post_json("/v1/register", None, &json!({"user": user, "password": "hunter22"}));
            assert_eq!(status, 201, "{body}");
            body["token"].as_str().unwrap().to_string()
        }
    }

    fn answer(mut response: axum::http::Response<ureq::Body>) -> (u16, Value) {
        let status = response.status().as_u16();
        let text = response.body_mut().read_to_string().unwrap();
        let body = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap()
        };
        (status, body)
    }

    fn error_of(body: &Value) -> &str {
        body["error"]
            .as_str()
            .unwrap_or_else(|| panic!("not an ErrorBody: {body}"))
    }

    fn sync_body(rows: Value) -> Value {
        // Every round of "phone" presents one lineage token: the server takes
        // each after the first as a retry, and stores its rows all the same.
        json!({"protocol": PROTOCOL_VERSION, "device_id": "phone", "cursor": 0, "rows": rows, "lineage": {"next": "l"}})
    }

    /// `count` workout rows w0, w1, … of "phone", each with `notes`.
    fn workout_rows(count: usize, notes: &str) -> Vec<Value> {
        (0..count)
            .map(|i| {
                json!({"kind": "workout", "id": format!("w{i}"), "clock": {"phone": 1}, "deleted": false,
                    "body": {"notes": notes}})
            })
            .collect()
    }

    #[test]
    fn sync_answers_are_zstd_in_one_frame_of_known_size_when_the_client_prefers_it() {
        let server = open_server();
        let token = server.register("alice");
        let rows = workout_rows(20, &"bench press 5x5 @ 100 kg ".repeat(8));
        let (status, _) = server.post_json("/v1/sync", Some(&token), &sync_body(json!(rows)));
        assert_eq!(status, 200);
        // A pull of all 20 rows (the same lineage: a retry to the server).
        let pull = |accept: &str| {
            let agent: ureq::Agent = ureq::Agent::config_builder().accept_encoding(accept).build().into();
            let mut response = agent
                .post(server.url("/v1/sync"))
                .header("authorization", format!("Bearer {token}"))
                .send(sync_body(json!([])).to_string())
                .unwrap();
            let coding = response
                .headers()
                .get("content-encoding")
                .map(|v| v.to_str().unwrap().to_string());
            (coding, response.body_mut().read_to_vec().unwrap())
        };
        let changes = |json: &[u8]| {
            serde_json::from_slice::<Value>(json).unwrap()["changes"]
                .as_array()
                .unwrap()
                .len()
        };
        let (coding, packed) = pull("gzip, zstd");
        assert_eq!(coding.as_deref(), Some("zstd"));
        let json = zstd::decode_all(&packed[..]).unwrap();
        assert_eq!(changes(&json), 20);
        // Compressed with its size known, so the encoder sized its tables
        // for this answer, not for a stream of any length.
        assert_eq!(
            zstd::zstd_safe::get_frame_content_size(&packed).ok().flatten(),
            Some(json.len() as u64)
        );
        // A client that prefers gzip, or reads only that, gets gzip (ureq
        // decodes it); one that reads neither gets plain JSON.
        for accept in ["gzip", "zstd;q=0.5, gzip", ""] {
            let (coding, json) = pull(accept);
            assert_ne!(coding.as_deref(), Some("zstd"), "{accept}");
            assert_eq!(changes(&json), 20, "{accept}");
        }
        // A small answer goes as it is.
        let bob = server.register("bob");
        let agent: ureq::Agent = ureq::Agent::config_builder().accept_encoding("zstd").build().into();
        let response = agent
            .post(server.url("/v1/sync"))
            .header("authorization", format!("Bearer {bob}"))
            .send(sync_body(json!([])).to_string())
            .unwrap();
        assert_eq!(response.headers().get("content-encoding"), None);
    }

    #[test]
    fn zstd_is_chosen_when_no_other_coding_is_preferred() {
        let prefers = |accept: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::ACCEPT_ENCODING, HeaderValue::from_str(accept).unwrap());
            prefers_zstd(&headers)
        };
        assert!(prefers("zstd, gzip") && prefers("gzip, zstd") && prefers("ZSTD;q=0.8, gzip;q=0.8, identity"));
        assert!(!prefers("gzip") && !prefers("zstd;q=0, gzip") && !prefers("zstd;q=0.5, gzip") && !prefers(""));
        assert!(!prefers_zstd(&HeaderMap::new()));
    }

    #[test]
    fn health_and_unknown_routes() {
        let server = open_server();
        server.assert_healthy();
        let (status, body) = answer(server.agent.get(server.url("/nope")).call().unwrap());
        assert_eq!(status, 404);
        assert!(error_of(&body).contains("no GET /nope"));
        let (status, body) = answer(server.agent.get(server.url("/v1/sync")).call().unwrap());
        assert_eq!(status, 405);
        assert!(error_of(&body).contains("does not accept GET"));
        server.assert_healthy();
    }

    #[test]
    fn register_login_sync_logout() {
        let server = open_server();
        let token = server.register("alice");
        let (status, body) = server.post_json("/v1/register", None, &json!({"user": "alice", "password": "other123"}));
        assert_eq!(status, 409);
        assert!(error_of(&body).contains("taken"));

        let (status, body) = server.post_json("/v1/login", None, &json!({"user": "alice", "password": "hunter22"}));
        assert_eq!(status, 200);
        assert_eq!(body["user"], "alice");
        let second = body["token"].as_str().unwrap().to_string();
        assert_ne!(second, token);

        let row = json!({"kind": "workout", "id": "w1", "clock": {"phone": 1}, "deleted": false, "body": {"n": 1}});
        let (status, body) = server.post_json("/v1/sync", Some(&token), &sync_body(json!([row])));
        assert_eq!(status, 200, "{body}");
        assert_eq!(
            body["results"],
            json!([{"kind": "workout", "id": "w1", "status": "accepted"}])
        );
        assert_eq!((body["cursor"].as_u64(), &body["changes"]), (Some(1), &json!([])));

        // The other session sees the row.
        let (_, body) = server.post_json("/v1/sync", Some(&second), &sync_body(json!([])));
        assert_eq!(body["changes"], json!([row]));

        assert_eq!(server.post("/v1/logout", Some(&token), ""), (204, Value::Null));
        let (status, _) = server.post_json("/v1/sync", Some(&token), &sync_body(json!([])));
        assert_eq!(status, 401);
        let (status, _) = server.post_json("/v1/sync", Some(&second), &sync_body(json!([])));
        assert_eq!(status, 200);
    }

    #[test]
    fn registration_rules() {
        let closed = serve(false, 1 << 20, Duration::from_secs(10));
        let (status, body) = closed.post_json("/v1/register", None, &json!({"user": "bob", "password": "hunter22"}));
        assert_eq!(status, 403);
        assert!(error_of(&body).contains("registration is closed"));
        closed.assert_healthy();

        let open = open_server();
        let (status, body) = open.post_json("/v1/register", None, &json!({"user": "bob", "password": "short"}));
        assert_eq!(status, 400);
        assert!(error_of(&body).contains("at least 8"));
        let (status, body) = open.post_json("/v1/register", None, &json!({"user": "b o b", "password": "hunter22"}));
        assert_eq!(status, 400);
        assert!(error_of(&body).contains("user name"));
        for bad in [json!("not hex"), json!(""), json!("ab".repeat(129))] {
            let (status, body) = open.post_json(
                "/v1/register",
                None,
                &json!({"user": "bob", "password": "hunter22", "key_check": bad}),
            );
            assert_eq!(status, 400);
            assert!(error_of(&body).contains("key_check"), "{body}");
        }
        open.assert_healthy();
    }

    #[test]
    fn an_account_hands_its_key_check_to_every_login() {
        let server = open_server();
        let check = "00ff".repeat(20);
        let credentials = json!({"user": "kim", "password": "hunter22", "key_check": check});
        let (status, body) = server.post_json("/v1/register", None, &credentials);
        assert_eq!((status, &body["key_check"]), (201, &json!(check)), "{body}");
        // A login cannot replace it: only register sets it.
        let login = json!({"user": "kim", "password": "hunter22", "key_check": "11"});
        let (status, body) = server.post_json("/v1/login", None, &login);
        assert_eq!((status, &body["key_check"]), (200, &json!(check)), "{body}");
        server.register("plain");
        let (_, body) = server.post_json("/v1/login", None, &json!({"user": "plain", "password": "hunter22"}));
        assert_eq!(body.get("key_check"), None, "an account without a key has no check");
    }

    #[test]
    fn wrong_password_and_unknown_user_are_both_401() {
        let server = open_server();
        server.register("alice");
        for (user, password) in [("alice", "hunter23"), ("nobody", "hunter22")] {
            let (status, body) = server.post_json("/v1/login", None, &json!({"user": user, "password": password}));
            assert_eq!(status, 401);
            assert_eq!(error_of(&body), "wrong user name or password: check both and try again");
        }
        server.assert_healthy();
    }

    #[test]
    fn missing_or_forged_tokens_are_401() {
        let server = open_server();
        server.register("alice");
        let (status, body) = server.post_json("/v1/sync", None, &sync_body(json!([])));
        assert_eq!(status, 401);
        assert!(error_of(&body).contains("needs a login"));
        let forged = "0".repeat(64);
        let (status, body) = server.post_json("/v1/sync", Some(&forged), &sync_body(json!([])));
        assert_eq!(status, 401);
        assert!(error_of(&body).contains("expired or was revoked"));
        let (status, _) = server.post("/v1/logout", Some(&forged), "");
        assert_eq!(status, 401);
        server.assert_healthy();
    }

    #[test]
    fn malformed_requests_are_400_with_a_json_reason() {
        let server = open_server();
        let token = server.register("alice");
        let cases = [
            (r#"{"protocol": 1, "device_id": "#, "EOF while parsing"),
            (
                r#"{"protocol": "one", "device_id": "d", "cursor": 0, "rows": []}"#,
                "invalid type",
            ),
            (
                r#"{"protocol": 1, "device_id": "d", "rows": []}"#,
                "missing field `cursor`",
            ),
            ("not json", "expected ident"),
            (
                r#"{"protocol": 2, "device_id": "d", "cursor": 0, "rows": []}"#,
                "speaks sync protocol 1",
            ),
            (
                r#"{"protocol": 1, "device_id": "d", "cursor": 0, "rows": []}"#,
                "carries no lineage",
            ),
            (
                r#"{"protocol": 1, "device_id": "d", "cursor": 0, "lineage": {"next": "l"}, "rows": [{"kind":
                    "workout", "id": "w", "clock": {"d": 1}, "deleted": false, "body": 12}]}"#,
                "body must be a JSON object",
            ),
        ];
        for (body, expected) in cases {
            let (status, answer) = server.post("/v1/sync", Some(&token), body);
            assert_eq!(status, 400, "{body}");
            assert!(error_of(&answer).contains(expected), "{answer} lacks {expected}");
            server.assert_healthy();
        }
        let (status, answer) = server.post("/v1/login", None, "{}");
        assert_eq!(status, 400);
        assert!(error_of(&answer).contains("missing field `user`"));
        // Nothing was stored by any of them.
        let (_, answer) = server.post_json("/v1/sync", Some(&token), &sync_body(json!([])));
        assert_eq!(
            (answer["changes"].clone(), answer["cursor"].as_u64()),
            (json!([]), Some(0))
        );
    }

    #[test]
    fn oversized_bodies_are_413_with_or_without_a_length() {
        let server = serve(true, 4096, Duration::from_secs(10));
        let token = server.register("alice");
        let big = sync_body(
            json!([{"kind": "workout", "id": "w", "clock": {"d": 1}, "deleted": false,
            "body": {"notes": "x".repeat(8000)}}]),
        );
        let (status, body) = server.post_json("/v1/sync", Some(&token), &big);
        assert_eq!(status, 413);
        assert!(error_of(&body).contains("limit of 4096 bytes"));
        server.assert_healthy();

        // Chunked: no Content-Length to reject up front.
        let reader = std::io::Cursor::new(big.to_string().into_bytes());
        let response = server
            .agent
            .post(server.url("/v1/sync"))
            .header("authorization", format!("Bearer {token}"))
            .send(ureq::SendBody::from_owned_reader(reader))
            .unwrap();
        let (status, body) = answer(response);
        assert_eq!(status, 413);
        assert!(error_of(&body).contains("limit of 4096 bytes"));
        server.assert_healthy();
    }

    #[test]
    fn a_stalled_request_times_out_with_json() {
        let server = serve(true, 1 << 20, Duration::from_millis(300));
        let address = server.base.trim_start_matches("http://");
        let mut stream = std::net::TcpStream::connect(address).unwrap();
        // Promise 100 bytes, send 2, then wait.
        write!(
            stream,
            "POST /v1/login HTTP/1.1\r\nhost: x\r\ncontent-length: 100\r\n\r\n{{"
        )
        .unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let mut reply = String::new();
        // The server answers and closes the connection; the read ends either way.
        let _ = stream.read_to_string(&mut reply);
        assert!(reply.starts_with("HTTP/1.1 408"), "{reply}");
        assert!(
            reply.contains(r#"{"error":"the request took longer than 0.3 s"#),
            "{reply}"
        );
        server.assert_healthy();
    }

    #[test]
    fn bodies_over_the_inline_threshold_parse_the_same() {
        let server = open_server();
        let token = server.register("alice");
        let body = sync_body(json!(workout_rows(300, &"x".repeat(300)))).to_string();
        assert!(body.len() > INLINE_PARSE_BYTES);
        let (status, answer) = server.post("/v1/sync", Some(&token), &body[..body.len() - 1]);
        assert_eq!(status, 400);
        assert!(error_of(&answer).contains("EOF while parsing"), "{answer}");
        let (status, answer) = server.post("/v1/sync", Some(&token), &body);
        assert_eq!((status, answer["cursor"].as_u64()), (200, Some(300)));
    }

    /// Fails every sync round, or crashes it for the user whose token is
    /// `PANIC_TOKEN`, to prove the server answers 500 and lives on.
    struct Broken;

    const PANIC_TOKEN: &str = "panic";

    impl Storage for Broken {
        fn create_user(&self, _: &str, _: &str, _: Option<&str>) -> Result<User, StorageError> {
            Err(StorageError::database("disk full"))
        }
        fn key_check(&self, _: UserId) -> Result<Option<String>, StorageError> {
            Ok(None)
        }
        fn password_hash(&self, _: &str) -> Result<Option<(User, String)>, StorageError> {
            Ok(None)
        }
        fn set_password_hash(&self, _: UserId, _: &str) -> Result<(), StorageError> {
            Ok(())
        }
        fn accounts(&self) -> Result<Vec<AccountSummary>, StorageError> {
            Ok(Vec::new())
        }
        fn delete_user(&self, _: UserId) -> Result<bool, StorageError> {
            Ok(false)
        }
        fn create_session(&self, _: UserId, _: &SessionInfo) -> Result<(), StorageError> {
            Ok(())
        }
        /// Every token is a live session of the device "phone".
        fn session(&self, token: &TokenHash) -> Result<Option<(User, SessionInfo)>, StorageError> {
            let id = if *token == auth::token_hash(PANIC_TOKEN) { 2 } else { 1 };
            let user = User {
                id,
                name: "alice".into(),
            };
            let session = SessionInfo {
                token: *token,
                device: Some("phone".into()),
                created_at: chrono::Utc::now(),
                last_used: chrono::Utc::now(),
            };
            Ok(Some((user, session)))
        }
        fn sessions(&self, _: UserId) -> Result<Vec<SessionInfo>, StorageError> {
            Ok(Vec::new())
        }
        fn touch_session(&self, _: &TokenHash, _: chrono::DateTime<chrono::Utc>) -> Result<(), StorageError> {
            Ok(())
        }
        fn bind_session(&self, _: &TokenHash, _: &str) -> Result<bool, StorageError> {
            Ok(false)
        }
        fn revoke_session(&self, _: &TokenHash) -> Result<bool, StorageError> {
            Ok(true)
        }
        fn revoke_sessions(&self, _: UserId, _: Option<&TokenHash>) -> Result<u64, StorageError> {
            Ok(0)
        }
        fn devices(&self, _: UserId) -> Result<Vec<DeviceRecord>, StorageError> {
            Ok(Vec::new())
        }
        fn begin(&self, user: i64) -> Result<Box<dyn crate::server::StorageTxn + '_>, StorageError> {
            if user == 2 {
                panic!("simulated crash inside storage");
            }
            Err(StorageError::database("database disk image is malformed"))
        }
    }

    #[test]
    fn the_log_gets_an_error_with_its_causes() {
        let error = StorageError::database("disk I/O error");
        assert_eq!(with_causes(&error), "database error: disk I/O error");
    }

    #[test]
    fn storage_failures_and_crashes_are_500_and_the_server_lives_on() {
        let dir = tempfile::tempdir().unwrap();
        let mut options = ServerOptions::new(dir.path().to_path_buf());
        options.open_registration = true;
        let server = serve_storage(Arc::new(Broken), &options, dir);
        for token in ["any", PANIC_TOKEN] {
            let (status, answer) = server.post_json("/v1/sync", Some(token), &sync_body(json!([])));
            assert_eq!(status, 500);
            let message = error_of(&answer);
            assert!(message.starts_with("the server hit an internal error"), "{message}");
            assert!(
                !message.contains("malformed") && !message.contains("simulated"),
                "{message}"
            );
            server.assert_healthy();
        }
        let (status, _) = server.post_json("/v1/register", None, &json!({"user": "bob", "password": "hunter22"}));
        assert_eq!(status, 500);
        server.assert_healthy();
    }

    #[test]
    fn an_unreachable_database_is_503_with_retry_after_until_it_is_back() {
        let cluster = Cluster::start();
        // Declared before the server, so the last handle goes after the
        // server's runtime: a PostgreSQL connection owns a runtime of its own.
        let storage = Arc::new(PostgresStorage::connect(&cluster.database(), None).unwrap());
        let dir = tempfile::tempdir().unwrap();
        let mut options = ServerOptions::new(dir.path().to_path_buf());
        options.open_registration = true;
        let server = serve_storage(storage.clone(), &options, dir);
        let token = server.register("alice");
        cluster.stop();
        let response = server
            .agent
            .post(server.url("/v1/sync"))
            .header("authorization", format!("Bearer {token}"))
            .send(sync_body(json!([])).to_string())
            .unwrap();
        assert_eq!(
            response.headers().get("retry-after").map(|v| v.to_str().unwrap()),
            Some(RETRY_AFTER_SECONDS)
        );
        let (status, body) = answer(response);
        assert_eq!(status, 503);
        assert!(error_of(&body).contains("cannot reach its database"), "{body}");
        let (status, _) = server.post_json("/v1/login", None, &json!({"user": "alice", "password": "hunter22"}));
        assert_eq!(status, 503);
        let (status, body) = answer(server.agent.get(server.url("/health")).call().unwrap());
        assert_eq!((status, &body["status"]), (503, &json!("database unreachable")));
        cluster.resume();
        server.assert_healthy();
        let (status, _) = server.post_json("/v1/sync", Some(&token), &sync_body(json!([])));
        assert_eq!(status, 200);
    }
}
