//! How pump talks to a server, through the real binary: what it refuses
//! (plain HTTP off this machine, redirects), whom it trusts (the system's
//! store, a CA file, SSL_CERT_FILE), and the one line it prints when the
//! address is not a pump server or not TLS.

mod common;

use common::{Device, RawClient, Server};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

/// Logs a device in; returns (exit code, stderr).
fn login(device: &Device, server: &str, extra: &[&str]) -> (i32, String) {
    let out = device
        .cmd()
        .args(["login", "--server", server, "--user", "sam", "--password-stdin"])
        .args(extra)
        .write_stdin("correct horse battery\n")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn one_line(err: &str) -> &str {
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 1, "one line, not a page: {err}");
    lines[0]
}

/// A server on loopback that answers every request with `response`, and
/// keeps the request lines it saw.
fn canned(response: &'static str) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream);
            let mut first = String::new();
            if reader.read_line(&mut first).is_err() {
                continue;
            }
            log.lock().unwrap().push(first.trim().to_string());
            let mut length = 0;
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = value.trim().parse().unwrap_or(0);
                }
                line.clear();
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            let _ = reader.get_mut().write_all(response.as_bytes());
        }
    });
    (url, seen)
}

#[test]
fn an_address_that_is_not_a_pump_server_gets_one_line_and_exit_1() {
    let page = "<html><body><h1>404</h1><p>nginx/1.24.0</p></body></html>";
    let response = format!(
        "HTTP/1.1 404 Not Found\r\ncontent-type: text/html\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{page}",
        page.len()
    );
    let (url, _) = canned(Box::leak(response.into_boxed_str()));
    let d = Device::new();
    let (code, err) = login(&d, &url, &[]);
    assert_eq!(code, 1, "{err}");
    let host = url.trim_start_matches("http://");
    assert!(
        one_line(&err).contains(&format!(
            "{host} does not answer like a pump server: HTTP 404 on /v1/login"
        )),
        "{err}"
    );
    assert!(!err.contains("nginx") && !err.contains("try again later"), "{err}");
}

#[test]
fn redirects_are_not_followed() {
    let (elsewhere, requests_there) = canned("HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}");
    let redirect: &'static str = Box::leak(
        format!("HTTP/1.1 307 Temporary Redirect\r\nlocation: {elsewhere}/v1/login\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
            .into_boxed_str(),
    );
    let (url, _) = canned(redirect);
    let d = Device::new();
    let (code, err) = login(&d, &url, &[]);
    assert_eq!(code, 1, "{err}");
    assert!(
        one_line(&err).contains(&format!(
            "redirect to {elsewhere}/v1/login (HTTP 307), which pump does not follow"
        )),
        "{err}"
    );
    assert!(
        requests_there.lock().unwrap().is_empty(),
        "the password went nowhere else"
    );
}

#[test]
fn https_to_a_plain_http_port_gets_a_sentence() {
    let server = Server::start();
    let d = Device::new();
    let https = server.url.replace("http://", "https://");
    let (code, err) = login(&d, &https, &[]);
    assert_eq!(code, 1, "{err}");
    let host = server.url.trim_start_matches("http://");
    assert!(
        one_line(&err).contains(&format!("{host} does not speak TLS on that port")),
        "{err}"
    );
}

#[test]
fn plain_http_is_for_this_machine_unless_allowed_and_the_choice_is_remembered() {
    let d = Device::new();
    // Refused before anything is sent: no connection is ever made.
    let (code, err) = login(&d, "http://192.0.2.10:8787", &[]);
    assert_eq!(code, 2, "{err}");
    assert!(
        one_line(&err).contains("is not encrypted and is not this machine"),
        "{err}"
    );
    assert!(err.contains("--allow-http"), "{err}");
    assert!(
        !d.db.exists() || d.json(&["status"])["server"].is_null(),
        "nothing was saved"
    );

    let server = Server::start();
    let (code, err) = login(&d, &server.url, &["--allow-http"]);
    assert_eq!(code, 77, "no account yet, but the connection was allowed: {err}");
    d.join(&server, "sam");
    let (code, err) = login(&d, &server.url, &["--allow-http"]);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("warning"), "loopback never leaves this machine: {err}");
    let remembered: String = rusqlite::Connection::open(&d.db)
        .unwrap()
        .query_row("SELECT value FROM meta WHERE key = 'server_allow_http'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(remembered, "1");
    d.sync_ok();
}

/// A TLS front for a pump server, its certificate issued by a private CA.
struct TlsFront {
    url: String,
    ca_pem: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

fn tls_front(upstream: &str) -> TlsFront {
    let ca_key = rcgen::KeyPair::generate().unwrap();
    let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "pump test private CA");
    let ca = rcgen::CertifiedIssuer::self_signed(ca_params, ca_key).unwrap();
    let leaf_key = rcgen::KeyPair::generate().unwrap();
    let leaf = rcgen::CertificateParams::new(vec!["127.0.0.1".to_string()])
        .unwrap()
        .signed_by(&leaf_key, &ca)
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let ca_pem = dir.path().join("ca.pem");
    std::fs::write(&ca_pem, ca.pem()).unwrap();

    let chain = vec![leaf.der().clone()];
    let key = rustls::pki_types::PrivateKeyDer::try_from(leaf_key.serialize_der()).unwrap();
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .unwrap();
    let config = Arc::new(config);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("https://{}", listener.local_addr().unwrap());
    let upstream = upstream.trim_start_matches("http://").to_string();
    std::thread::spawn(move || {
        for client in listener.incoming().flatten() {
            let (config, upstream) = (config.clone(), upstream.clone());
            std::thread::spawn(move || relay_one_request(config, client, &upstream));
        }
    });
    TlsFront { url, ca_pem, _dir: dir }
}

/// Decrypts one request, passes it to the pump server on a connection of
/// its own, and encrypts the answer back; then closes.
fn relay_one_request(config: Arc<rustls::ServerConfig>, client: TcpStream, upstream: &str) {
    let Ok(connection) = rustls::ServerConnection::new(config) else {
        return;
    };
    let mut tls = rustls::StreamOwned::new(connection, client);
    let mut request = Vec::new();
    let mut buffer = [0u8; 8192];
    loop {
        let Ok(n) = tls.read(&mut buffer) else { return };
        if n == 0 {
            return;
        }
        request.extend_from_slice(&buffer[..n]);
        let text = String::from_utf8_lossy(&request);
        if let Some(end) = text.find("\r\n\r\n") {
            let length = text[..end]
                .lines()
                .find_map(|l| {
                    l.to_ascii_lowercase()
                        .strip_prefix("content-length:")
                        .map(|v| v.trim().to_string())
                })
                .and_then(|v| v.parse::<usize>().ok())
                .unwrap_or(0);
            if request.len() >= end + 4 + length {
                break;
            }
        }
    }
    let text = String::from_utf8_lossy(&request).replacen("\r\n", "\r\nconnection: close\r\n", 1);
    let Ok(mut server) = TcpStream::connect(upstream) else {
        return;
    };
    let mut answer = Vec::new();
    if server.write_all(text.as_bytes()).is_ok() && server.read_to_end(&mut answer).is_ok() {
        let _ = tls.write_all(&answer);
        tls.conn.send_close_notify();
        let _ = tls.flush();
    }
}

#[test]
fn a_private_ca_is_trusted_through_a_ca_file_or_ssl_cert_file() {
    let server = Server::start();
    let setup = Device::new();
    setup.join(&server, "sam");
    setup.log(&["Behind TLS", "-e", "squat: 5@100kg"]);
    setup.sync_ok();
    let front = tls_front(&server.url);
    let key_file = setup.dir.path().join("key.txt");
    std::fs::write(&key_file, setup.account_key()).unwrap();
    let key_file = key_file.to_str().unwrap();

    let d = Device::new();
    let (code, err) = login(&d, &front.url, &["--key-file", key_file]);
    assert_eq!(code, 1, "{err}");
    assert!(one_line(&err).contains("is not trusted"), "{err}");
    assert!(err.contains("--ca-file"), "{err}");

    let (code, err) = login(
        &d,
        &front.url,
        &["--ca-file", front.ca_pem.to_str().unwrap(), "--key-file", key_file],
    );
    assert_eq!(code, 0, "{err}");
    let out = d.sync_ok();
    assert!(out.contains("received 1"), "the CA file is remembered for sync: {out}");

    let by_env = Device::new();
    let out = by_env
        .cmd()
        .env("SSL_CERT_FILE", &front.ca_pem)
        .args([
            "login",
            "--server",
            &front.url,
            "--user",
            "sam",
            "--password-stdin",
            "--key-file",
            key_file,
        ])
        .write_stdin("correct horse battery\n")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let (code, err) = login(&Device::new(), &front.url, &["--ca-file", "/nonexistent/ca.pem"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        one_line(&err).contains("cannot use /nonexistent/ca.pem as a CA file"),
        "{err}"
    );
}

#[test]
fn an_ended_session_exits_77_with_one_sentence_ending_in_pump_login() {
    let server = Server::start();
    let d = Device::new();
    d.join(&server, "sam");
    let token = d.session_token();
    // Revoked from elsewhere (a logout on the server, a password change).
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let revoked = agent
        .post(format!("{}/v1/logout", server.url))
        .header("Authorization", &format!("Bearer {token}"))
        .send("")
        .unwrap();
    assert_eq!(revoked.status().as_u16(), 204);
    let id = d.log(&["Logged while signed out", "-e", "squat: 5@100kg"]);
    let (code, _, err) = d.sync();
    assert_eq!(code, 77, "{err}");
    assert!(
        one_line(&err).ends_with(&format!("run `pump login --server {} --user sam`", server.url)),
        "{err}"
    );
    // Logged in again, the device sends what waited.
    d.join(&server, "sam");
    assert!(d.sync_ok().contains("sent 1"));
    let other = Device::new();
    other.join(&server, "sam");
    other.sync_ok();
    assert_eq!(other.workout(&id)["name"], "Logged while signed out");
}

#[test]
fn text_from_other_devices_and_servers_is_printed_with_escape_sequences_neutralised() {
    let server = Server::start();
    let d = Device::new();
    d.join(&server, "sam");
    // A hostile device names a workout and an exercise with escape sequences.
    let id = "0194f000-0000-7000-8000-0000000e5c00";
    let row = serde_json::json!({
        "kind": "workout", "id": id, "clock": {"hostile": 1}, "deleted": false,
        "body": {"id": id, "name": "Legs \u{202e}yvaeh", "started_at": "2026-01-10T08:00:00Z",
                 "notes": "line one\nline two\u{1b}[31m",
                 "exercises": [{"id": "e", "name": "squat\r\u{1b}]0;owned\u{7}", "sets": [{"id": "s", "reps": 5, "weight_kg": 100.0}]},
                               {"id": "f", "name": "Deadlift", "sets": [{"id": "t", "reps": 3, "weight_kg": 140.0}]}]}
    });
    let (status, answer) = RawClient::log_in(&server, "sam", "hostile").round(0, vec![row]);
    assert_eq!(status, 200, "{answer}");
    d.sync_ok();
    for args in [
        &["list"][..],
        &["show", id],
        &["pr"],
        &["exercises"],
        &["exercises", "--unmatched"],
        &["history", "deadlift"],
        &["stats"],
    ] {
        let out = d.cmd().args(args).output().unwrap();
        assert!(out.status.success(), "{args:?}");
        let printed = [out.stdout, out.stderr].concat();
        let text = String::from_utf8_lossy(&printed);
        assert!(
            !text.contains(['\u{1b}', '\r', '\u{7}', '\u{202e}']),
            "{args:?} printed an escape: {text:?}"
        );
    }
    let shown = d.ok(&["show", id]);
    assert!(shown.contains("Legs \\u{202e}yvaeh"), "{shown}");
    assert!(shown.contains("squat\\u{d}\\u{1b}]0;owned\\u{7}"), "{shown}");
    assert!(
        shown.contains("line one\nline two\\u{1b}[31m"),
        "a note keeps its line breaks: {shown}"
    );

    // A server's error message, likewise.
    let (url, _) = canned(
        "HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: 39\r\nconnection: close\r\n\r\n\
         {\"error\": \"bad \\u001b[2Jrequest\\r\\n!!\"}",
    );
    let (code, err) = login(&Device::new(), &url, &[]);
    assert_eq!(code, 2, "a login refused for what was typed: {err}");
    assert!(!err.contains('\u{1b}') && !err.contains('\r'), "{err:?}");
    assert!(one_line(&err).contains("bad \\u{1b}[2Jrequest\\u{d}\\u{a}!!"), "{err}");
}
