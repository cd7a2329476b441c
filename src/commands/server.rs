//! `pump server start` and `pump server add-user`.

use super::account::read_password;
use crate::cli::ServerCommand;
use crate::error::{Error, Result};
use crate::server::{self, ServerOptions};
use std::path::PathBuf;

pub fn run(command: ServerCommand) -> Result<()> {
    match command {
        ServerCommand::Start {
            listen,
            data,
            open_registration,
            max_body_mib,
        } => {
            let mut options = ServerOptions::new(data_dir(data)?);
            options.listen = listen;
            options.open_registration = open_registration;
            options.max_body_bytes = max_body_mib as usize * 1024 * 1024;
            server::start(options).map_err(Error::other)
        }
        ServerCommand::AddUser {
            name,
            data,
            password_stdin,
        } => {
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
