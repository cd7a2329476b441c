//! The account endpoints: register, login, logout, password, the devices
//! of an account, and a session following its device to a new id.
//!
//! Every session syncs as one device id, the one that logged in, so a token
//! taken from one device cannot push under another's id (and break that
//! device's lineage). A database that takes a new id (a copy caught on
//! open, `pump device --reset-id`, a fork after a 409 or a collision) asks
//! `POST /v1/session/fork` for a session bound to its new id, proving it
//! holds a live session of the account. Its twin keeps the old id and the
//! old session, so both go on syncing, and each can be revoked on its own.
//! The new id must be one the account has never synced under, and the new
//! session keeps its predecessor's creation time: forking neither takes
//! over another device nor pushes back the absolute expiry.

use super::auth;
use super::http::{ApiError, AppState, Authenticated, JsonBody, LogUser, blocking, log_time};
use super::storage::{SessionInfo, Storage, StorageError, TokenHash, User};
use crate::sync::crypto::{MAX_KEY_CHECK_LEN, well_formed_key_check};
use crate::sync::server_rules::check_device_id;
use crate::sync::wire::{
    Credentials, DeviceList, DeviceRef, DeviceSummary, KeyChange, PasswordChange, Revoked, Session,
};
use axum::Json;
use axum::extract::{FromRequest, Request, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use std::net::IpAddr;
use std::time::Instant;

/// A new session for `user` bound to `device`, created at `created_at`
/// (now, or a forked session's predecessor's). Makes room first: past the
/// account's cap, the least recently used sessions end. The client gets
/// the token, storage its hash.
fn open_session(
    state: &AppState,
    user: &User,
    device: Option<String>,
    created_at: DateTime<Utc>,
) -> Result<Session, StorageError> {
    let storage = state.storage.as_ref();
    let mut sessions = storage.sessions(user.id)?;
    let excess = (sessions.len() + 1).saturating_sub(state.sessions.max_per_account.max(1));
    sessions.sort_by_key(|s| s.last_used);
    for old in sessions.iter().take(excess) {
        storage.revoke_session(&old.token)?;
    }
    if excess > 0 {
        eprintln!(
            "{} user={} had {} sessions: ended the {excess} least recently used (--max-sessions {})",
            log_time(),
            user.name,
            sessions.len(),
            state.sessions.max_per_account
        );
    }
    let token = auth::new_token();
    let session = SessionInfo {
        token: auth::token_hash(&token),
        device,
        created_at,
        last_used: Utc::now(),
    };
    storage.create_session(user.id, &session)?;
    Ok(Session {
        user: user.name.clone(),
        token,
        key_check: storage.key_check(user.id)?,
    })
}

/// The device id a login names, checked like a sync request's.
fn login_device(credentials: &Credentials) -> Result<Option<String>, ApiError> {
    if let Some(device) = &credentials.device_id {
        check_device_id(device).map_err(|e| ApiError::bad_request(format!("device_id {e}")))?;
    }
    Ok(credentials.device_id.clone())
}

/// The session may sync as `device`: it is bound to it, or bound to none
/// yet (a login by an older pump), in which case it is bound now.
pub(super) fn check_device(storage: &dyn Storage, session: &SessionInfo, device: &str) -> Result<(), ApiError> {
    let bound = match &session.device {
        Some(bound) => bound.clone(),
        None if storage.bind_session(&session.token, device)? => return Ok(()),
        // Bound meanwhile by another request (or ended): read it again.
        None => storage
            .session(&session.token)?
            .and_then(|(_, again)| again.device)
            .unwrap_or_default(),
    };
    if bound == device {
        return Ok(());
    }
    Err(ApiError::new(
        StatusCode::FORBIDDEN,
        format!(
            "this session belongs to device {bound}, not {device}: a session syncs only as the device that logged \
             in; run `pump login` on this device"
        ),
    ))
}

/// Refuses a login or password check from an address or for an account
/// that failed too often lately (see `throttle`).
fn check_throttle(state: &AppState, address: IpAddr, account: &str) -> Result<(), ApiError> {
    match state.throttle.login_wait(address, account, Instant::now()) {
        Some(wait) => {
            eprintln!(
                "{} login throttled user={:?} from={address}",
                log_time(),
                printable(account)
            );
            Err(ApiError::too_many(
                "too many failed logins for this account or from this address",
                wait,
            ))
        }
        None => Ok(()),
    }
}

/// Counts a failed password and logs it in one line fail2ban can match:
/// `login failed user="NAME" from=ADDRESS`.
fn password_failed(state: &AppState, address: IpAddr, account: &str) {
    state.throttle.login_failed(address, account, Instant::now());
    eprintln!(
        "{} login failed user={:?} from={address}",
        log_time(),
        printable(account)
    );
}

/// An attempted name as the log shows it: at most 64 characters (it was
/// never validated), quoted and escaped by `{:?}`.
fn printable(name: &str) -> String {
    name.chars().take(64).collect()
}

pub(super) async fn register(
    State(state): State<AppState>,
    request: Request,
) -> Result<(StatusCode, Json<Session>), ApiError> {
    if !state.open_registration {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "registration is closed on this server: ask its operator to create your account",
        ));
    }
    let log = LogUser::of(request.extensions());
    let address = state.client_address(request.extensions(), request.headers());
    let JsonBody(credentials) = JsonBody::<Credentials>::from_request(request, &state).await?;
    auth::validate_user_name(&credentials.user).map_err(ApiError::bad_request)?;
    auth::validate_password(&credentials.password).map_err(ApiError::bad_request)?;
    if credentials
        .key_check
        .as_deref()
        .is_some_and(|check| !well_formed_key_check(check))
    {
        return Err(ApiError::bad_request(format!(
            "key_check must be hex, at most {MAX_KEY_CHECK_LEN} digits"
        )));
    }
    let device = login_device(&credentials)?;
    state.throttle.register(address, Instant::now()).map_err(|wait| {
        eprintln!("{} registration throttled from={address}", log_time());
        ApiError::too_many("too many accounts were registered from this address lately", wait)
    })?;
    let slot = state.hashing_slot().await?;
    let worker = state.clone();
    let session = blocking(move || {
        let _slot = slot;
        let hash = auth::hash_password(&credentials.password).map_err(ApiError::internal)?;
        let user = worker
            .storage
            .create_user(&credentials.user, &hash, credentials.key_check.as_deref())?;
        Ok::<_, ApiError>(open_session(&worker, &user, device, Utc::now())?)
    })
    .await?;
    log.note(&session.user);
    Ok((StatusCode::CREATED, Json(session)))
}

/// The account `name`, if `password` is its password. Burns the same time
/// for an unknown name, so response times do not tell which names exist.
fn verify(storage: &dyn Storage, name: &str, password: &str) -> Result<Option<User>, StorageError> {
    Ok(match storage.password_hash(name)? {
        Some((user, hash)) if auth::verify_password(password, &hash) => Some(user),
        Some(_) => None,
        None => {
            auth::verify_against_nothing(password);
            None
        }
    })
}

pub(super) async fn login(State(state): State<AppState>, request: Request) -> Result<Json<Session>, ApiError> {
    let log = LogUser::of(request.extensions());
    let address = state.client_address(request.extensions(), request.headers());
    let JsonBody(credentials) = JsonBody::<Credentials>::from_request(request, &state).await?;
    let device = login_device(&credentials)?;
    check_throttle(&state, address, &credentials.user)?;
    let slot = state.hashing_slot().await?;
    let worker = state.clone();
    let name = credentials.user.clone();
    let session = blocking(move || {
        let _slot = slot;
        match verify(worker.storage.as_ref(), &credentials.user, &credentials.password)? {
            Some(user) => open_session(&worker, &user, device, Utc::now()).map(Some),
            None => Ok(None),
        }
    })
    .await?;
    let Some(session) = session else {
        password_failed(&state, address, &name);
        return Err(ApiError::unauthorized(
            "wrong user name or password: check both and try again",
        ));
    };
    state.throttle.login_succeeded(address, &name);
    log.note(&session.user);
    Ok(Json(session))
}

pub(super) async fn logout(State(state): State<AppState>, auth: Authenticated) -> Result<StatusCode, ApiError> {
    let storage = state.storage.clone();
    state
        .database(move || storage.revoke_session(&auth.session.token))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /v1/password`: the current password again (a session alone must
/// not be enough), the new one, and optionally the end of every other
/// session of the account.
pub(super) async fn change_password(
    State(state): State<AppState>,
    auth: Authenticated,
    request: Request,
) -> Result<Json<Revoked>, ApiError> {
    let address = state.client_address(request.extensions(), request.headers());
    let JsonBody(change) = JsonBody::<PasswordChange>::from_request(request, &state).await?;
    auth::validate_password(&change.new_password).map_err(ApiError::bad_request)?;
    let name = auth.user.name.clone();
    check_throttle(&state, address, &name)?;
    let slot = state.hashing_slot().await?;
    let worker = state.clone();
    let keep: TokenHash = auth.session.token;
    let revoked = blocking(move || {
        let _slot = slot;
        if verify(worker.storage.as_ref(), &auth.user.name, &change.password)?.is_none() {
            return Ok(None);
        }
        let hash = auth::hash_password(&change.new_password).map_err(ApiError::internal)?;
        worker.storage.set_password_hash(auth.user.id, &hash)?;
        let revoked = if change.revoke_other_sessions {
            worker.storage.revoke_sessions(auth.user.id, Some(&keep))?
        } else {
            0
        };
        Ok::<_, ApiError>(Some(revoked))
    })
    .await?;
    let Some(revoked) = revoked else {
        password_failed(&state, address, &name);
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "the current password is wrong: nothing was changed",
        ));
    };
    state.throttle.login_succeeded(address, &name);
    Ok(Json(Revoked { revoked }))
}

/// `POST /v1/session/fork`: a session bound to the new device id of the
/// database presenting this one (see the module docs).
pub(super) async fn fork_session(
    State(state): State<AppState>,
    auth: Authenticated,
    JsonBody(new): JsonBody<DeviceRef>,
) -> Result<(StatusCode, Json<Session>), ApiError> {
    check_device_id(&new.device_id).map_err(|e| ApiError::bad_request(format!("device_id {e}")))?;
    if auth.session.device.as_deref() == Some(new.device_id.as_str()) {
        return Err(ApiError::bad_request(
            "this session already syncs as that device: there is nothing to fork",
        ));
    }
    let worker = state.clone();
    let session = state
        .database(move || {
            let storage = worker.storage.as_ref();
            if storage.devices(auth.user.id)?.iter().any(|d| d.id == new.device_id) {
                return Err(ApiError::new(
                    StatusCode::CONFLICT,
                    format!(
                        "device {} has synced to this account already: a session cannot take over another device; \
                         run `pump device --reset-id`, then `pump sync`",
                        new.device_id
                    ),
                ));
            }
            Ok(open_session(
                &worker,
                &auth.user,
                Some(new.device_id),
                auth.session.created_at,
            )?)
        })
        .await?;
    Ok((StatusCode::CREATED, Json(session)))
}

/// `GET /v1/devices`: every device of the account, most recently synced first.
pub(super) async fn devices(State(state): State<AppState>, auth: Authenticated) -> Result<Json<DeviceList>, ApiError> {
    let worker = state.clone();
    let devices = state
        .database(move || {
            let storage = worker.storage.as_ref();
            let now = Utc::now();
            let signed_in: Vec<String> = storage
                .sessions(auth.user.id)?
                .into_iter()
                .filter(|s| matches!(worker.sessions.state(s, now), auth::SessionState::Live { .. }))
                .filter_map(|s| s.device)
                .collect();
            let mut devices: Vec<DeviceSummary> = storage
                .devices(auth.user.id)?
                .into_iter()
                .map(|d| DeviceSummary {
                    signed_in: signed_in.contains(&d.id),
                    id: d.id,
                    name: d.name,
                    last_sync: d.last_sync,
                    pending: d.pending,
                    rows: d.rows,
                })
                .collect();
            devices.sort_by(|a, b| b.last_sync.cmp(&a.last_sync).then_with(|| a.id.cmp(&b.id)));
            Ok::<_, StorageError>(devices)
        })
        .await?;
    Ok(Json(DeviceList { devices }))
}

/// `POST /v1/devices/revoke`: ends every session bound to a device of the
/// account, so it cannot sync again until someone logs it in.
/// `POST /v1/key`: moves the account to another key check (a plaintext
/// account's first, or a rotation's new one): see `round::change_key`.
/// 204, or 412 when another device changed the key, 409 when the device
/// must pull first.
pub(super) async fn change_key(
    State(state): State<AppState>,
    auth: Authenticated,
    JsonBody(change): JsonBody<KeyChange>,
) -> Result<StatusCode, ApiError> {
    let well_formed = |check: &str| well_formed_key_check(check);
    if !well_formed(&change.key_check) || change.expected.as_deref().is_some_and(|check| !well_formed(check)) {
        return Err(ApiError::bad_request(format!(
            "key_check must be hex, at most {MAX_KEY_CHECK_LEN} digits"
        )));
    }
    let storage = state.storage.clone();
    state
        .database(move || super::round::change_key(storage.as_ref(), auth.user.id, &change).map_err(ApiError::from))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

pub(super) async fn revoke_device(
    State(state): State<AppState>,
    auth: Authenticated,
    JsonBody(device): JsonBody<DeviceRef>,
) -> Result<Json<Revoked>, ApiError> {
    let storage = state.storage.clone();
    let revoked = state
        .database(move || {
            let known = storage.devices(auth.user.id)?.iter().any(|d| d.id == device.device_id);
            let mut revoked = 0;
            for session in storage.sessions(auth.user.id)? {
                if session.device.as_deref() == Some(device.device_id.as_str())
                    && storage.revoke_session(&session.token)?
                {
                    revoked += 1;
                }
            }
            if !known && revoked == 0 {
                return Err(ApiError::new(
                    StatusCode::NOT_FOUND,
                    format!(
                        "this account has no device {}: `pump devices` lists them",
                        device.device_id
                    ),
                ));
            }
            Ok(revoked)
        })
        .await?;
    Ok(Json(Revoked { revoked }))
}
