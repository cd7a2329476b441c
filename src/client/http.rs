//! The HTTP side of the client: one agent, JSON in and out, and every
//! failure mapped to what the person (or cron) should do about it.

use crate::error::{Error, ErrorKind, Result};
use crate::sync::wire::{
    Credentials, DeviceList, DeviceRef, ErrorBody, PROTOCOL_VERSION, PasswordChange, Revoked, Session, SyncRequest,
    SyncResponse,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::time::Duration;

/// How the engine reaches a server. The HTTP client is the real one; tests
/// can put faults between the engine and the server.
pub trait Transport {
    /// Sends one round and returns the server's reply.
    fn sync(&mut self, request: &SyncRequest) -> Result<Reply>;
    /// Asks for a session bound to `device_id`, the new id of the database
    /// whose session this transport presents, and presents the new session
    /// from now on. Returns its token, for the database to keep, or `None`
    /// when the account has synced under that id already: another database
    /// took it too (this one is an undetected copy of it).
    fn follow_device(&mut self, device_id: &str) -> Result<Option<String>>;
}

/// What the server said to one round.
#[derive(Debug, Clone)]
pub enum Reply {
    /// The round was applied on the server: apply its answer here.
    Answer(SyncResponse),
    /// Refused whole (409): another database synced under this device id
    /// since this one last did, so this one is a copy and must take a new id.
    /// `already_stored` names the request's rows (by position) the server
    /// holds with exactly their clock and content: shared history.
    Forked {
        /// Positions in the request of rows the server already holds.
        already_stored: Vec<usize>,
    },
}

/// Why talking to the server failed. The cause decides what the person (or
/// cron) should do, hence the exit code: see [`TransportError::kind`].
#[derive(Debug, thiserror::Error)]
pub enum TransportError {
    /// The URL cannot be requested at all.
    #[error("'{url}' is not a valid server URL")]
    BadUrl {
        /// The URL as given.
        url: String,
    },
    /// No answer: the network, DNS, a refused connection, a timeout.
    #[error("cannot reach the server at {server} ({source}); nothing was lost, try again later")]
    Unreachable {
        /// The server's base URL.
        server: String,
        /// What the HTTP client reported.
        source: ureq::Error,
    },
    /// The answer is larger than pump is willing to read.
    #[error("the server's answer is too large: try again, or upgrade pump")]
    AnswerTooLarge,
    /// A success whose body is not what pump expects.
    #[error("the server at {server} sent an answer pump cannot read ({source}): is it a pump server?")]
    UnreadableAnswer {
        /// The server's base URL.
        server: String,
        /// Why the body did not decode.
        source: serde_json::Error,
    },
    /// 401: the session token (or the password) was not accepted.
    #[error("the server rejected this device's login ({reason}): run `pump login --server {server} --user NAME`")]
    Unauthorized {
        /// The server's base URL.
        server: String,
        /// The server's explanation.
        reason: String,
    },
    /// A timeout, rate limit or server fault (408, 429, 5xx): worth retrying.
    #[error("the server at {server} failed ({status}: {reason}); nothing was lost, try again later")]
    ServerFailed {
        /// The server's base URL.
        server: String,
        /// The HTTP status.
        status: u16,
        /// The server's explanation.
        reason: String,
    },
    /// Any other refusal: retrying the same request will not help.
    #[error("the server refused the request ({status}: {reason})")]
    Refused {
        /// The HTTP status.
        status: u16,
        /// The server's explanation.
        reason: String,
    },
    /// The server speaks another version of the sync protocol.
    #[error(
        "the server speaks sync protocol {server_protocol} and this pump speaks {PROTOCOL_VERSION}: upgrade the older one"
    )]
    ProtocolMismatch {
        /// The version the server answered with.
        server_protocol: u32,
    },
}

impl TransportError {
    /// What kind of failure this is for the person: "fix the command", "log
    /// in again" or "try again later".
    pub fn kind(&self) -> ErrorKind {
        match self {
            TransportError::BadUrl { .. } => ErrorKind::Usage,
            TransportError::Unreachable { .. } | TransportError::ServerFailed { .. } => ErrorKind::Unavailable,
            TransportError::Unauthorized { .. } => ErrorKind::Unauthorized,
            TransportError::AnswerTooLarge
            | TransportError::UnreadableAnswer { .. }
            | TransportError::Refused { .. }
            | TransportError::ProtocolMismatch { .. } => ErrorKind::Other,
        }
    }
}

impl From<TransportError> for Error {
    fn from(e: TransportError) -> Self {
        Error::new(e.kind(), e.to_string())
    }
}

/// Answers are paged, but a page of big workouts can still be large.
const MAX_ANSWER_BYTES: u64 = 256 * 1024 * 1024;

/// The real [`Transport`], and the account calls, over HTTP(S).
pub struct HttpClient {
    agent: ureq::Agent,
    base: String,
    token: Option<String>,
}

/// Checks and normalises a server URL typed by a person.
pub fn normalize_url(raw: &str) -> Result<String> {
    let url = raw.trim().trim_end_matches('/');
    let valid = (url.starts_with("http://") || url.starts_with("https://"))
        && url
            .split_once("://")
            .is_some_and(|(_, host)| !host.is_empty() && !host.contains(char::is_whitespace));
    if !valid {
        return Err(Error::usage(format!(
            "'{raw}' is not a server URL: use http://HOST:PORT or https://HOST (e.g. http://127.0.0.1:8787)"
        )));
    }
    Ok(url.to_string())
}

impl HttpClient {
    /// A client for the server at `base_url`, sending `token` when there is
    /// one. `timeout` bounds connecting; reading an answer may take six times
    /// as long (a big page on a slow link).
    pub fn new(base_url: &str, token: Option<String>, timeout: Duration) -> Result<HttpClient> {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_connect(Some(timeout))
            .timeout_recv_response(Some(timeout.saturating_mul(6)))
            .timeout_recv_body(Some(timeout.saturating_mul(6)))
            .timeout_send_body(Some(timeout.saturating_mul(6)))
            .user_agent(concat!("pump/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        Ok(HttpClient {
            agent,
            base: normalize_url(base_url)?,
            token,
        })
    }

    /// Creates an account and returns its first session.
    pub fn register(&self, credentials: &Credentials) -> Result<Session> {
        self.post("/v1/register", credentials)
    }

    /// Starts a session for an existing account.
    pub fn login(&self, credentials: &Credentials) -> Result<Session> {
        self.post("/v1/login", credentials)
    }

    /// Revokes this client's session token on the server.
    pub fn logout(&self) -> Result<()> {
        self.post::<_, serde_json::Value>("/v1/logout", &serde_json::json!({}))
            .map(|_| ())
    }

    /// Changes the account's password; returns how many other sessions ended.
    pub fn change_password(&self, change: &PasswordChange) -> Result<u64> {
        self.post::<_, Revoked>("/v1/password", change).map(|r| r.revoked)
    }

    /// The account's devices, most recently synced first.
    pub fn devices(&self) -> Result<DeviceList> {
        let (status, text) = self.exchange("/v1/devices", None::<&()>)?;
        Ok(decode(&self.base, status, &text)?)
    }

    /// Ends every session of the device `device_id`; returns how many.
    pub fn revoke_device(&self, device_id: &str) -> Result<u64> {
        let device = DeviceRef {
            device_id: device_id.to_string(),
        };
        self.post::<_, Revoked>("/v1/devices/revoke", &device)
            .map(|r| r.revoked)
    }

    fn post<B: Serialize, T: DeserializeOwned>(&self, path: &str, body: &B) -> Result<T> {
        let (status, text) = self.exchange(path, Some(body))?;
        Ok(decode(&self.base, status, &text)?)
    }

    /// Sends one request, a POST of `body` or a GET without one; the status
    /// and the whole answer, whatever the status.
    fn exchange<B: Serialize>(&self, path: &str, body: Option<&B>) -> Result<(u16, String), TransportError> {
        let url = format!("{}{path}", self.base);
        let authorization = self.token.as_ref().map(|token| format!("Bearer {token}"));
        let sent = match body {
            Some(body) => {
                let mut request = self.agent.post(&url);
                if let Some(value) = &authorization {
                    request = request.header("Authorization", value);
                }
                request.send_json(body)
            }
            None => {
                let mut request = self.agent.get(&url);
                if let Some(value) = &authorization {
                    request = request.header("Authorization", value);
                }
                request.call()
            }
        };
        let mut response = sent.map_err(|e| network_error(&self.base, e))?;
        let status = response.status().as_u16();
        let text = response
            .body_mut()
            .with_config()
            .limit(MAX_ANSWER_BYTES)
            .read_to_string()
            .map_err(|e| network_error(&self.base, e))?;
        Ok((status, text))
    }
}

impl Transport for HttpClient {
    fn sync(&mut self, request: &SyncRequest) -> Result<Reply> {
        let (status, text) = self.exchange("/v1/sync", Some(request))?;
        if status == 409
            && let Ok(body) = serde_json::from_str::<ErrorBody>(&text)
        {
            return Ok(Reply::Forked {
                already_stored: body.already_stored,
            });
        }
        let answer: SyncResponse = decode(&self.base, status, &text)?;
        if answer.protocol != PROTOCOL_VERSION {
            return Err(TransportError::ProtocolMismatch {
                server_protocol: answer.protocol,
            }
            .into());
        }
        Ok(Reply::Answer(answer))
    }

    fn follow_device(&mut self, device_id: &str) -> Result<Option<String>> {
        let device = DeviceRef {
            device_id: device_id.to_string(),
        };
        let (status, text) = self.exchange("/v1/session/fork", Some(&device))?;
        if status == 409 {
            return Ok(None);
        }
        let session: Session = decode(&self.base, status, &text)?;
        self.token = Some(session.token.clone());
        Ok(Some(session.token))
    }
}

/// A success from `server` as `T`, anything else as the failure it means.
fn decode<T: DeserializeOwned>(server: &str, status: u16, text: &str) -> Result<T, TransportError> {
    if (200..300).contains(&status) {
        let text = if text.trim().is_empty() { "null" } else { text };
        return serde_json::from_str(text).map_err(|source| TransportError::UnreadableAnswer {
            server: server.to_string(),
            source,
        });
    }
    let reason = serde_json::from_str::<ErrorBody>(text)
        .map(|b| b.error)
        .unwrap_or_else(|_| text.trim().chars().take(200).collect());
    let server = server.to_string();
    Err(match status {
        401 => TransportError::Unauthorized { server, reason },
        408 | 429 | 500..=599 => TransportError::ServerFailed { server, status, reason },
        _ => TransportError::Refused { status, reason },
    })
}

fn network_error(server: &str, e: ureq::Error) -> TransportError {
    match e {
        ureq::Error::BadUri(url) => TransportError::BadUrl { url },
        ureq::Error::BodyExceedsLimit(_) => TransportError::AnswerTooLarge,
        source => TransportError::Unreachable {
            server: server.to_string(),
            source,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SERVER: &str = "http://127.0.0.1:8787";

    fn failure(status: u16, text: &str) -> TransportError {
        decode::<serde_json::Value>(SERVER, status, text).unwrap_err()
    }

    #[test]
    fn each_refusal_maps_to_its_cause_and_exit_kind() {
        let body = r#"{"error": "token expired"}"#;
        let e = failure(401, body);
        assert!(matches!(&e, TransportError::Unauthorized { reason, .. } if reason == "token expired"));
        assert_eq!(e.kind(), ErrorKind::Unauthorized);
        for status in [408, 429, 500, 503] {
            let e = failure(status, body);
            assert!(matches!(e, TransportError::ServerFailed { status: s, .. } if s == status));
            assert_eq!(e.kind(), ErrorKind::Unavailable);
        }
        let e = failure(400, "not json at all");
        assert!(matches!(&e, TransportError::Refused { status: 400, reason } if reason == "not json at all"));
        assert_eq!(e.kind(), ErrorKind::Other);
    }

    #[test]
    fn a_success_pump_cannot_read_is_not_taken_for_an_answer() {
        let e = decode::<SyncResponse>(SERVER, 200, "<html>proxy login</html>").unwrap_err();
        assert!(matches!(e, TransportError::UnreadableAnswer { .. }));
        assert_eq!(e.kind(), ErrorKind::Other);
        assert_eq!(
            decode::<serde_json::Value>(SERVER, 204, "").unwrap(),
            serde_json::Value::Null
        );
    }

    #[test]
    fn the_message_says_what_to_type_next() {
        let e = Error::from(failure(401, r#"{"error": "bad token"}"#));
        assert_eq!(e.kind, ErrorKind::Unauthorized);
        assert_eq!(
            e.message,
            "the server rejected this device's login (bad token): run `pump login --server http://127.0.0.1:8787 \
             --user NAME`"
        );
    }
}
