//! `pump register`, `pump login`, `pump logout`. The server URL and session
//! token live in this device's database (a device is its database file).

use super::Context;
use crate::client::http::{HttpClient, ca_certificates, is_plain_http_off_this_machine, normalize_url};
use crate::error::{Error, Result};
use crate::store::{ServerSession, ServerTrust, Store};
use crate::sync::wire::{Credentials, Session};
use crate::text::printable;
use clap::Args;
use std::io::{BufRead, IsTerminal};
use std::time::Duration;

/// `pump register` and `pump login`.
#[derive(Debug, Args)]
#[command(after_help = TRANSPORT_HELP, after_long_help = format!("{TRANSPORT_HELP}\n\n{ACCOUNT_EXAMPLES}"))]
pub struct AccountArgs {
    /// The sync server, e.g. https://pump.example.org or http://127.0.0.1:8787
    #[arg(long, value_name = "URL")]
    server: String,
    /// The account name
    #[arg(long, value_name = "NAME")]
    user: String,
    /// Read the password from standard input instead of prompting
    #[arg(long)]
    password_stdin: bool,
    /// Allow plain http:// to a server that is not this machine: the
    /// password, the session and every workout cross the network in clear
    /// (remembered for this server), e.g. --server http://192.168.1.20:8787 --allow-http
    #[arg(long)]
    allow_http: bool,
    /// Also trust the CAs in this PEM file for the server's certificate
    /// (a private CA; remembered for this server), e.g. --ca-file ~/pump-ca.pem
    #[arg(long, value_name = "PEM")]
    ca_file: Option<std::path::PathBuf>,
}

/// Under the help of `pump register` and `pump login`.
const ACCOUNT_EXAMPLES: &str = "\
Examples:
  pump register --server https://pump.example.org --user sam
  pump login --server https://pump.example.org --user sam
  pump login --server http://127.0.0.1:8787 --user sam --password-stdin < password.txt";

const TRANSPORT_HELP: &str = "\
Connections: https:// checks the server's certificate against the system's store (SSL_CERT_FILE
and SSL_CERT_DIR are honoured) and --ca-file; http:// is only for this machine unless
--allow-http; redirects are never followed.";

/// Creates an account on the server and keeps its session on this device.
pub fn register(ctx: &Context, args: AccountArgs) -> Result<()> {
    sign_in(ctx, args, HttpClient::register, "Registered")
}

/// Logs in to the server and keeps the session on this device.
pub fn login(ctx: &Context, args: AccountArgs) -> Result<()> {
    sign_in(ctx, args, HttpClient::login, "Logged in")
}

fn sign_in(
    ctx: &Context,
    args: AccountArgs,
    call: fn(&HttpClient, &Credentials) -> Result<Session>,
    done: &str,
) -> Result<()> {
    let server = normalize_url(&args.server)?;
    let user = args.user.trim().to_string();
    if user.is_empty() {
        return Err(Error::usage("the user name is empty: pass --user NAME"));
    }
    let ca_file = args
        .ca_file
        .map(|path| std::path::absolute(&path).unwrap_or(path))
        .map(|path| ca_certificates(&path).map(|_| path))
        .transpose()?;
    let trust = ServerTrust {
        allow_plain_http: args.allow_http,
        ca_file,
    };
    let client = HttpClient::with_trust(&server, None, Duration::from_secs(ctx.config.timeout), &trust)?;
    if args.allow_http && is_plain_http_off_this_machine(&server) {
        eprintln!(
            "pump: warning: {server} is not encrypted: the password, this device's session and every workout cross \
             the network in clear (use https:// to avoid it)"
        );
    }
    let password = read_password(args.password_stdin)?;
    let mut store = ctx.store()?;
    let session = call(
        &client,
        &Credentials {
            user: user.clone(),
            password,
            device_id: Some(store.device_id().to_string()),
        },
    )?;
    store.set_session(&server, &session, &trust)?;
    eprintln!(
        "{done} as {} on {server}. Run `pump sync` to sync this device.",
        printable(&session.user)
    );
    Ok(())
}

pub(super) fn read_password(from_stdin: bool) -> Result<String> {
    let password = if from_stdin {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        line.trim_end_matches(['\n', '\r']).to_string()
    } else if std::io::stdin().is_terminal() {
        dialoguer::Password::new()
            .with_prompt("Password")
            .interact()
            .map_err(|e| Error::other(format!("cannot read the password: {e}")))?
    } else {
        return Err(Error::usage(
            "no terminal to ask for a password: pass --password-stdin and pipe it in",
        ));
    };
    if password.is_empty() {
        return Err(Error::usage("the password is empty"));
    }
    Ok(password)
}

/// `pump login` as this device would run it again: with its server and
/// user name when it has logged in before, else with what to fill in.
pub(super) fn login_command(store: &Store) -> Result<String> {
    Ok(match (store.server_url()?, store.server_user()?) {
        (Some(server), Some(user)) => format!("pump login --server {server} --user {user}"),
        _ => "pump login --server URL --user NAME".to_string(),
    })
}

/// `error`, with `pump login` spelled out for this device (its server and
/// user name) when it asks the person to log in again: a session the
/// server ended, from whichever command met it.
pub(super) fn spell_out_login(error: Error, ctx: &Context) -> Error {
    if error.kind != crate::error::ErrorKind::Unauthorized {
        return error;
    }
    let command = Store::open_read_only(&ctx.db_path)
        .ok()
        .flatten()
        .and_then(|store| login_command(&store).ok());
    match command {
        Some(command) => {
            let message = error.message.replace("run `pump login`", &format!("run `{command}`"));
            Error::new(error.kind, message)
        }
        None => error,
    }
}

/// A client presenting this device's session, with what the person allowed
/// at login (plain HTTP, a CA file), and the server's URL.
pub(super) fn session_client(ctx: &Context) -> Result<(HttpClient, String)> {
    let store = ctx.store_to_read()?;
    let Some(ServerSession { server, token }) = store.session()? else {
        return Err(Error::new(
            crate::error::ErrorKind::Unauthorized,
            format!(
                "this device is not logged in to a sync server: run `{}`",
                login_command(&store)?
            ),
        ));
    };
    let client = HttpClient::with_trust(
        &server,
        Some(token),
        Duration::from_secs(ctx.config.timeout),
        &store.server_trust()?,
    )?;
    Ok((client, server))
}

/// Forgets this device's session, telling the server when it can be reached.
pub fn logout(ctx: &Context) -> Result<()> {
    let store = ctx.store()?;
    let Some(ServerSession { server, token }) = store.session()? else {
        eprintln!("Not logged in.");
        return Ok(());
    };
    // Revoking on the server is a courtesy; forgetting the token locally is
    // what logs this device out, so it happens even when offline.
    let revoked = HttpClient::with_trust(
        &server,
        Some(token),
        Duration::from_secs(ctx.config.timeout),
        &store.server_trust()?,
    )
    .and_then(|client| client.logout());
    store.end_session()?;
    match revoked {
        Ok(()) => eprintln!("Logged out of {server}."),
        // Advice to log in again is no answer to a logout.
        Err(e) if e.kind == crate::error::ErrorKind::Unauthorized => {
            eprintln!("Logged out of {server} (the server had already ended this session).")
        }
        Err(e) => eprintln!(
            "Logged out on this device (the server was not told: {}).",
            printable(&e.message)
        ),
    }
    Ok(())
}
