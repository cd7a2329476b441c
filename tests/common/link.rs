//! A network between a pump and its server, as a TCP proxy on loopback:
//! added latency and a bandwidth cap in both directions (a gym basement's
//! link), a count of the bytes that crossed it each way, and an answer
//! that stalls mid-way. The tests (`tests/network.rs`) and the bench
//! (`benches/pump.rs`) share it.
//!
//! A connection's first bytes leave one round trip late (TCP's handshake).
//! Each direction is a bottleneck with an unbounded queue: a chunk leaves
//! once the link has sent what came before it (at the capped rate) and
//! arrives one-way latency later. TCP's own windows over such a link are
//! not modelled, so the figures are a floor for a real link of that shape.

#![allow(dead_code)] // each test crate uses its own part of it

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// What the link does to the bytes crossing it.
#[derive(Clone, Copy, Debug, Default)]
pub struct Shape {
    /// Added round-trip time, split evenly between the two directions.
    pub round_trip: Duration,
    /// The cap in each direction, in bits per second; `None` is loopback speed.
    pub bits_per_second: Option<u64>,
}

impl Shape {
    /// A link of `round_trip_ms` and `megabits` per second each way.
    pub fn new(round_trip_ms: u64, megabits: f64) -> Shape {
        Shape {
            round_trip: Duration::from_millis(round_trip_ms),
            bits_per_second: Some((megabits * 1e6) as u64),
        }
    }
}

/// Counters and switches shared by every connection of a link.
#[derive(Default)]
struct Shared {
    up: AtomicU64,
    down: AtomicU64,
    /// Answers are cut off (held, the connection left open) after this
    /// many bytes of a connection; `u64::MAX` for never.
    stall_after: AtomicU64,
    stopped: AtomicBool,
}

/// A running proxy; its address is [`Link::url`]. Stops on drop (the
/// connections in flight end with their peers).
pub struct Link {
    /// `http://127.0.0.1:PORT`, to give pump as its server.
    pub url: String,
    shared: Arc<Shared>,
}

impl Link {
    /// A proxy to the server at `upstream` (an `http://host:port` URL).
    pub fn start(upstream: &str, shape: Shape) -> Link {
        let upstream = upstream.trim_start_matches("http://").trim_end_matches('/').to_string();
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the link");
        let url = format!("http://{}", listener.local_addr().unwrap());
        let shared = Arc::new(Shared::default());
        shared.stall_after.store(u64::MAX, Ordering::SeqCst);
        let accepting = shared.clone();
        std::thread::spawn(move || {
            for client in listener.incoming() {
                if accepting.stopped.load(Ordering::SeqCst) {
                    return;
                }
                let Ok(client) = client else { continue };
                let Ok(server) = TcpStream::connect(&upstream) else {
                    continue;
                };
                connect(client, server, shape, &accepting);
            }
        });
        Link { url, shared }
    }

    /// Bytes sent from pump to the server so far.
    pub fn bytes_up(&self) -> u64 {
        self.shared.up.load(Ordering::SeqCst)
    }

    /// Bytes sent from the server to pump so far.
    pub fn bytes_down(&self) -> u64 {
        self.shared.down.load(Ordering::SeqCst)
    }

    /// From now on, every new connection's answers stop after `bytes`
    /// bytes: the link stalls mid-answer and never recovers.
    pub fn stall_answers_after(&self, bytes: u64) {
        self.shared.stall_after.store(bytes, Ordering::SeqCst);
    }
}

impl Drop for Link {
    fn drop(&mut self) {
        self.shared.stopped.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect(self.url.trim_start_matches("http://"));
    }
}

/// Wires one client connection to its server connection, both directions.
fn connect(client: TcpStream, server: TcpStream, shape: Shape, shared: &Arc<Shared>) {
    let _ = client.set_nodelay(true);
    let _ = server.set_nodelay(true);
    let stall_after = shared.stall_after.load(Ordering::SeqCst);
    let (Ok(client_reader), Ok(server_reader)) = (client.try_clone(), server.try_clone()) else {
        return;
    };
    direction(client_reader, server, shape, u64::MAX, shared.clone(), |s| &s.up);
    direction(server_reader, client, shape, stall_after, shared.clone(), |s| &s.down);
}

/// One direction of a connection: a reader that stamps each chunk with the
/// time it may arrive, and a writer that delivers it then, closing its side
/// when the reader's ends. After `stall_after` bytes the rest is read and
/// dropped.
fn direction(
    mut from: TcpStream,
    mut to: TcpStream,
    shape: Shape,
    stall_after: u64,
    shared: Arc<Shared>,
    counter: fn(&Shared) -> &AtomicU64,
) {
    let (chunks, arrivals) = mpsc::channel::<(Instant, Vec<u8>)>();
    let one_way = shape.round_trip / 2;
    std::thread::spawn(move || {
        let mut buffer = vec![0; 16 * 1024];
        // pump's connect returned at once, as the proxy is on loopback: the
        // handshake's round trip is paid by holding the first bytes back.
        let mut link_free = Instant::now() + shape.round_trip;
        let mut passed = 0u64;
        while let Ok(n) = from.read(&mut buffer) {
            if n == 0 {
                break;
            }
            let allowed = stall_after.saturating_sub(passed).min(n as u64) as usize;
            if allowed == 0 {
                continue;
            }
            passed += allowed as u64;
            counter(&shared).fetch_add(allowed as u64, Ordering::SeqCst);
            let serialize = shape.bits_per_second.map_or(Duration::ZERO, |bps| {
                Duration::from_secs_f64(allowed as f64 * 8.0 / bps as f64)
            });
            link_free = link_free.max(Instant::now()) + serialize;
            if chunks.send((link_free + one_way, buffer[..allowed].to_vec())).is_err() {
                break;
            }
        }
        if passed >= stall_after {
            // Stalled: the sender is kept, so the writer never closes the
            // peer's side, which waits for bytes that never come until its
            // own timeout (or the end of the test process).
            std::mem::forget(chunks);
        }
    });
    std::thread::spawn(move || {
        for (at, bytes) in arrivals {
            if let Some(wait) = at.checked_duration_since(Instant::now()) {
                std::thread::sleep(wait);
            }
            if to.write_all(&bytes).is_err() {
                return;
            }
        }
        let _ = to.shutdown(Shutdown::Write);
    });
}
