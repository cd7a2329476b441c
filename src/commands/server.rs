//! `pump server start` and `pump server add-user`.

use super::account::read_password;
use crate::error::{Error, Result};
use crate::server::{self, Database, ServerOptions};
use clap::{Args, Subcommand};
use std::path::{Path, PathBuf};

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
    #[command(flatten)]
    database: DatabaseArgs,
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
    #[command(flatten)]
    database: DatabaseArgs,
    /// Read the password from standard input instead of prompting
    #[arg(long)]
    password_stdin: bool,
}

/// Where the server's state lives, for every `pump server` command.
#[derive(Debug, Args)]
pub struct DatabaseArgs {
    /// Folder for the server's SQLite database (default: the platform data dir)
    #[arg(long, value_name = "DIR", conflicts_with = "database")]
    data: Option<PathBuf>,
    /// A PostgreSQL database instead, which several server processes can
    /// share: postgres://USER@HOST/DB
    #[arg(long, value_name = "URL", env = "PUMP_DATABASE_URL", hide_env_values = true)]
    database: Option<String>,
    /// Read the PostgreSQL password from this file, when the URL has none
    /// (else $PGPASSWORD)
    #[arg(long, value_name = "FILE", requires = "database")]
    database_password_file: Option<PathBuf>,
}

impl DatabaseArgs {
    fn resolve(self) -> Result<Database> {
        let Some(url) = self.database else {
            return data_dir(self.data).map(Database::Sqlite);
        };
        let password = match self.database_password_file {
            Some(file) => Some(read_password_file(&file)?),
            None => std::env::var("PGPASSWORD").ok().filter(|p| !p.is_empty()),
        };
        Ok(Database::Postgres { url, password })
    }
}

/// The file's first line: what `echo secret > file` wrote.
fn read_password_file(file: &Path) -> Result<String> {
    let text = std::fs::read_to_string(file).map_err(|e| {
        Error::usage(format!(
            "cannot read the database password from {}: {e}",
            file.display()
        ))
    })?;
    let password = text.lines().next().unwrap_or("").to_string();
    if password.is_empty() {
        return Err(Error::usage(format!(
            "{} is empty: write the database password on its first line",
            file.display()
        )));
    }
    Ok(password)
}

/// Runs the sync server, or adds an account to its database.
pub fn run(command: ServerCommand) -> Result<()> {
    match command {
        ServerCommand::Start(StartArgs {
            listen,
            database,
            open_registration,
            max_body_mib,
        }) => {
            let mut options = ServerOptions::new(database.resolve()?);
            options.listen = listen;
            options.open_registration = open_registration;
            options.max_body_bytes = max_body_mib as usize * 1024 * 1024;
            server::start(options).map_err(Error::other)
        }
        ServerCommand::AddUser(AddUserArgs {
            name,
            database,
            password_stdin,
        }) => {
            let database = database.resolve()?;
            let password = read_password(password_stdin)?;
            server::add_user(&database, &name, &password).map_err(Error::usage)?;
            eprintln!("Added user {name} to {}", database.describe());
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
