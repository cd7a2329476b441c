//! `pump register`, `pump login`, `pump logout`. The server URL, the
//! session token and the account key live in this device's database (a
//! device is its database file).
//!
//! `register` makes the account key; `login` to an account with a key needs
//! it (typed, `--key-stdin` or `--key-file`) and tries it on the key check
//! the server hands back before keeping anything, so a wrong key is refused
//! before a single row syncs.

use super::Context;
use crate::client::http::{HttpClient, ca_certificates, is_plain_http_off_this_machine, normalize_url};
use crate::error::ErrorKind;
use crate::error::{Error, Result};
use crate::store::{ServerSession, ServerTrust, Store};
use crate::sync::crypto::AccountKey;
use crate::sync::wire::{Credentials, Session};
use crate::text::printable;
use clap::Args;
use std::io::{BufRead, IsTerminal};
use std::path::PathBuf;
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

/// `pump login`: the account, and where its key comes from.
#[derive(Debug, Args)]
#[command(after_long_help = LOGIN_HELP)]
pub struct LoginArgs {
    #[command(flatten)]
    account: AccountArgs,
    /// Read the account key (the 24 words or 64 hex digits `pump key` shows on
    /// another device) from standard input; with --password-stdin, the key is
    /// the second line, e.g. printf '%s\n%s\n' "$PASSWORD" "$KEY" | pump login … --password-stdin --key-stdin
    #[arg(long, conflicts_with = "key_file")]
    key_stdin: bool,
    /// Read the account key from this file (the words or the hex, as `pump key`
    /// prints them), e.g. --key-file ~/pump-key.txt
    #[arg(long, value_name = "FILE")]
    key_file: Option<PathBuf>,
}

const LOGIN_HELP: &str = "\
An account made by `pump register` has an account key, made on that device and never sent to the
server. A new device needs it: run `pump key` on a device that has it, then type it here when asked
(or pass --key-stdin or --key-file). A wrong key is refused before anything syncs.

Connections: https:// checks the server's certificate against the system's store (SSL_CERT_FILE
and SSL_CERT_DIR are honoured) and --ca-file; http:// is only for this machine unless
--allow-http; redirects are never followed.

Examples:
  pump login --server https://pump.example.org --user sam
  pump login --server https://pump.example.org --user sam --key-file ~/pump-key.txt
  printf '%s\\n%s\\n' \"$PASSWORD\" \"$KEY\" | pump login --server https://pump.example.org --user sam --password-stdin --key-stdin";

/// Creates an account on the server, with a new account key made here, and
/// keeps its session and key on this device.
pub fn register(ctx: &Context, args: AccountArgs) -> Result<()> {
    let key = AccountKey::generate();
    let key_check = key.key_check();
    sign_in(
        ctx,
        args,
        (HttpClient::register, Some(key_check)),
        |_, _| Ok(Some(key)),
        "Registered",
    )?;
    eprintln!(
        "This account's key was made on this device and never leaves your devices: `pump key` shows it. Keep a \
         copy (a password manager, paper): a new device needs it to log in, and nobody can recover it."
    );
    Ok(())
}

/// Logs in to the server and keeps the session on this device, with the
/// account key when the account has one.
pub fn login(ctx: &Context, args: LoginArgs) -> Result<()> {
    let source = match (args.key_stdin, args.key_file) {
        (true, _) => KeySource::Stdin,
        (false, Some(path)) => KeySource::File(path),
        (false, None) => KeySource::Ask,
    };
    let password_stdin = args.account.password_stdin;
    sign_in(
        ctx,
        args.account,
        (HttpClient::login, None),
        |session, store| match &session.key_check {
            None => Ok(None),
            Some(check) => login_key(check, &session.user, &source, password_stdin, store).map(Some),
        },
        "Logged in",
    )
}

/// Where `pump login` takes the account key from.
enum KeySource {
    Stdin,
    File(PathBuf),
    /// This device's own key if it opens the account, else a prompt.
    Ask,
}

/// The account key for an account whose key check is `check`: one that
/// opens it, or an error saying what to do.
fn login_key(check: &str, user: &str, source: &KeySource, password_stdin: bool, store: &Store) -> Result<AccountKey> {
    let typed = match source {
        KeySource::Stdin => read_line_from_stdin()?,
        KeySource::File(path) => std::fs::read_to_string(path).map_err(|e| {
            Error::usage(format!(
                "cannot read the key file {}: {e}: check the path, or use --key-stdin",
                path.display()
            ))
        })?,
        KeySource::Ask => {
            if let Some(own) = store.account_key()?.filter(|own| own.opens(check)) {
                return Ok(own);
            }
            if password_stdin || !std::io::stdin().is_terminal() {
                return Err(Error::usage(format!(
                    "{}'s account has a key: pass --key-file FILE or --key-stdin with the key `pump key` shows on one of your devices",
                    printable(user)
                )));
            }
            dialoguer::Password::new()
                .with_prompt("Account key (the 24 words or hex from `pump key` on another device)")
                .interact()
                .map_err(|e| Error::other(format!("cannot read the account key: {e}")))?
        }
    };
    let key = AccountKey::parse(&typed).map_err(|e| Error::usage(e.to_string()))?;
    if !key.opens(check) {
        return Err(Error::new(
            ErrorKind::Unauthorized,
            format!(
                "that key does not open {}'s workouts: use the key `pump key` shows on a device that syncs this account",
                printable(user)
            ),
        ));
    }
    Ok(key)
}

/// How to sign in: register or login, and the key check a new account is
/// created with.
type SignInCall = (fn(&HttpClient, &Credentials) -> Result<Session>, Option<String>);

/// Signs in with `call`, settles the account key with `key_for`, and only
/// then keeps the session and the key, together. When no key can be
/// settled, the session just opened is ended again and this device is left
/// as it was.
fn sign_in(
    ctx: &Context,
    args: AccountArgs,
    (call, key_check): SignInCall,
    key_for: impl FnOnce(&Session, &Store) -> Result<Option<AccountKey>>,
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
            key_check,
        },
    )?;
    let key = match key_for(&session, &store) {
        Ok(key) => key,
        Err(e) => {
            // Best effort: the session is useless without the key, and the
            // server ends it on its own when it expires.
            let _ = HttpClient::with_trust(
                &server,
                Some(session.token.clone()),
                Duration::from_secs(ctx.config.timeout),
                &trust,
            )
            .and_then(|client| client.logout());
            return Err(e);
        }
    };
    let replaced = store
        .account_key()?
        .filter(|old| key.as_ref().is_some_and(|new| new != old));
    store.set_session(&server, &session, key.as_ref(), &trust)?;
    if replaced.is_some() {
        eprintln!(
            "pump: this device held another account's key, now replaced by this account's: another device of that \
             account still shows it with `pump key`."
        );
    }
    eprintln!(
        "{done} as {} on {server}. Run `pump sync` to sync this device.",
        printable(&session.user)
    );
    Ok(())
}

/// The next line of standard input, without its line ending.
fn read_line_from_stdin() -> Result<String> {
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\n', '\r']).to_string())
}

pub(super) fn read_password(from_stdin: bool) -> Result<String> {
    let password = if from_stdin {
        read_line_from_stdin()?
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
    store_client(ctx, &ctx.store_to_read()?)
}

/// [`session_client`] for a database already open; exit 77 when it is not
/// logged in.
pub(super) fn store_client(ctx: &Context, store: &Store) -> Result<(HttpClient, String)> {
    let Some(ServerSession { server, token }) = store.session()? else {
        return Err(Error::new(
            crate::error::ErrorKind::Unauthorized,
            format!(
                "this device is not logged in to a sync server: run `{}` (or `pump register` for a new account)",
                login_command(store)?
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
