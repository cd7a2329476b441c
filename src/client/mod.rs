//! The sync client: the HTTP transport to a server, and the engine that
//! pushes this device's pending rows and applies each answer through the
//! store, one round at a time (see `crate::sync` for the protocol).

pub mod engine;
pub mod http;
pub mod lock;
