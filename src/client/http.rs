//! The HTTP side of the client: one agent, JSON in and out, and every
//! failure mapped to what the person (or cron) should do about it.

use crate::error::{Error, ErrorKind, Result};
use crate::sync::wire::{Credentials, ErrorBody, PROTOCOL_VERSION, Session, SyncRequest, SyncResponse};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::time::Duration;

/// How the engine reaches a server. The HTTP client is the real one; tests
/// can put faults between the engine and the server.
pub trait Transport {
    fn sync(&mut self, request: &SyncRequest) -> Result<Reply>;
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
    Forked { already_stored: Vec<usize> },
}

/// Answers are paged, but a page of big workouts can still be large.
const MAX_ANSWER_BYTES: u64 = 256 * 1024 * 1024;

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

    pub fn register(&self, credentials: &Credentials) -> Result<Session> {
        self.post("/v1/register", credentials)
    }

    pub fn login(&self, credentials: &Credentials) -> Result<Session> {
        self.post("/v1/login", credentials)
    }

    pub fn logout(&self) -> Result<()> {
        self.post::<_, serde_json::Value>("/v1/logout", &serde_json::json!({}))
            .map(|_| ())
    }

    fn post<B: Serialize, T: DeserializeOwned>(&self, path: &str, body: &B) -> Result<T> {
        let (status, text) = self.exchange(path, body)?;
        self.decode(status, &text)
    }

    /// Sends one request; the status and the whole answer, whatever the status.
    fn exchange<B: Serialize>(&self, path: &str, body: &B) -> Result<(u16, String)> {
        let url = format!("{}{path}", self.base);
        let mut request = self.agent.post(&url);
        if let Some(token) = &self.token {
            request = request.header("Authorization", &format!("Bearer {token}"));
        }
        let mut response = request.send_json(body).map_err(|e| network_error(&self.base, e))?;
        let status = response.status().as_u16();
        let text = response
            .body_mut()
            .with_config()
            .limit(MAX_ANSWER_BYTES)
            .read_to_string()
            .map_err(|e| network_error(&self.base, e))?;
        Ok((status, text))
    }

    /// A success as `T`, anything else as the error it means for the person.
    fn decode<T: DeserializeOwned>(&self, status: u16, text: &str) -> Result<T> {
        if (200..300).contains(&status) {
            let text = if text.trim().is_empty() { "null" } else { text };
            return serde_json::from_str(text).map_err(|e| {
                Error::other(format!(
                    "the server at {} sent an answer pump cannot read ({e}): is it a pump server?",
                    self.base
                ))
            });
        }
        let reason = serde_json::from_str::<ErrorBody>(text)
            .map(|b| b.error)
            .unwrap_or_else(|_| text.trim().chars().take(200).collect());
        Err(match status {
            401 => Error::new(
                ErrorKind::Unauthorized,
                format!(
                    "the server rejected this device's login ({reason}): run `pump login --server {} --user NAME`",
                    self.base
                ),
            ),
            408 | 429 | 500..=599 => Error::new(
                ErrorKind::Unavailable,
                format!(
                    "the server at {} failed ({status}: {reason}); nothing was lost, try again later",
                    self.base
                ),
            ),
            _ => Error::other(format!("the server refused the request ({status}: {reason})")),
        })
    }
}

impl Transport for HttpClient {
    fn sync(&mut self, request: &SyncRequest) -> Result<Reply> {
        let (status, text) = self.exchange("/v1/sync", request)?;
        if status == 409
            && let Ok(body) = serde_json::from_str::<ErrorBody>(&text)
        {
            return Ok(Reply::Forked {
                already_stored: body.already_stored,
            });
        }
        let answer: SyncResponse = self.decode(status, &text)?;
        if answer.protocol != PROTOCOL_VERSION {
            return Err(Error::other(format!(
                "the server speaks sync protocol {} and this pump speaks {PROTOCOL_VERSION}: upgrade the older one",
                answer.protocol
            )));
        }
        Ok(Reply::Answer(answer))
    }
}

fn network_error(base: &str, e: ureq::Error) -> Error {
    match e {
        ureq::Error::BadUri(uri) => Error::usage(format!("'{uri}' is not a valid server URL")),
        ureq::Error::BodyExceedsLimit(_) => {
            Error::other("the server's answer is too large: try again, or upgrade pump")
        }
        other => Error::new(
            ErrorKind::Unavailable,
            format!("cannot reach the server at {base} ({other}); nothing was lost, try again later"),
        ),
    }
}
