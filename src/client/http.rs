//! The HTTP side of the client: one agent, JSON in and out, and every
//! failure mapped to what the person (or cron) should do about it.

use crate::error::{Error, ErrorKind, Result};
use crate::store::ServerTrust;
use crate::sync::wire::{
    Credentials, DeviceList, DeviceRef, ErrorBody, KeyChange, PROTOCOL_VERSION, PasswordChange, Revoked, Session,
    SyncRequest, SyncResponse, WireBody,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::io::Read;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use ureq::tls::{Certificate, PemItem, RootCerts, TlsConfig};

/// How the engine reaches a server. The HTTP client is the real one; tests
/// can put faults between the engine and the server. `Send`: the engine
/// sends the next round from a second thread while it applies the last.
pub trait Transport: Send {
    /// Sends one round (its bodies as they travel, sealed for an
    /// encrypted account) and returns the server's reply.
    fn sync(&mut self, request: &SyncRequest<WireBody>) -> Result<Reply>;
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
    /// The round was applied on the server: apply its answer here (once
    /// its rows are opened).
    Answer(SyncResponse<WireBody>),
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
    /// 401 to a login or a registration: the name or password was not accepted.
    #[error("the server at {server} refused the login: {reason}")]
    Unauthorized {
        /// The server's base URL.
        server: String,
        /// The server's explanation.
        reason: String,
    },
    /// 401 to a login or a registration, with the name it was for.
    #[error("the server at {server} refused the login as {user}: {reason}")]
    LoginRefused {
        /// The server's base URL.
        server: String,
        /// The user name typed.
        user: String,
        /// The server's explanation.
        reason: String,
    },
    /// What was typed for a login or a registration (a user name, a
    /// password) is not acceptable to the server: the person fixes it.
    #[error("the server at {server} refused it: {reason}")]
    InputRefused {
        /// The server's base URL.
        server: String,
        /// The server's explanation.
        reason: String,
    },
    /// 401 to a request made with this device's session: it expired
    /// (unused too long, or older than the server allows), or was revoked
    /// (a logout, a password change, `pump devices revoke`, a server that
    /// lost it).
    #[error("the server at {server} no longer accepts this device's session ({reason}): run `pump login`")]
    SessionEnded {
        /// The server's base URL.
        server: String,
        /// The server's explanation.
        reason: String,
    },
    /// Something answered at the address, but not as a pump server does: a
    /// web site, a proxy's error page, a wrong port.
    #[error(
        "{host} does not answer like a pump server: HTTP {status} on {path}; check the address (`pump login --server URL`)"
    )]
    NotAPumpServer {
        /// The host (and port) of the address.
        host: String,
        /// The HTTP status it answered with.
        status: u16,
        /// The path that was asked for.
        path: String,
    },
    /// A redirect, which pump does not follow: a session token or a password
    /// must never be sent somewhere the person did not name.
    #[error(
        "{host} answers with a redirect to {location} (HTTP {status}), which pump does not follow: if that is your server, run `pump login --server URL` with it"
    )]
    Redirected {
        /// The host (and port) of the address.
        host: String,
        /// The HTTP status (301, 302, 307, 308).
        status: u16,
        /// Where it points.
        location: String,
    },
    /// `https://` to a port that speaks plain HTTP (or something else).
    #[error(
        "{host} does not speak TLS on that port: use http://{host} if the server has no TLS (on loopback only, or with --allow-http), or check the port"
    )]
    NotTls {
        /// The host (and port) of the address.
        host: String,
    },
    /// The server's certificate does not check out.
    #[error(
        "the certificate of {host} is not trusted ({reason}): if the server uses a private CA, run `pump login --ca-file CA.pem` (or set SSL_CERT_FILE)"
    )]
    Untrusted {
        /// The host (and port) of the address.
        host: String,
        /// What TLS said about it.
        reason: String,
    },
    /// `http://` to another machine, which the person did not allow: the
    /// password, the session token and every workout would cross the network
    /// in clear.
    #[error(
        "{url} is not encrypted and is not this machine: use https://, or pass --allow-http to `pump login` if you trust every network in between"
    )]
    PlainHttp {
        /// The URL.
        url: String,
    },
    /// 412: the account's key is not the one this device works with
    /// (another device encrypted the account or changed its key, or the
    /// server keeps only encrypted accounts).
    #[error("the server at {server} refused it: {reason}")]
    KeyRefused {
        /// The server's base URL.
        server: String,
        /// The server's explanation, with what to type next.
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
            TransportError::BadUrl { .. } | TransportError::PlainHttp { .. } | TransportError::InputRefused { .. } => {
                ErrorKind::Usage
            }
            TransportError::Unreachable { .. } | TransportError::ServerFailed { .. } => ErrorKind::Unavailable,
            TransportError::Unauthorized { .. }
            | TransportError::LoginRefused { .. }
            | TransportError::SessionEnded { .. }
            | TransportError::KeyRefused { .. } => ErrorKind::Unauthorized,
            TransportError::AnswerTooLarge
            | TransportError::UnreadableAnswer { .. }
            | TransportError::Refused { .. }
            | TransportError::ProtocolMismatch { .. }
            | TransportError::NotAPumpServer { .. }
            | TransportError::Redirected { .. }
            | TransportError::NotTls { .. }
            | TransportError::Untrusted { .. } => ErrorKind::Other,
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

/// What pump reads in an answer, best first. ureq decodes gzip itself;
/// pump decodes zstd.
const ACCEPTED_ENCODINGS: &str = "zstd, gzip";

/// Request bodies from this size on are sent compressed; below it (a sync
/// with nothing to push) the server's decoder would cost more than the
/// bytes saved.
const COMPRESS_FROM_BYTES: usize = 1024;

/// zstd's own default level: a page of 2,000 workouts shrinks about tenfold
/// in a few milliseconds; higher levels save little more on JSON this
/// repetitive and cost several times the CPU.
const ZSTD_LEVEL: i32 = 3;

/// The real [`Transport`], and the account calls, over HTTP(S).
pub struct HttpClient {
    agent: ureq::Agent,
    base: String,
    token: Option<String>,
    /// Off once the server refused a compressed body: a server older than
    /// compression reads every body as plain JSON.
    compress_requests: AtomicBool,
}

/// The host and port of a normalised URL, for messages.
fn host_of(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    rest.split('/').next().unwrap_or(rest)
}

/// Whether `url` names this machine (a loopback address or `localhost`),
/// where plain HTTP never leaves it.
pub fn is_loopback(url: &str) -> bool {
    let host = host_of(url);
    let name = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => host.rsplit_once(':').map_or(host, |(name, _)| name),
    };
    name.eq_ignore_ascii_case("localhost") || name.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// Whether talking to `url` sends everything in clear over a network.
pub fn is_plain_http_off_this_machine(url: &str) -> bool {
    url.starts_with("http://") && !is_loopback(url)
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
        HttpClient::with_trust(base_url, token, timeout, &ServerTrust::default())
    }

    /// [`HttpClient::new`] with what the person allowed at login: plain
    /// HTTP to another machine, and a CA file to trust besides the system's
    /// store. Redirects are never followed.
    pub fn with_trust(
        base_url: &str,
        token: Option<String>,
        timeout: Duration,
        trust: &ServerTrust,
    ) -> Result<HttpClient> {
        let base = normalize_url(base_url)?;
        if is_plain_http_off_this_machine(&base) && !trust.allow_plain_http {
            return Err(TransportError::PlainHttp { url: base }.into());
        }
        let mut config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_connect(Some(timeout))
            .timeout_recv_response(Some(timeout.saturating_mul(6)))
            .timeout_recv_body(Some(timeout.saturating_mul(6)))
            .timeout_send_body(Some(timeout.saturating_mul(6)))
            .accept_encoding(ACCEPTED_ENCODINGS)
            .user_agent(concat!("pump/", env!("CARGO_PKG_VERSION")));
        if base.starts_with("https://") {
            let roots = root_certificates(trust.ca_file.as_deref())?;
            config = config.tls_config(TlsConfig::builder().root_certs(roots).build());
        }
        Ok(HttpClient {
            agent: config.build().into(),
            base,
            token,
            compress_requests: AtomicBool::new(true),
        })
    }

    /// Creates an account and returns its first session.
    pub fn register(&self, credentials: &Credentials) -> Result<Session> {
        self.sign_in("/v1/register", credentials)
    }

    /// Starts a session for an existing account.
    pub fn login(&self, credentials: &Credentials) -> Result<Session> {
        self.sign_in("/v1/login", credentials)
    }

    /// A login or a registration: a refusal names the user, and a refusal
    /// of what was typed (a user name, a short password) is the person's to
    /// fix, with the server's reason.
    fn sign_in(&self, path: &str, credentials: &Credentials) -> Result<Session> {
        let answer = self.exchange(path, Some(credentials))?;
        Ok(self.decode(&answer).map_err(|e| match e {
            TransportError::Unauthorized { server, reason } => TransportError::LoginRefused {
                server,
                user: credentials.user.clone(),
                reason,
            },
            TransportError::Refused { status, reason } if (400..500).contains(&status) => {
                TransportError::InputRefused {
                    server: self.base.clone(),
                    reason,
                }
            }
            other => other,
        })?)
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
        let answer = self.exchange("/v1/devices", None::<&()>)?;
        Ok(self.decode(&answer)?)
    }

    /// Ends every session of the device `device_id`; returns how many.
    pub fn revoke_device(&self, device_id: &str) -> Result<u64> {
        let device = DeviceRef {
            device_id: device_id.to_string(),
        };
        self.post::<_, Revoked>("/v1/devices/revoke", &device)
            .map(|r| r.revoked)
    }

    /// Moves the account to another key check (see [`KeyChange`]). `false`
    /// when rows arrived that this device has not pulled: it pulls, then
    /// asks again.
    pub fn change_key(&self, change: &KeyChange) -> Result<bool> {
        let answer = self.exchange("/v1/key", Some(change))?;
        if answer.status == 409 {
            return Ok(false);
        }
        self.decode::<serde_json::Value>(&answer)?;
        Ok(true)
    }

    fn post<B: Serialize, T: DeserializeOwned>(&self, path: &str, body: &B) -> Result<T> {
        let answer = self.exchange(path, Some(body))?;
        Ok(self.decode(&answer)?)
    }

    /// Sends one request, a POST of `body` or a GET without one; the whole
    /// answer, whatever its status. A body of some size goes compressed,
    /// unless the server showed it cannot read that: then it goes again as
    /// plain JSON (no request the server refused changed anything), and
    /// every later one too.
    fn exchange<B: Serialize>(&self, path: &str, body: Option<&B>) -> Result<Answer, TransportError> {
        let json = body
            .map(serde_json::to_vec)
            .transpose()
            .map_err(|e| network_error(&self.base, ureq::Error::Json(e)))?;
        let compress = json
            .as_ref()
            .is_some_and(|json| json.len() >= COMPRESS_FROM_BYTES && self.compress_requests.load(Ordering::Relaxed));
        let answer = self.send(path, json.as_deref(), compress)?;
        if compress && answer.refused_compression() {
            self.compress_requests.store(false, Ordering::Relaxed);
            return self.send(path, json.as_deref(), false);
        }
        Ok(answer)
    }

    /// One request as it goes on the wire, and its answer read whole.
    fn send(&self, path: &str, json: Option<&[u8]>, compress: bool) -> Result<Answer, TransportError> {
        let url = format!("{}{path}", self.base);
        let authorization = self.token.as_ref().map(|token| format!("Bearer {token}"));
        let sent = match json {
            Some(json) => {
                let mut request = self.agent.post(&url).header("Content-Type", "application/json");
                if let Some(value) = &authorization {
                    request = request.header("Authorization", value);
                }
                if compress {
                    zstd::bulk::compress(json, ZSTD_LEVEL)
                        .map_err(ureq::Error::Io)
                        .and_then(|packed| request.header("Content-Encoding", "zstd").send(&packed[..]))
                } else {
                    request.send(json)
                }
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
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let location = header("location");
        let accepted_encodings = header("accept-encoding");
        let zstd = header("content-encoding").is_some_and(|coding| coding.trim().eq_ignore_ascii_case("zstd"));
        let text = read_body(response.body_mut(), zstd).map_err(|e| network_error(&self.base, e))?;
        Ok(Answer {
            path: path.to_string(),
            status,
            location,
            accepted_encodings,
            text,
        })
    }

    /// A success as `T`, anything else as the failure it means.
    fn decode<T: DeserializeOwned>(&self, answer: &Answer) -> Result<T, TransportError> {
        let host = host_of(&self.base).to_string();
        let pump_error = serde_json::from_str::<ErrorBody>(&answer.text).ok();
        match (answer.status, pump_error) {
            (200..=299, _) => {
                let text = if answer.text.trim().is_empty() {
                    "null"
                } else {
                    &answer.text
                };
                serde_json::from_str(text).map_err(|_| TransportError::NotAPumpServer {
                    host,
                    status: answer.status,
                    path: answer.path.clone(),
                })
            }
            (status @ 300..=399, _) => Err(TransportError::Redirected {
                host,
                status,
                location: answer.location.clone().unwrap_or_else(|| "nowhere".into()),
            }),
            (401, Some(body)) if self.token.is_some() => Err(TransportError::SessionEnded {
                server: self.base.clone(),
                reason: body.error,
            }),
            (401, Some(body)) => Err(TransportError::Unauthorized {
                server: self.base.clone(),
                reason: body.error,
            }),
            (412, Some(body)) => Err(TransportError::KeyRefused {
                server: self.base.clone(),
                reason: body.error,
            }),
            // A proxy in front of a pump server that is down says so in its
            // own words: not worth showing, but worth trying again later.
            (status @ (408 | 429 | 500..=599), body) => Err(TransportError::ServerFailed {
                server: self.base.clone(),
                status,
                reason: body.map_or_else(|| format!("HTTP {status}"), |b| b.error),
            }),
            (status, Some(body)) => Err(TransportError::Refused {
                status,
                reason: body.error,
            }),
            (status, None) => Err(TransportError::NotAPumpServer {
                host,
                status,
                path: answer.path.clone(),
            }),
        }
    }
}

/// One answer, whatever its status.
struct Answer {
    path: String,
    status: u16,
    location: Option<String>,
    /// The request encodings the server says it reads (RFC 7694).
    accepted_encodings: Option<String>,
    text: String,
}

impl Answer {
    /// Whether a compressed request was refused for being compressed: a
    /// server older than compression parses the bytes as JSON (400), one
    /// that cannot read the encoding says 415; a pump server that reads zstd
    /// names it in `Accept-Encoding` on every refusal, so a 400 of its own
    /// is not mistaken for this.
    fn refused_compression(&self) -> bool {
        let reads_zstd = self
            .accepted_encodings
            .as_deref()
            .is_some_and(|codings| codings.split(',').any(|c| c.trim().eq_ignore_ascii_case("zstd")));
        matches!(self.status, 400 | 415) && !reads_zstd
    }
}

/// An answer's body as text, at most [`MAX_ANSWER_BYTES`] once decoded
/// (ureq has decoded gzip already; `zstd` says the body is zstd).
fn read_body(body: &mut ureq::Body, zstd: bool) -> Result<String, ureq::Error> {
    let limited = body.with_config().limit(MAX_ANSWER_BYTES);
    if !zstd {
        return limited.read_to_string();
    }
    let mut text = String::new();
    zstd::stream::read::Decoder::new(limited.reader())?
        .take(MAX_ANSWER_BYTES + 1)
        .read_to_string(&mut text)?;
    if text.len() as u64 > MAX_ANSWER_BYTES {
        return Err(ureq::Error::BodyExceedsLimit(MAX_ANSWER_BYTES));
    }
    Ok(text)
}

/// The certificates a server's may chain up to: the system's store (which
/// honours SSL_CERT_FILE and SSL_CERT_DIR) and the CA file the person named
/// at login. With neither, the CAs browsers trust, built in.
fn root_certificates(ca_file: Option<&Path>) -> Result<RootCerts> {
    let mut roots: Vec<Certificate<'static>> = rustls_native_certs::load_native_certs()
        .certs
        .iter()
        .map(|der| Certificate::from_der(der.as_ref()).to_owned())
        .collect();
    if let Some(path) = ca_file {
        roots.extend(ca_certificates(path)?);
    }
    Ok(if roots.is_empty() {
        RootCerts::WebPki
    } else {
        RootCerts::new_with_certs(&roots)
    })
}

/// The certificates in a PEM file.
pub fn ca_certificates(path: &Path) -> Result<Vec<Certificate<'static>>> {
    let unreadable = |why: String| {
        Error::usage(format!(
            "cannot use {} as a CA file ({why}): give a PEM file with the CA's certificate",
            path.display()
        ))
    };
    let pem = std::fs::read(path).map_err(|e| unreadable(e.to_string()))?;
    let mut certificates = Vec::new();
    for item in ureq::tls::parse_pem(&pem) {
        if let PemItem::Certificate(certificate) = item.map_err(|e| unreadable(e.to_string()))? {
            certificates.push(certificate);
        }
    }
    if certificates.is_empty() {
        return Err(unreadable("it holds no certificate".into()));
    }
    Ok(certificates)
}

impl Transport for HttpClient {
    fn sync(&mut self, request: &SyncRequest<WireBody>) -> Result<Reply> {
        let reply = self.exchange("/v1/sync", Some(request))?;
        if reply.status == 409
            && let Ok(body) = serde_json::from_str::<ErrorBody>(&reply.text)
        {
            return Ok(Reply::Forked {
                already_stored: body.already_stored,
            });
        }
        let answer: SyncResponse<WireBody> = self.decode(&reply)?;
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
        let answer = self.exchange("/v1/session/fork", Some(&device))?;
        if answer.status == 409 {
            return Ok(None);
        }
        let session: Session = self.decode(&answer)?;
        self.token = Some(session.token.clone());
        Ok(Some(session.token))
    }
}

fn network_error(server: &str, e: ureq::Error) -> TransportError {
    let host = host_of(server).to_string();
    // The TLS layer's own error, whether ureq hands it over as is or inside
    // the I/O error of the stream it failed on.
    let tls = match &e {
        ureq::Error::Rustls(tls) => Some(tls.clone()),
        ureq::Error::Io(io) => io
            .get_ref()
            .and_then(|inner| inner.downcast_ref::<rustls::Error>())
            .cloned(),
        _ => None,
    };
    match (tls, e) {
        (_, ureq::Error::BadUri(url)) => TransportError::BadUrl { url },
        (_, ureq::Error::BodyExceedsLimit(_)) => TransportError::AnswerTooLarge,
        (Some(rustls::Error::InvalidCertificate(reason)), _) => TransportError::Untrusted {
            host,
            reason: format!("{reason:?}"),
        },
        // What a plain-HTTP server answers to a TLS hello is not TLS.
        (Some(rustls::Error::InvalidMessage(_)), _) => TransportError::NotTls { host },
        (_, source) => TransportError::Unreachable {
            server: server.to_string(),
            source,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SERVER: &str = "http://127.0.0.1:8787";

    fn client(token: Option<&str>) -> HttpClient {
        HttpClient::new(SERVER, token.map(Into::into), Duration::from_secs(1)).unwrap()
    }

    fn answer(path: &str, status: u16, text: &str) -> Answer {
        Answer {
            path: path.into(),
            status,
            location: Some("https://elsewhere.example/v1/sync".into()),
            accepted_encodings: None,
            text: text.into(),
        }
    }

    fn failure(status: u16, text: &str) -> TransportError {
        client(Some("token"))
            .decode::<serde_json::Value>(&answer("/v1/sync", status, text))
            .unwrap_err()
    }

    #[test]
    fn each_refusal_maps_to_its_cause_and_exit_kind() {
        let body = r#"{"error": "token expired"}"#;
        let e = failure(401, body);
        assert!(matches!(&e, TransportError::SessionEnded { .. }));
        assert_eq!(e.kind(), ErrorKind::Unauthorized);
        let e = client(None)
            .decode::<serde_json::Value>(&answer("/v1/login", 401, r#"{"error": "wrong password"}"#))
            .unwrap_err();
        assert!(matches!(&e, TransportError::Unauthorized { reason, .. } if reason == "wrong password"));
        for status in [408, 429, 500, 503] {
            let e = failure(status, body);
            assert!(matches!(e, TransportError::ServerFailed { status: s, .. } if s == status));
            assert_eq!(e.kind(), ErrorKind::Unavailable);
        }
        let e = failure(400, r#"{"error": "the clock is empty"}"#);
        assert!(matches!(&e, TransportError::Refused { status: 400, reason } if reason == "the clock is empty"));
        assert_eq!(e.kind(), ErrorKind::Other);
    }

    #[test]
    fn something_that_is_not_a_pump_server_gets_one_line_and_no_page_dump() {
        let page = "<html><body><h1>Welcome to nginx!</h1></body></html>";
        for (status, kind) in [(404, ErrorKind::Other), (200, ErrorKind::Other)] {
            let e = client(None)
                .decode::<Session>(&answer("/v1/login", status, page))
                .unwrap_err();
            assert_eq!(
                e.to_string(),
                format!(
                    "127.0.0.1:8787 does not answer like a pump server: HTTP {status} on /v1/login; check the address \
                     (`pump login --server URL`)"
                )
            );
            assert_eq!(e.kind(), kind);
        }
        let e = failure(502, page);
        assert!(matches!(&e, TransportError::ServerFailed { reason, .. } if reason == "HTTP 502"));
        let e = failure(301, "");
        assert!(
            e.to_string()
                .contains("redirect to https://elsewhere.example/v1/sync (HTTP 301)"),
            "{e}"
        );
        assert_eq!(
            client(None)
                .decode::<serde_json::Value>(&answer("/v1/logout", 204, ""))
                .unwrap(),
            serde_json::Value::Null
        );
    }

    #[test]
    fn the_message_says_what_to_type_next() {
        let e = Error::from(failure(401, r#"{"error": "the session has expired or was revoked"}"#));
        assert_eq!(e.kind, ErrorKind::Unauthorized);
        assert_eq!(
            e.message,
            "the server at http://127.0.0.1:8787 no longer accepts this device's session (the session has expired or \
             was revoked): run `pump login`"
        );
    }

    #[test]
    fn plain_http_is_for_this_machine_unless_allowed() {
        for url in [
            "http://127.0.0.1:8787",
            "http://localhost",
            "http://[::1]:80",
            "http://127.3.2.1",
            "https://x.org",
        ] {
            assert!(!is_plain_http_off_this_machine(url), "{url}");
        }
        for url in [
            "http://192.168.1.20:8787",
            "http://pump.example.org",
            "http://[2001:db8::1]:8787",
        ] {
            assert!(is_plain_http_off_this_machine(url), "{url}");
        }
        let refused = HttpClient::new("http://pump.example.org", None, Duration::from_secs(1))
            .err()
            .unwrap();
        assert_eq!(refused.kind, ErrorKind::Usage);
        assert!(refused.message.contains("--allow-http"), "{}", refused.message);
        let allowed = ServerTrust {
            allow_plain_http: true,
            ca_file: None,
        };
        assert!(HttpClient::with_trust("http://pump.example.org", None, Duration::from_secs(1), &allowed).is_ok());
    }
}
