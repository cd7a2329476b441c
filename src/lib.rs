//! pump: an offline-first workout tracker. The library holds everything;
//! `main.rs` only parses arguments and maps errors to exit codes.

#![warn(missing_docs)]

pub mod analytics;
pub mod app;
pub mod chart;
pub mod cli;
pub mod client;
pub mod clock;
pub mod commands;
pub mod completions;
pub mod config;
pub mod error;
pub mod files;
pub mod import;
pub mod model;
pub mod plates;
#[cfg(feature = "server")]
pub mod server;
pub mod store;
pub mod sync;
pub mod text;
