//! `pump password`: change the account's password from a signed-in device.

use super::Context;
use super::account::{read_password, session_client};
use crate::error::{Error, Result};
use crate::sync::wire::PasswordChange;
use clap::Args;
use std::io::{BufRead, IsTerminal};

/// `pump password`.
#[derive(Debug, Args)]
#[command(after_help = "EXAMPLES\n  pump password\n  pump password --revoke-other-sessions   \
                        # a lost phone: only this device stays signed in\n  \
                        printf '%s\\n%s\\n' \"$OLD\" \"$NEW\" | pump password --password-stdin")]
pub struct PasswordArgs {
    /// Also sign out every other device and session of the account
    #[arg(long)]
    revoke_other_sessions: bool,
    /// Read the current password, then the new one, a line each, from standard input
    #[arg(long)]
    password_stdin: bool,
}

/// Changes the password of the account this device is signed in to.
pub fn run(ctx: &Context, args: PasswordArgs) -> Result<()> {
    let (client, server) = session_client(ctx)?;
    let (password, new_password) = if args.password_stdin {
        let mut lines = std::io::stdin().lock().lines();
        let mut next = || -> Result<String> {
            let line = lines.next().transpose()?.unwrap_or_default();
            Ok(line.trim_end_matches('\r').to_string())
        };
        (next()?, next()?)
    } else if std::io::stdin().is_terminal() {
        let current = read_password(false)?;
        let new = dialoguer::Password::new()
            .with_prompt("New password")
            .with_confirmation("Repeat the new password", "the two new passwords differ")
            .interact()
            .map_err(|e| Error::other(format!("cannot read the password: {e}")))?;
        (current, new)
    } else {
        return Err(Error::usage(
            "no terminal to ask for the passwords: pass --password-stdin and pipe in the current and the new one",
        ));
    };
    if password.is_empty() || new_password.is_empty() {
        return Err(Error::usage(
            "a password is empty: give the current one, then the new one",
        ));
    }
    let revoked = client.change_password(&PasswordChange {
        password,
        new_password,
        revoke_other_sessions: args.revoke_other_sessions,
    })?;
    if args.revoke_other_sessions {
        eprintln!("Password changed on {server}; signed out {revoked} other sessions.");
    } else {
        eprintln!("Password changed on {server}; your other devices stay signed in.");
    }
    Ok(())
}
