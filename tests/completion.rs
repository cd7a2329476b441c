//! Dynamic completion (`source <(COMPLETE=bash pump)`): a real bash on a
//! pty pressing TAB, and the engine's answers per shell, read from the
//! database without ever changing it.

mod common;

use common::{Device, Server, pair, pump_bin};
use std::time::Duration;

/// The values pump offers (flags left out) when `shell` asks it to
/// complete `words` (the last one being the word under the cursor), as the
/// shell's script would ask.
fn complete(d: &Device, shell: &str, words: &[&str]) -> Vec<String> {
    let mut cmd = d.cmd();
    cmd.env("COMPLETE", shell)
        .env("_CLAP_COMPLETE_INDEX", (words.len()).to_string())
        .env("_CLAP_IFS", "\n")
        .arg("--")
        .arg("pump")
        .args(words);
    let out = cmd.output().expect("run pump");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stderr.is_empty(), "a completion prints nothing but candidates");
    String::from_utf8(out.stdout)
        .expect("utf-8")
        .lines()
        .filter(|c| !c.starts_with('-'))
        .map(str::to_string)
        .collect()
}

/// Keys typed at the prompt, once readline has put the terminal in raw
/// mode (keys typed earlier sit in the line buffer, and a TAB there is
/// not a completion).
fn type_keys(bash: &mut rexpect::session::PtySession, keys: &str) {
    std::thread::sleep(Duration::from_millis(300));
    bash.send(keys).unwrap();
    bash.flush().unwrap();
}

#[test]
fn bash_on_a_pty_completes_exercises_and_lists_recent_ids() {
    let d = Device::new();
    let older = d.log(&["Push", "--at", "2026-01-05", "-e", "bench press: 5@100kg"]);
    let newer = d.log(&["Legs", "--at", "2026-01-07", "-e", "squat: 5@140kg"]);
    let bin_dir = pump_bin().parent().unwrap().to_path_buf();
    let rc = d.dir.path().join("bashrc");
    std::fs::write(
        &rc,
        // rexpect turns the pty's echo off, and readline shows nothing
        // typed on a terminal that does not echo.
        "stty echo\n\
         PS1='ready> '\n\
         bind 'set bell-style none'\n\
         bind 'set completion-query-items 1000'\n\
         bind 'set page-completions off'\n\
         source <(COMPLETE=bash pump)\n",
    )
    .unwrap();
    let mut cmd = std::process::Command::new("bash");
    cmd.args(["--noprofile", "--rcfile"])
        .arg(&rc)
        .arg("-i")
        .env_clear()
        .env("PATH", format!("{}:/usr/bin:/bin", bin_dir.display()))
        .env("HOME", d.dir.path())
        .env("TERM", "dumb")
        .env("PUMP_DB", &d.db)
        .env("PUMP_CONFIG", &d.config)
        .env("TZ", "UTC");
    let mut bash = rexpect::session::spawn_command(cmd, Some(30_000)).expect("bash on a pty");
    bash.exp_string("ready> ").unwrap();

    type_keys(&mut bash, "pump pr ben\t");
    bash.exp_string("\"Bench Press\"").unwrap();
    // Run it: the completed line is a command that works.
    type_keys(&mut bash, "\r");
    bash.exp_string("e1RM").unwrap();
    bash.exp_string("ready> ").unwrap();

    type_keys(&mut bash, "pump show \t");
    type_keys(&mut bash, "\t");
    // Both ids are listed, newest first, with `last`.
    bash.exp_string(&newer).unwrap();
    bash.exp_string(&older).unwrap();
    bash.send_control('c').unwrap();
    bash.exp_string("ready> ").unwrap();
    type_keys(&mut bash, "exit\r");
    bash.exp_eof().unwrap();
}

#[test]
fn ids_complete_newest_first_with_name_and_date_and_without_dashes() {
    let d = Device::new();
    let push = d.log(&["Push", "--at", "2026-01-05 18:00", "-e", "bench press: 5@100kg"]);
    let legs = d.log(&["Legs", "--at", "2026-01-07 18:00", "-e", "squat: 5@140kg"]);
    let offered = complete(&d, "fish", &["show", ""]);
    let ids: Vec<&str> = offered
        .iter()
        .filter(|c| c.contains("\t20"))
        .map(|c| c.as_str())
        .collect();
    assert_eq!(
        ids,
        [format!("{legs}\t2026-01-07 Legs"), format!("{push}\t2026-01-05 Push")],
        "{offered:?}"
    );
    assert!(offered.iter().any(|c| c.starts_with("last\t")), "{offered:?}");
    // A prefix typed without its dashes finds the same workout.
    let dashless: String = push.chars().filter(|c| *c != '-').take(14).collect();
    let offered = complete(&d, "bash", &["edit", &dashless]);
    assert_eq!(offered, [push.as_str()]);
    let deleted = complete(&d, "bash", &["restore", ""]);
    assert_eq!(deleted, ["last"], "nothing is deleted yet");
    d.ok(&["rm", &push]);
    assert_eq!(complete(&d, "bash", &["restore", ""]), ["last".to_string(), push]);
}

#[test]
fn exercises_templates_and_config_complete_from_what_is_known() {
    let d = Device::new();
    d.log(&["Odd", "-e", "zercher carry: 5@60kg", "-e", "squat: 5@100kg"]);
    d.ok(&["alias", "zc", "zercher carry"]);
    d.ok(&["template", "new", "Push A", "-e", "bench press: 3x5@100kg"]);
    let offered = complete(&d, "fish", &["history", "Z"]);
    assert!(
        offered.contains(&"zercher carry\tyour exercise".to_string()),
        "{offered:?}"
    );
    assert!(offered.contains(&"zc\talias".to_string()), "{offered:?}");
    assert!(offered.contains(&"Zercher Squat\texercise".to_string()), "{offered:?}");
    assert_eq!(
        complete(&d, "bash", &["log", "x", "-e", "\"bench p"]),
        ["\"Bench Press:"]
    );
    assert_eq!(complete(&d, "bash", &["start", "--template", "p"]), ["\"Push A\""]);
    assert_eq!(complete(&d, "zsh", &["template", "show", "P"]), ["Push A:1 exercise"]);
    assert_eq!(complete(&d, "bash", &["config", "set", "unit", ""]), ["kg", "lb"]);
    assert!(complete(&d, "bash", &["config", "get", ""]).contains(&"sync_interval".to_string()));
    assert_eq!(
        complete(&d, "bash", &["progress", "squat", "--metric", ""]),
        ["e1rm", "top-set", "volume"]
    );
    assert_eq!(complete(&d, "bash", &["pr", "--formula", "b"]), ["brzycki"]);
    assert_eq!(complete(&d, "bash", &["import", "x.csv", "--unit", ""]), ["kg", "lb"]);
    assert_eq!(complete(&d, "bash", &["sync", "--prefer", ""]), ["mine", "theirs"]);
}

#[test]
fn a_completion_never_creates_changes_or_complains_about_a_database() {
    let d = Device::new();
    // No database: offers what needs none, creates nothing.
    assert_eq!(complete(&d, "bash", &["show", "l"]), ["last"]);
    assert!(!d.db.exists(), "a TAB must not create a database");
    let elsewhere = d.dir.path().join("nowhere/pump.db");
    assert_eq!(
        complete(&d, "bash", &["--db", elsewhere.to_str().unwrap(), "show", "l"]),
        ["last"]
    );
    assert!(!elsewhere.parent().unwrap().exists());

    // An existing database is read, not written: same bytes, same time.
    let id = d.log(&["Push", "-e", "bench press: 5@100kg"]);
    let before = (
        std::fs::read(&d.db).unwrap(),
        std::fs::metadata(&d.db).unwrap().modified().unwrap(),
    );
    assert_eq!(complete(&d, "bash", &["show", &id[..8]]), [id.as_str()]);
    let after = (
        std::fs::read(&d.db).unwrap(),
        std::fs::metadata(&d.db).unwrap().modified().unwrap(),
    );
    assert!(before == after, "completion wrote to the database");

    // `--db` on the line is the database completed from.
    let other = Device::new();
    let there = other.log(&["Legs", "-e", "squat: 5@100kg"]);
    let offered = complete(&d, "bash", &["--db", other.db.to_str().unwrap(), "show", ""]);
    assert_eq!(offered, ["last".to_string(), there]);

    // A file that is no database offers nothing and says nothing. (It has
    // no WAL: pump keeps a database's WAL beside it, and SQLite would read
    // that WAL as part of whatever file takes the database's name.)
    for suffix in ["-wal", "-shm"] {
        std::fs::remove_file(common::with_suffix(&d.db, suffix)).unwrap();
    }
    std::fs::write(&d.db, "not a database").unwrap();
    assert_eq!(complete(&d, "bash", &["show", "0"]), Vec::<String>::new());
    assert_eq!(std::fs::read_to_string(&d.db).unwrap(), "not a database");
}

/// `pump resolve <TAB>` offers the held conflicts' ids, with what they are.
#[test]
fn resolve_completes_held_conflict_ids() {
    let server = Server::start();
    let (a, b) = pair(&server);
    let id = a.log(&["Legs", "-e", "squat: 5@100kg"]);
    a.sync_ok();
    b.sync_ok();
    assert!(complete(&b, "bash", &["resolve", ""]).is_empty(), "nothing held yet");
    a.ok(&["edit", &id, "-e", "squat: 5@110kg"]);
    b.ok(&["edit", &id, "-e", "squat: 5@120kg"]);
    a.sync_ok();
    b.sync();
    assert_eq!(complete(&b, "bash", &["resolve", ""]), vec![id.clone()]);
    assert_eq!(complete(&b, "bash", &["resolve", &id[..6]]), vec![id.clone()]);
    assert!(complete(&b, "bash", &["resolve", "zz"]).is_empty());
    let fish = complete(&b, "fish", &["resolve", ""]);
    assert_eq!(fish, vec![format!("{id}\tworkout Legs")]);
}
