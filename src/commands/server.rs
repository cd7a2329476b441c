//! `pump server start` and `pump server add-user`.

use super::account::read_password;
use crate::error::{Error, Result};
use crate::server::{self, ServerOptions};
use clap::{Args, Subcommand};
use std::path::PathBuf;

/// `pump server …`.
#[derive(Debug, Subcommand)]
pub enum ServerCommand {
    /// Serve sync for your devices (prints `listening on http://HOST:PORT`)
    Start(StartArgs),
    /// Create an account without the network
    AddUser(AddUserArgs),
}

/// `pump server start`.
#[derive(Debug, Args)]
pub struct StartArgs {
    /// Address to listen on; port 0 picks a free one
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8787")]
    listen: String,
    /// Folder for the server's database (default: the platform data dir)
    #[arg(long, value_name = "DIR")]
    data: Option<PathBuf>,
    /// Let clients create accounts with `pump register`
    #[arg(long)]
    open_registration: bool,
    /// Largest request body accepted, in MiB
    #[arg(long, value_name = "MIB", default_value_t = 64, value_parser = clap::value_parser!(u32).range(1..=4096))]
    max_body_mib: u32,
}

/// `pump server add-user NAME`.
#[derive(Debug, Args)]
pub struct AddUserArgs {
    /// Account name: letters, digits, '.', '_' or '-'
    name: String,
    #[arg(long, value_name = "DIR")]
    data: Option<PathBuf>,
    /// Read the password from standard input instead of prompting
    #[arg(long)]
    password_stdin: bool,
}

/// Runs the sync server, or adds an account to its database.
pub fn run(command: ServerCommand) -> Result<()> {
    match command {
        ServerCommand::Start(StartArgs {
            listen,
            data,
            open_registration,
            max_body_mib,
        }) => {
            let mut options = ServerOptions::new(data_dir(data)?);
            options.listen = listen;
            options.open_registration = open_registration;
            options.max_body_bytes = max_body_mib as usize * 1024 * 1024;
            server::start(options).map_err(Error::other)
        }
        ServerCommand::AddUser(AddUserArgs {
            name,
            data,
            password_stdin,
        }) => {
            let dir = data_dir(data)?;
            let password = read_password(password_stdin)?;
            server::add_user(&dir, &name, &password).map_err(Error::usage)?;
            eprintln!("Added user {name} to {}", dir.display());
            Ok(())
        }
    }
}

fn data_dir(flag: Option<PathBuf>) -> Result<PathBuf> {
    match flag {
        Some(dir) => Ok(dir),
        None => directories::ProjectDirs::from("", "", "pump")
            .map(|d| d.data_dir().join("server"))
            .ok_or_else(|| Error::usage("cannot find a data folder: pass --data DIR")),
    }
}
