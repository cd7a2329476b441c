//! Slowing down password guessing and account farming, in memory.
//!
//! Failed logins are counted per client address and per account name. The
//! first few failures cost nothing (a typo, a stale password manager); each
//! one after them blocks that key for twice as long as the one before, up
//! to a cap, and while a key is blocked its attempts are answered 429 with
//! `Retry-After` before any password is hashed. The account's cap is short
//! (a minute): an attacker spread over many addresses slows its owner down
//! to one try a minute at worst, never locks them out. An address's cap is
//! long (15 minutes): that address is the attacker's own. A success clears
//! both keys; a key idle for an hour is forgotten.
//!
//! Registrations, when open, are a budget per address: a few an hour.
//!
//! State lives in this process only: a restart forgets it, which costs an
//! attacker nothing they could not get by waiting, and keeps the storage
//! seam free of bookkeeping that is not data.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Failures that cost nothing, per key.
const FREE_FAILURES: u32 = 5;
/// The first block, doubled by each failure after it.
const FIRST_BLOCK: Duration = Duration::from_secs(1);
/// The longest block of an account name.
const ACCOUNT_BLOCK_CAP: Duration = Duration::from_secs(60);
/// The longest block of a client address.
const ADDRESS_BLOCK_CAP: Duration = Duration::from_secs(15 * 60);
/// A key with no failure for this long starts over.
const FORGET_AFTER: Duration = Duration::from_secs(60 * 60);
/// Keys kept at most, so a flood of addresses cannot grow memory without
/// bound; past it, forgotten keys are swept, and new keys are not tracked
/// until there is room (their failures then cost nothing, as at first).
const MAX_KEYS: usize = 100_000;
/// The window of the registration budget.
const REGISTRATION_WINDOW: Duration = Duration::from_secs(60 * 60);

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Address(IpAddr),
    /// Lowercased: names are unique case-insensitively.
    Account(String),
}

#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    last: Instant,
    blocked_until: Instant,
}

/// Failed-login and registration bookkeeping for one server process.
#[derive(Debug)]
pub struct Throttle {
    failures: Mutex<HashMap<Key, Failures>>,
    registrations: Mutex<HashMap<IpAddr, Vec<Instant>>>,
    registrations_per_hour: u32,
}

/// The address an attacker owns as a whole: IPv6 clients get whole /64s,
/// so a /64 is one key; an IPv4-mapped address is its IPv4 one.
fn network_of(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let mut octets = v6.octets();
                octets[8..].fill(0);
                IpAddr::from(octets)
            }
        },
        v4 => v4,
    }
}

fn address_key(address: IpAddr) -> Key {
    Key::Address(network_of(address))
}

fn account_key(name: &str) -> Key {
    Key::Account(name.to_ascii_lowercase())
}

impl Throttle {
    /// A throttle that allows `registrations_per_hour` accounts per address.
    pub fn new(registrations_per_hour: u32) -> Throttle {
        Throttle {
            failures: Mutex::new(HashMap::new()),
            registrations: Mutex::new(HashMap::new()),
            registrations_per_hour,
        }
    }

    /// How long a login for `account` from `address` must wait, if it must.
    pub fn login_wait(&self, address: IpAddr, account: &str, now: Instant) -> Option<Duration> {
        let failures = lock(&self.failures);
        [address_key(address), account_key(account)]
            .iter()
            .filter_map(|key| failures.get(key))
            .map(|f| f.blocked_until.saturating_duration_since(now))
            .filter(|wait| !wait.is_zero())
            .max()
    }

    /// Counts a failed login for `account` from `address`.
    pub fn login_failed(&self, address: IpAddr, account: &str, now: Instant) {
        let mut failures = lock(&self.failures);
        if failures.len() >= MAX_KEYS {
            failures.retain(|_, f| now.saturating_duration_since(f.last) < FORGET_AFTER);
        }
        for (key, cap) in [
            (address_key(address), ADDRESS_BLOCK_CAP),
            (account_key(account), ACCOUNT_BLOCK_CAP),
        ] {
            if failures.len() >= MAX_KEYS && !failures.contains_key(&key) {
                continue;
            }
            let entry = failures.entry(key).or_insert(Failures {
                count: 0,
                last: now,
                blocked_until: now,
            });
            if now.saturating_duration_since(entry.last) >= FORGET_AFTER {
                entry.count = 0;
            }
            entry.count += 1;
            entry.last = now;
            if let Some(doublings) = entry.count.checked_sub(FREE_FAILURES + 1) {
                entry.blocked_until = now + block(doublings, cap);
            }
        }
    }

    /// A login succeeded: both keys start over.
    pub fn login_succeeded(&self, address: IpAddr, account: &str) {
        let mut failures = lock(&self.failures);
        failures.remove(&address_key(address));
        failures.remove(&account_key(account));
    }

    /// Spends one registration of `address`'s budget, or says how long until
    /// the oldest one in the window expires.
    pub fn register(&self, address: IpAddr, now: Instant) -> Result<(), Duration> {
        let mut registrations = lock(&self.registrations);
        if registrations.len() >= MAX_KEYS {
            registrations.retain(|_, times| {
                times
                    .iter()
                    .any(|t| now.saturating_duration_since(*t) < REGISTRATION_WINDOW)
            });
        }
        let times = registrations.entry(network_of(address)).or_default();
        times.retain(|t| now.saturating_duration_since(*t) < REGISTRATION_WINDOW);
        if times.len() >= self.registrations_per_hour as usize {
            let oldest = times.iter().min().copied().unwrap_or(now);
            return Err((oldest + REGISTRATION_WINDOW).saturating_duration_since(now));
        }
        times.push(now);
        Ok(())
    }
}

/// The block after `doublings` doublings of the first, at most `cap`.
fn block(doublings: u32, cap: Duration) -> Duration {
    FIRST_BLOCK.saturating_mul(2u32.saturating_pow(doublings)).min(cap)
}

/// The maps hold plain counters: one a panicking request left behind is
/// still sound.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The address a request comes from: the peer's, or, when the peer is one
/// of the `trusted` proxies, the last address of `X-Forwarded-For` that is
/// not one of them (each proxy appends the address it saw, so entries left
/// of the first untrusted one are the client's to forge).
pub fn client_address(peer: IpAddr, forwarded_for: Option<&str>, trusted: &[IpAddr]) -> IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    let Some(header) = forwarded_for else {
        return peer;
    };
    let mut hops = header.rsplit(',').map(str::trim);
    hops.find_map(|hop| hop.parse::<IpAddr>().ok().filter(|ip| !trusted.contains(ip)))
        .unwrap_or(peer)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALICE: &str = "alice";

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn five_failures_are_free_then_each_doubles_the_wait() {
        let throttle = Throttle::new(5);
        let start = Instant::now();
        let attacker = ip("203.0.113.9");
        for _ in 0..FREE_FAILURES {
            assert_eq!(throttle.login_wait(attacker, ALICE, start), None);
            throttle.login_failed(attacker, ALICE, start);
        }
        assert_eq!(
            throttle.login_wait(attacker, ALICE, start),
            None,
            "five typos cost nothing"
        );
        let mut waits = Vec::new();
        let mut now = start;
        for _ in 0..8 {
            throttle.login_failed(attacker, ALICE, now);
            let wait = throttle.login_wait(attacker, ALICE, now).unwrap();
            waits.push(wait.as_secs());
            now += wait;
        }
        assert_eq!(waits, [1, 2, 4, 8, 16, 32, 64, 128]);
    }

    #[test]
    fn the_owner_elsewhere_waits_a_minute_at_most_and_a_success_clears_it() {
        let throttle = Throttle::new(5);
        let mut now = Instant::now();
        // Failures from many addresses: the account's own key blocks.
        for i in 0..40u8 {
            throttle.login_failed(IpAddr::from([198, 51, 100, i]), ALICE, now);
            now += Duration::from_millis(10);
        }
        let owner = ip("192.0.2.1");
        let wait = throttle.login_wait(owner, ALICE, now).unwrap();
        assert!(wait <= ACCOUNT_BLOCK_CAP, "{wait:?}");
        assert_eq!(throttle.login_wait(owner, ALICE, now + wait), None);
        assert_eq!(
            throttle.login_wait(owner, "bob", now),
            None,
            "other accounts are not slowed"
        );
        throttle.login_succeeded(owner, ALICE);
        assert_eq!(throttle.login_wait(IpAddr::from([198, 51, 100, 1]), ALICE, now), None);
    }

    #[test]
    fn names_compare_case_insensitively_and_ipv6_by_its_64() {
        let throttle = Throttle::new(5);
        let now = Instant::now();
        for i in 0..=FREE_FAILURES {
            let address = ip(&format!("2001:db8:1:2::{i}"));
            throttle.login_failed(address, if i % 2 == 0 { "Alice" } else { "ALICE" }, now);
        }
        assert!(throttle.login_wait(ip("2001:db8:1:2::ffff"), "nobody", now).is_some());
        assert!(throttle.login_wait(ip("203.0.113.1"), "alice", now).is_some());
        assert_eq!(throttle.login_wait(ip("2001:db8:1:3::1"), "nobody", now), None);
    }

    #[test]
    fn failures_are_forgotten_after_an_hour_of_quiet() {
        let throttle = Throttle::new(5);
        let now = Instant::now();
        let address = ip("203.0.113.7");
        for _ in 0..FREE_FAILURES {
            throttle.login_failed(address, ALICE, now);
        }
        let later = now + FORGET_AFTER;
        throttle.login_failed(address, ALICE, later);
        assert_eq!(
            throttle.login_wait(address, ALICE, later),
            None,
            "counting started over"
        );
    }

    #[test]
    fn registrations_are_a_budget_per_address_and_hour() {
        let throttle = Throttle::new(2);
        let now = Instant::now();
        let address = ip("203.0.113.5");
        assert_eq!(throttle.register(address, now), Ok(()));
        assert_eq!(throttle.register(address, now + Duration::from_secs(60)), Ok(()));
        let wait = throttle.register(address, now + Duration::from_secs(120)).unwrap_err();
        assert_eq!(wait, REGISTRATION_WINDOW - Duration::from_secs(120));
        assert_eq!(throttle.register(ip("203.0.113.6"), now), Ok(()), "another address");
        assert_eq!(throttle.register(address, now + REGISTRATION_WINDOW), Ok(()));
    }

    #[test]
    fn forwarded_for_counts_only_behind_a_trusted_proxy() {
        let proxy = ip("10.0.0.2");
        let trusted = [proxy];
        let client = ip("198.51.100.7");
        assert_eq!(
            client_address(client, Some("1.2.3.4"), &trusted),
            client,
            "not a proxy: ignored"
        );
        assert_eq!(client_address(proxy, None, &trusted), proxy);
        assert_eq!(client_address(proxy, Some("198.51.100.7"), &trusted), client);
        assert_eq!(
            client_address(proxy, Some("6.6.6.6, 198.51.100.7, 10.0.0.2"), &trusted),
            client,
            "the forged left part is skipped"
        );
        assert_eq!(client_address(proxy, Some("garbage"), &trusted), proxy);
    }
}
