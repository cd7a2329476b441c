//! `pump register`, `pump login`, `pump logout`. The server URL and session
//! token live in this device's database (a device is its database file).

use super::Context;
use crate::client::http::{HttpClient, normalize_url};
use crate::error::{Error, Result};
use crate::store::ServerSession;
use crate::sync::wire::{Credentials, Session};
use clap::Args;
use std::io::{BufRead, IsTerminal};
use std::time::Duration;

/// `pump register` and `pump login`.
#[derive(Debug, Args)]
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
}

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
    let password = read_password(args.password_stdin)?;
    let mut store = ctx.store()?;
    let client = HttpClient::new(&server, None, Duration::from_secs(ctx.config.timeout))?;
    let session = call(
        &client,
        &Credentials {
            user: user.clone(),
            password,
            device_id: Some(store.device_id().to_string()),
        },
    )?;
    store.set_session(&server, &session)?;
    eprintln!(
        "{done} as {} on {server}. Run `pump sync` to sync this device.",
        session.user
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

/// A client presenting this device's session, and the server's URL.
pub(super) fn session_client(ctx: &Context) -> Result<(HttpClient, String)> {
    let store = ctx.store()?;
    let Some(ServerSession { server, token }) = store.session()? else {
        return Err(Error::new(
            crate::error::ErrorKind::Unauthorized,
            "this device is not logged in to a sync server: run `pump login --server URL --user NAME`",
        ));
    };
    let client = HttpClient::new(&server, Some(token), Duration::from_secs(ctx.config.timeout))?;
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
    let revoked = HttpClient::new(&server, Some(token), Duration::from_secs(ctx.config.timeout))
        .and_then(|client| client.logout());
    store.end_session()?;
    match revoked {
        Ok(()) => eprintln!("Logged out of {server}."),
        Err(e) => eprintln!("Logged out on this device (the server was not told: {e})."),
    }
    Ok(())
}
