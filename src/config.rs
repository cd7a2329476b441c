//! User preferences: a small TOML file in the platform config dir
//! (`~/.config/pump/config.toml`), or wherever `PUMP_CONFIG` points.
//! Preferences are per person, not per device, so they live outside the
//! database; everything that must travel between devices is synced data.

use crate::error::{Error, Result};
use crate::model::{Unit, parse_duration};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The preferences in `config.toml`: everything has a default, unknown keys are refused.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Unit for weights typed without one, and for everything shown.
    pub unit: Unit,
    /// After a write, start a background `pump sync` when the last one is
    /// older than `sync_interval`.
    pub auto_sync: bool,
    /// How old the last sync may be before a write starts another (`5m`, `1h`).
    pub sync_interval: String,
    /// Connect and read timeout for the sync server, in seconds.
    pub timeout: u64,
    /// How long syncs may fail to reach the server before `pump sync
    /// --quiet` says so (`24h`, `3d` is `72h`).
    pub sync_warn_after: String,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            unit: Unit::Kg,
            auto_sync: false,
            sync_interval: "5m".into(),
            timeout: 10,
            sync_warn_after: "24h".into(),
        }
    }
}

/// One key `pump config set` understands.
#[derive(Debug, Clone, Copy)]
pub struct Key {
    /// Its name in the file and on the command line.
    pub name: &'static str,
    /// What it accepts, for people.
    pub accepts: &'static str,
    /// Values a TAB offers after it (the usual ones; others may be valid).
    pub values: &'static [&'static str],
}

/// The keys `pump config set` understands, with what each accepts.
pub const KEYS: &[Key] = &[
    Key {
        name: "unit",
        accepts: "kg or lb",
        values: &["kg", "lb"],
    },
    Key {
        name: "auto_sync",
        accepts: "true or false",
        values: &["true", "false"],
    },
    Key {
        name: "sync_interval",
        accepts: "a duration such as 5m or 1h",
        values: &["5m", "15m", "1h"],
    },
    Key {
        name: "timeout",
        accepts: "seconds, 1 to 300",
        values: &["10", "30", "60"],
    },
    Key {
        name: "sync_warn_after",
        accepts: "a duration such as 24h: how long syncs may fail before --quiet says so",
        values: &["24h", "72h"],
    },
];

impl Config {
    /// `PUMP_CONFIG`, or `config.toml` in the platform's config folder.
    pub fn default_path() -> Option<PathBuf> {
        if let Some(p) = std::env::var_os("PUMP_CONFIG") {
            return Some(PathBuf::from(p));
        }
        directories::ProjectDirs::from("", "", "pump").map(|d| d.config_dir().join("config.toml"))
    }

    /// Reads the file; a missing file means defaults.
    pub fn load(path: Option<&Path>) -> Result<Config> {
        let Some(path) = path else { return Ok(Config::default()) };
        match std::fs::read_to_string(path) {
            Ok(text) => toml::from_str(&text).map_err(|e| {
                let reason = e.message().to_string();
                Error::usage(format!(
                    "config file {} is invalid: {reason} (fix it or delete it)",
                    path.display()
                ))
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Config::default()),
            Err(e) => Err(Error::other(format!("cannot read config file {}: {e}", path.display()))),
        }
    }

    /// Writes the preferences back, creating the folder when needed, and
    /// the file readable by its owner only, like every file pump writes.
    pub fn save(&self, path: &Path) -> Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let text = toml::to_string(self).map_err(|e| Error::other(e.to_string()))?;
        crate::files::write_private(path, text.as_bytes())?;
        Ok(())
    }

    /// One preference's value as `pump config get` shows it.
    pub fn get(&self, key: &str) -> Result<String> {
        Ok(match key {
            "unit" => self.unit.to_string(),
            "auto_sync" => self.auto_sync.to_string(),
            "sync_interval" => self.sync_interval.clone(),
            "timeout" => self.timeout.to_string(),
            "sync_warn_after" => self.sync_warn_after.clone(),
            _ => return Err(unknown_key(key)),
        })
    }

    /// Changes one preference, checking the value the way the config file would.
    pub fn set(&mut self, key: &str, value: &str) -> Result<()> {
        let invalid = |what: &str| Error::usage(format!("'{value}' is not valid for {key}: use {what}"));
        match key {
            "unit" => self.unit = value.parse().map_err(|_| invalid("kg or lb"))?,
            "auto_sync" => self.auto_sync = value.parse().map_err(|_| invalid("true or false"))?,
            "sync_interval" => {
                parse_duration(value).map_err(|_| invalid("a duration such as 5m or 1h"))?;
                self.sync_interval = value.to_string();
            }
            "sync_warn_after" => {
                parse_duration(value).map_err(|_| invalid("a duration such as 24h or 30m"))?;
                self.sync_warn_after = value.to_string();
            }
            "timeout" => {
                self.timeout = value
                    .parse()
                    .ok()
                    .filter(|t| (1..=300).contains(t))
                    .ok_or_else(|| invalid("1 to 300"))?
            }
            _ => return Err(unknown_key(key)),
        }
        Ok(())
    }

    /// The sync interval in seconds (validated on set; a hand-edited bad
    /// value falls back to the default rather than breaking every write).
    pub fn sync_interval_secs(&self) -> u64 {
        parse_duration(&self.sync_interval).map(u64::from).unwrap_or(300)
    }

    /// `sync_warn_after` in seconds (a hand-edited bad value means the default, a day).
    pub fn sync_warn_after_secs(&self) -> u64 {
        parse_duration(&self.sync_warn_after)
            .map(u64::from)
            .unwrap_or(24 * 3600)
    }
}

fn unknown_key(key: &str) -> Error {
    let known: Vec<&str> = KEYS.iter().map(|k| k.name).collect();
    Error::usage(format!(
        "unknown config key '{key}': known keys are {}",
        known.join(", ")
    ))
}
