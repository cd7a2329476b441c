//! The derived set table: one row per set of every live workout, with what
//! the analytics ask of it (its exercise, date, kind, load, body weight used,
//! volume) in columns, so `pr`, `stats`, `progress` and completions answer
//! with indexed SQL instead of decoding years of workout JSON.
//!
//! Derived, never synced: `records` stays the truth. Every change to a
//! workout or a weigh-in updates the table in the transaction that writes
//! the record (the one write path and sync's `store_remote`), and
//! [`rebuild`] makes it again from `records` (the migration that creates
//! it, `pump doctor --rebuild`). [`differences`] compares it with a rebuild.
//!
//! The numbers come from `analytics::definitions`, the one definition of
//! load and volume; body weights are looked up in `body_weights`, a derived
//! copy of the weigh-ins keyed by time.

use super::Store;
use super::meta::{self, Key};
use super::rows::text;
use crate::analytics::definitions::{Formula, Load, Metric, SetClass, is_working, reps_times_load, set_volume_kg};
use crate::error::Result;
use crate::model::{BodyWeight, DistanceUnit, ExerciseEntry, Set, SetKind, Workout};
use crate::sync::kinds::{self, Kind};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The tables, created by the schema migration that introduces them.
pub(super) const SCHEMA: &str = "
CREATE TABLE sets (
    workout_id    TEXT NOT NULL,
    entry         INTEGER NOT NULL,  -- the exercise's place in the workout
    number        INTEGER NOT NULL,  -- the set's place in the exercise
    exercise      TEXT NOT NULL,     -- the name as the workout stores it
    started_at    TEXT NOT NULL,     -- the workout's start, as its JSON has it
    at_us         INTEGER NOT NULL,  -- the same, in microseconds since 1970, for ranges
    completed_at  TEXT,
    set_id        TEXT NOT NULL,
    kind          TEXT NOT NULL,     -- warmup, working, drop, failure, missed
    class         TEXT,              -- weighted, bodyweight, timed, distance; NULL counts for no record
    reps          INTEGER,
    weight_kg     REAL,              -- as written: the added weight of an @bw set
    unit          TEXT NOT NULL,
    bodyweight    INTEGER NOT NULL,
    body_kg       REAL,              -- the body weight used for an @bw set, when one is known
    load_kg       REAL,              -- the whole load, when known (analytics::Load::record_kg)
    rpe           REAL,
    duration_s    INTEGER,
    distance_m    REAL,
    distance_unit TEXT,
    volume_kg     REAL NOT NULL,     -- analytics::set_volume_kg
    notes         TEXT NOT NULL,
    PRIMARY KEY (workout_id, entry, number)
) STRICT, WITHOUT ROWID;
-- Each index ends with the key (workout_id, entry, number), so reading one
-- exercise or one span of time in index order needs no sort.
CREATE INDEX sets_exercise ON sets (exercise, at_us);
CREATE INDEX sets_at ON sets (at_us);
CREATE INDEX sets_working ON sets (at_us, kind) WHERE kind <> 'warmup';
CREATE INDEX sets_bodyweight ON sets (at_us) WHERE bodyweight = 1;

CREATE TABLE body_weights (
    id    TEXT PRIMARY KEY,
    at_us INTEGER NOT NULL,
    kg    REAL NOT NULL
) STRICT;
CREATE INDEX body_weights_at ON body_weights (at_us, id);
";

/// What finds each personal record among a few sets instead of all of an
/// exercise's (see [`Store::record_candidates`]): indexes that put the
/// heaviest load and the most added weight at each rep count and the most
/// reps at the end of an exercise's range, and each session's
/// volume of each exercise (as stored) with its own index. Derived like
/// the set table: written with it, rebuilt with it, compared with it.
pub(super) const RECORDS_SCHEMA: &str = "
CREATE INDEX sets_records ON sets (exercise, class, reps, load_kg, at_us) WHERE kind <> 'warmup';
CREATE INDEX sets_most_reps ON sets (exercise, reps, at_us) WHERE kind <> 'warmup' AND class = 'bodyweight';
CREATE INDEX sets_added ON sets (exercise, reps, weight_kg, at_us)
    WHERE kind <> 'warmup' AND class = 'bodyweight' AND bodyweight = 1;

CREATE TABLE exercise_sessions (
    workout_id TEXT NOT NULL,
    exercise   TEXT NOT NULL,  -- as the workout stores it
    at_us      INTEGER NOT NULL,
    volume_kg  REAL NOT NULL,  -- its weighted and bodyweight working sets' volume in this workout, to
                               -- the milligram: a sum's last bits depend on the order SQLite adds in
    PRIMARY KEY (workout_id, exercise)
) STRICT, WITHOUT ROWID;
CREATE INDEX exercise_sessions_volume ON exercise_sessions (exercise, volume_kg, at_us);
INSERT INTO exercise_sessions (workout_id, exercise, at_us, volume_kg)
    SELECT workout_id, exercise, at_us, round(sum(volume_kg), 6) FROM sets
    WHERE kind <> 'warmup' AND class IN ('weighted', 'bodyweight')
    GROUP BY workout_id, exercise;
";

/// What `pump progress` plots for each session of each exercise (as
/// stored), kept beside its volume so a chart reads one row per session
/// instead of every set: the session's exact start, its top set, its volume
/// as progress counts it (every working set with reps, summed in the
/// workout's order) and its best e1RM by each formula, each best with the
/// set that made it (its place: entry and number). Computed by the one
/// definition, `analytics::Metric::best_of_session`; NULL where the session
/// has no value. Every session with a working set has a row (see
/// [`insert_sessions`]). The rows are keyed by exercise and time, so one
/// exercise's sessions are one range of the table, read without a seek
/// per row; the table is made anew (the migration that does it rebuilds
/// the derived tables).
pub(super) const PROGRESS_SCHEMA: &str = "
DROP TABLE exercise_sessions;
CREATE TABLE exercise_sessions (
    exercise       TEXT NOT NULL,     -- as the workout stores it
    at_us          INTEGER NOT NULL,
    workout_id     TEXT NOT NULL,
    volume_kg      REAL NOT NULL,     -- its weighted and bodyweight working sets' volume, to the milligram
    started_at     TEXT NOT NULL,     -- as sets.started_at: a point's exact date
    top_kg         REAL,
    top_entry      INTEGER,
    top_number     INTEGER,
    lifted_kg      REAL,
    e1rm_epley     REAL,
    epley_entry    INTEGER,
    epley_number   INTEGER,
    e1rm_brzycki   REAL,
    brzycki_entry  INTEGER,
    brzycki_number INTEGER,
    PRIMARY KEY (exercise, at_us, workout_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX exercise_sessions_volume ON exercise_sessions (exercise, volume_kg, at_us);
CREATE INDEX exercise_sessions_workout ON exercise_sessions (workout_id);
";

/// The derived tables made narrow (issue 20): a first pull of 10,000
/// workouts wrote 100 MB of them, three times its records, and spent most of
/// its time on them. Each set row named its workout by its 32-character id
/// and repeated the workout's start and finish as text, and every index
/// entry carried that id again; now `set_workouts` holds each workout's id
/// and times once, under a small integer key (an INTEGER PRIMARY KEY, which
/// VACUUM keeps) that the set and session rows use instead. Two indexes go:
/// a span of time is found through `set_workouts_at` (one entry per workout,
/// not per set), and the sessions a streak counts through
/// `exercise_sessions`. The tables are made anew; the migration that does
/// it rebuilds them from `records`.
pub(super) const NARROW_SCHEMA: &str = "
DROP TABLE sets;
DROP TABLE exercise_sessions;
CREATE TABLE set_workouts (
    key          INTEGER PRIMARY KEY, -- what the rows below name the workout by
    id           TEXT NOT NULL UNIQUE,
    at_us        INTEGER NOT NULL,    -- its start, in microseconds since 1970, for ranges
    started_at   TEXT NOT NULL,       -- the same, as its JSON has it
    completed_at TEXT
) STRICT;
CREATE INDEX set_workouts_at ON set_workouts (at_us);
CREATE TABLE sets (
    workout       INTEGER NOT NULL,  -- set_workouts.key
    entry         INTEGER NOT NULL,  -- the exercise's place in the workout
    number        INTEGER NOT NULL,  -- the set's place in the exercise
    exercise      TEXT NOT NULL,     -- the name as the workout stores it
    at_us         INTEGER NOT NULL,  -- the workout's start, for ranges and order
    set_id        TEXT NOT NULL,
    kind          TEXT NOT NULL,     -- warmup, working, drop, failure, missed
    class         TEXT,              -- weighted, bodyweight, timed, distance; NULL counts for no record
    reps          INTEGER,
    weight_kg     REAL,              -- as written: the added weight of an @bw set
    unit          TEXT NOT NULL,
    bodyweight    INTEGER NOT NULL,
    body_kg       REAL,              -- the body weight used for an @bw set, when one is known
    load_kg       REAL,              -- the whole load, when known (analytics::Load::record_kg)
    rpe           REAL,
    duration_s    INTEGER,
    distance_m    REAL,
    distance_unit TEXT,
    volume_kg     REAL NOT NULL,     -- analytics::set_volume_kg
    notes         TEXT NOT NULL,
    PRIMARY KEY (workout, entry, number)
) STRICT, WITHOUT ROWID;
CREATE INDEX sets_exercise ON sets (exercise, at_us);
CREATE INDEX sets_bodyweight ON sets (at_us) WHERE bodyweight = 1;
CREATE INDEX sets_records ON sets (exercise, class, reps, load_kg, at_us) WHERE kind <> 'warmup';
CREATE INDEX sets_most_reps ON sets (exercise, reps, at_us) WHERE kind <> 'warmup' AND class = 'bodyweight';
CREATE INDEX sets_added ON sets (exercise, reps, weight_kg, at_us)
    WHERE kind <> 'warmup' AND class = 'bodyweight' AND bodyweight = 1;
CREATE TABLE exercise_sessions (
    exercise       TEXT NOT NULL,     -- as the workout stores it
    at_us          INTEGER NOT NULL,
    workout        INTEGER NOT NULL,  -- set_workouts.key
    volume_kg      REAL NOT NULL,     -- its weighted and bodyweight working sets' volume, to the milligram
    workout_id     TEXT NOT NULL,     -- the workout's id and start as set_workouts has them, which a
    started_at     TEXT NOT NULL,     -- chart would otherwise look up for each of its points
    top_kg         REAL,
    top_entry      INTEGER,
    top_number     INTEGER,
    lifted_kg      REAL,
    e1rm_epley     REAL,
    epley_entry    INTEGER,
    epley_number   INTEGER,
    e1rm_brzycki   REAL,
    brzycki_entry  INTEGER,
    brzycki_number INTEGER,
    PRIMARY KEY (exercise, at_us, workout)
) STRICT, WITHOUT ROWID;
CREATE INDEX exercise_sessions_volume ON exercise_sessions (exercise, volume_kg, at_us);
CREATE INDEX exercise_sessions_workout ON exercise_sessions (workout);
";

/// How far below an exercise's best a set may be and still be read as a
/// candidate for a record ([`Store::record_candidates`]). The records call
/// values within 1e-9 of each other a tie (rounding noise), which the
/// earlier set or the one with more reps wins: every set that can tie is
/// read, with room to spare for session volumes kept to the milligram.
pub const CANDIDATE_MARGIN: f64 = 1e-5;

/// An exercise's weighted working sets.
const WEIGHTED_SCOPE: &str = "exercise = ?1 AND kind <> 'warmup' AND class = 'weighted'";
/// An exercise's bodyweight working sets (`@bw`, or reps with nothing on the bar).
const BODYWEIGHT_SCOPE: &str = "exercise = ?1 AND kind <> 'warmup' AND class = 'bodyweight'";
/// An exercise's `@bw` working sets, whose added weight is a record.
const ADDED_SCOPE: &str = "exercise = ?1 AND kind <> 'warmup' AND class = 'bodyweight' AND bodyweight = 1";

/// A set's place: its workout's key, its exercise's place in it and its own.
type SetKey = (i64, i64, i64);

/// `args` then `extra`: a statement's parameters in their order.
fn joined<'a>(args: &[&'a dyn rusqlite::ToSql], extra: &[&'a dyn rusqlite::ToSql]) -> Vec<&'a dyn rusqlite::ToSql> {
    args.iter().chain(extra).copied().collect()
}

fn key(r: &rusqlite::Row) -> rusqlite::Result<SetKey> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
}

/// The columns [`read_workouts`] reads, in its order, from [`SET_SOURCE`].
const SET_COLUMNS: &str = "w.id, s.entry, s.exercise, w.started_at, w.completed_at, s.set_id, s.kind, s.reps, \
                           s.weight_kg, s.unit, s.bodyweight, s.rpe, s.duration_s, s.distance_m, s.distance_unit, \
                           s.notes";

/// The sets (`s`) with their workouts (`w`): what [`SET_COLUMNS`] are read from.
const SET_SOURCE: &str = "sets s JOIN set_workouts w ON w.key = s.workout";

/// A moment as microseconds since 1970: what `at_us` columns hold.
pub(super) fn micros(at: DateTime<Utc>) -> i64 {
    at.timestamp_micros()
}

/// The lifter's body weight at `at_us`: the latest weigh-in at or before it
/// (the later id on a tie, as `BodyLog` reads the log), as
/// `analytics::latest_body_weight` defines it.
fn body_weight_at(conn: &Connection, at_us: i64) -> Result<Option<f64>> {
    Ok(conn
        .prepare_cached(
            "SELECT kg FROM body_weights WHERE at_us <= ?1 AND kg > 0 ORDER BY at_us DESC, id DESC LIMIT 1",
        )?
        .query_row([at_us], |r| r.get(0))
        .optional()?)
}

/// Replaces a workout's rows with those of `body` (none for a tombstone, or
/// for a body this pump cannot read: a newer pump's shape breaks nothing).
pub(super) fn refresh_workout(conn: &Connection, id: &str, body: &Value, deleted: bool) -> Result<()> {
    let workout = if deleted {
        None
    } else {
        kinds::read::<Workout>(id, body)
    };
    refresh_read_workout(conn, id, workout.as_ref())
}

/// Replaces the rows of workout `id` with those of `workout` (none for a
/// tombstone or an unreadable body), for a caller that has read it. A
/// workout new to the table (every workout of a first pull) costs one
/// lookup and no deletes.
pub(super) fn refresh_read_workout(conn: &Connection, id: &str, workout: Option<&Workout>) -> Result<()> {
    let key: Option<i64> = conn
        .prepare_cached("SELECT key FROM set_workouts WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?;
    if let Some(key) = key {
        conn.prepare_cached("DELETE FROM sets WHERE workout = ?1")?
            .execute([key])?;
        conn.prepare_cached("DELETE FROM exercise_sessions WHERE workout = ?1")?
            .execute([key])?;
    }
    match workout {
        Some(workout) => insert_workout(conn, workout),
        None => {
            conn.prepare_cached("DELETE FROM set_workouts WHERE id = ?1")?
                .execute([id])?;
            Ok(())
        }
    }
}

/// A working set of one session, with its load and its place in the
/// workout (entry, number): what an `exercise_sessions` row is made of.
struct PlacedSet {
    at: (i64, i64),
    set: Set,
    load: Load,
}

/// One workout's working sets by exercise (as stored), in the workout's
/// order, its id and when it started (microseconds, and as its JSON has it).
struct Sessions {
    workout_id: String,
    at_us: i64,
    started_at: String,
    by_exercise: BTreeMap<String, Vec<PlacedSet>>,
}

/// Writes a workout's `exercise_sessions` rows: the one definition of them,
/// for writes, re-weighing and rebuilds alike. One row per exercise (as
/// stored) with a working set: its volume of weighted and bodyweight sets
/// for the records, to the milligram (rounded, so a record compares it with
/// the sum the analytics make in another order), and what progress plots
/// ([`PROGRESS_SCHEMA`]), by the analytics' own definitions.
fn insert_sessions(conn: &Connection, workout: i64, sessions: &Sessions) -> Result<()> {
    let mut insert = conn.prepare_cached(
        "INSERT INTO exercise_sessions (workout, exercise, at_us, volume_kg, workout_id, started_at, top_kg,
                                        top_entry, top_number, lifted_kg, e1rm_epley, epley_entry, epley_number,
                                        e1rm_brzycki, brzycki_entry, brzycki_number)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
    )?;
    for (exercise, sets) in &sessions.by_exercise {
        let volume: f64 = sets
            .iter()
            .filter(|s| matches!(SetClass::of(&s.set), Some(SetClass::Weighted | SetClass::Bodyweight)))
            .map(|s| reps_times_load(s.set.reps.unwrap_or(0), s.load))
            .sum();
        let value = |metric: Metric, formula| best_of(sets, metric, formula);
        let top = value(Metric::TopSet, Formula::Epley);
        let lifted = value(Metric::Volume, Formula::Epley);
        let epley = value(Metric::E1rm, Formula::Epley);
        let brzycki = value(Metric::E1rm, Formula::Brzycki);
        let place = |best: Option<(f64, Option<(i64, i64)>)>| best.and_then(|(_, at)| at);
        insert.execute(params![
            workout,
            exercise,
            sessions.at_us,
            (volume * 1e6).round() / 1e6,
            sessions.workout_id,
            sessions.started_at,
            top.map(|(kg, _)| kg),
            place(top).map(|at| at.0),
            place(top).map(|at| at.1),
            lifted.map(|(kg, _)| kg),
            epley.map(|(kg, _)| kg),
            place(epley).map(|at| at.0),
            place(epley).map(|at| at.1),
            brzycki.map(|(kg, _)| kg),
            place(brzycki).map(|at| at.0),
            place(brzycki).map(|at| at.1),
        ])?;
    }
    Ok(())
}

/// Makes a workout's `exercise_sessions` rows again from its sets as the
/// set table holds them (after re-weighing them).
fn refresh_sessions(conn: &Connection, workout: i64) -> Result<()> {
    conn.prepare_cached("DELETE FROM exercise_sessions WHERE workout = ?1")?
        .execute([workout])?;
    let (workout_id, at_us, started_at) = conn
        .prepare_cached("SELECT id, at_us, started_at FROM set_workouts WHERE key = ?1")?
        .query_row([workout], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    let mut sessions = Sessions {
        workout_id,
        at_us,
        started_at,
        by_exercise: BTreeMap::new(),
    };
    let mut stmt = conn.prepare_cached(
        "SELECT exercise, entry, number, at_us, kind, reps, weight_kg, bodyweight, body_kg, duration_s, distance_m
         FROM sets WHERE workout = ?1 AND kind <> 'warmup' ORDER BY entry, number",
    )?;
    let mut rows = stmt.query([workout])?;
    while let Some(r) = rows.next()? {
        let set = Set {
            kind: set_kind(text(r, 4)?),
            reps: r.get(5)?,
            weight_kg: r.get(6)?,
            bodyweight: r.get(7)?,
            duration_s: r.get(9)?,
            distance_m: r.get(10)?,
            ..Set::default()
        };
        let load = Load::of(&set, r.get(8)?);
        sessions.by_exercise.entry(r.get(0)?).or_default().push(PlacedSet {
            at: (r.get(1)?, r.get(2)?),
            set,
            load,
        });
    }
    insert_sessions(conn, workout, &sessions)
}

/// One session's value of `metric` and the place of the set that made it.
fn best_of(sets: &[PlacedSet], metric: Metric, formula: Formula) -> Option<(f64, Option<(i64, i64)>)> {
    let (value, best) = metric.best_of_session(sets.iter().map(|s| (&s.set, s.load)), formula)?;
    let at = best.and_then(|best| sets.iter().find(|s| std::ptr::eq(&s.set, best)).map(|s| s.at));
    Some((value, at))
}

fn insert_workout(conn: &Connection, workout: &Workout) -> Result<()> {
    let at_us = micros(workout.started_at);
    let needs_body = workout.exercises.iter().flat_map(|e| &e.sets).any(|s| s.bodyweight);
    let body = if needs_body { body_weight_at(conn, at_us)? } else { None };
    let started_at = time_text(&workout.started_at)?;
    let completed_at = workout.completed_at.as_ref().map(time_text).transpose()?;
    // An edited workout keeps its key.
    let key: i64 = conn
        .prepare_cached(
            "INSERT INTO set_workouts (id, at_us, started_at, completed_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (id) DO UPDATE SET
               at_us = excluded.at_us, started_at = excluded.started_at, completed_at = excluded.completed_at
             RETURNING key",
        )?
        .query_row(params![workout.id, at_us, started_at, completed_at], |r| r.get(0))?;
    let mut insert = conn.prepare_cached(
        "INSERT INTO sets (workout, entry, number, exercise, at_us, set_id, kind, class, reps, weight_kg, unit,
                           bodyweight, body_kg, load_kg, rpe, duration_s, distance_m, distance_unit, volume_kg, notes)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)",
    )?;
    let mut sessions = Sessions {
        workout_id: workout.id.clone(),
        at_us,
        started_at,
        by_exercise: BTreeMap::new(),
    };
    for (entry, exercise) in workout.exercises.iter().enumerate() {
        for (number, set) in exercise.sets.iter().enumerate() {
            let weighed = Weighed::of(set, body);
            insert.execute(params![
                key,
                entry as i64,
                number as i64,
                exercise.name,
                at_us,
                set.id,
                set.kind.as_str(),
                SetClass::of(set).map(class_name),
                set.reps,
                set.weight_kg,
                set.unit.as_str(),
                set.bodyweight,
                weighed.body_kg,
                weighed.load_kg,
                set.rpe,
                set.duration_s,
                set.distance_m,
                set.distance_unit.map(DistanceUnit::as_str),
                weighed.volume_kg,
                set.notes,
            ])?;
            if is_working(set) {
                sessions
                    .by_exercise
                    .entry(exercise.name.clone())
                    .or_default()
                    .push(PlacedSet {
                        at: (entry as i64, number as i64),
                        set: set.clone(),
                        load: Load::of(set, body),
                    });
            }
        }
    }
    insert_sessions(conn, key, &sessions)
}

/// What a set weighed, by the one definition of load and volume.
struct Weighed {
    body_kg: Option<f64>,
    load_kg: Option<f64>,
    volume_kg: f64,
}

impl Weighed {
    fn of(set: &Set, body: Option<f64>) -> Weighed {
        let body = body.filter(|_| set.bodyweight);
        Weighed {
            body_kg: body,
            load_kg: Load::of(set, body).record_kg(),
            volume_kg: set_volume_kg(set, body),
        }
    }
}

/// Keeps `body_weights` in step with a weigh-in's change, and weighs again
/// the `@bw` sets whose body weight it may change: those from the earlier
/// of its old and new times up to the next weigh-in after the later one.
pub(super) fn refresh_body_weight(conn: &Connection, id: &str, body: &Value, deleted: bool) -> Result<()> {
    let old: Option<i64> = conn
        .prepare_cached("SELECT at_us FROM body_weights WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?;
    conn.prepare_cached("DELETE FROM body_weights WHERE id = ?1")?
        .execute([id])?;
    let new = if deleted {
        None
    } else {
        kinds::read::<BodyWeight>(id, body)
    };
    if let Some(weigh_in) = &new {
        insert_body_weight(conn, weigh_in)?;
    }
    let times = old.into_iter().chain(new.map(|w| micros(w.at)));
    let (Some(from), Some(latest)) = (times.clone().min(), times.max()) else {
        return Ok(());
    };
    let until: Option<i64> = conn
        .prepare_cached("SELECT min(at_us) FROM body_weights WHERE at_us > ?1")?
        .query_row([latest], |r| r.get(0))?;
    reweigh(conn, from, until.unwrap_or(i64::MAX))
}

fn insert_body_weight(conn: &Connection, weigh_in: &BodyWeight) -> Result<()> {
    conn.prepare_cached("INSERT INTO body_weights (id, at_us, kg) VALUES (?1, ?2, ?3)")?
        .execute(params![weigh_in.id, micros(weigh_in.at), weigh_in.weight_kg])?;
    Ok(())
}

/// Weighs again the `@bw` sets of workouts started in `[from, until)`.
fn reweigh(conn: &Connection, from: i64, until: i64) -> Result<()> {
    let sets: Vec<(i64, i64, i64, i64, Set)> = conn
        .prepare_cached(
            "SELECT workout, entry, number, at_us, reps, weight_kg, kind FROM sets
             WHERE bodyweight = 1 AND at_us >= ?1 AND at_us < ?2",
        )?
        .query_map([from, until], |r| {
            let set = Set {
                reps: r.get(4)?,
                weight_kg: r.get(5)?,
                bodyweight: true,
                kind: set_kind(&r.get::<_, String>(6)?),
                ..Set::default()
            };
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, set))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut update = conn.prepare_cached(
        "UPDATE sets SET body_kg = ?4, load_kg = ?5, volume_kg = ?6 WHERE workout = ?1 AND entry = ?2 AND number = ?3",
    )?;
    let mut reweighed = BTreeSet::new();
    for (workout, entry, number, at_us, set) in sets {
        let weighed = Weighed::of(&set, body_weight_at(conn, at_us)?);
        update.execute(params![
            workout,
            entry,
            number,
            weighed.body_kg,
            weighed.load_kg,
            weighed.volume_kg
        ])?;
        reweighed.insert(workout);
    }
    for workout in reweighed {
        refresh_sessions(conn, workout)?;
    }
    Ok(())
}

/// Makes both tables again from `records`: weigh-ins first, so every set is
/// weighed with the log as it stands.
pub(super) fn rebuild(conn: &Connection) -> Result<()> {
    conn.execute_batch(
        "DELETE FROM sets; DELETE FROM exercise_sessions; DELETE FROM set_workouts; DELETE FROM body_weights;",
    )?;
    for_each_live(conn, Kind::BodyWeight, &mut |id, body| {
        if let Some(weigh_in) = kinds::read::<BodyWeight>(id, body) {
            insert_body_weight(conn, &weigh_in)?;
        }
        Ok(())
    })?;
    for_each_live(conn, Kind::Workout, &mut |id, body| {
        refresh_workout(conn, id, body, false)
    })
}

fn for_each_live(conn: &Connection, kind: Kind, each: &mut dyn FnMut(&str, &Value) -> Result<()>) -> Result<()> {
    let mut stmt = conn.prepare("SELECT id, body FROM records WHERE kind = ?1 AND deleted = 0")?;
    let mut rows = stmt.query([kind.as_str()])?;
    while let Some(row) = rows.next()? {
        let id: String = row.get(0)?;
        let body: Value = serde_json::from_str(text(row, 1)?)?;
        each(&id, &body)?;
    }
    Ok(())
}

/// Every row of the derived tables as text, in a fixed order: what
/// [`differences`] compares. A workout is named by its id, not its key,
/// which a rebuild hands out afresh (a row whose key names no workout shows
/// with an empty id).
fn snapshot(conn: &Connection) -> Result<Vec<String>> {
    let mut all = Vec::new();
    for query in [
        "SELECT id, at_us, started_at, completed_at FROM set_workouts ORDER BY id",
        "SELECT w.id, s.entry, s.number, s.exercise, s.at_us, s.set_id, s.kind, s.class, s.reps, s.weight_kg, s.unit,
                s.bodyweight, s.body_kg, s.load_kg, s.rpe, s.duration_s, s.distance_m, s.distance_unit, s.volume_kg,
                s.notes
         FROM sets s LEFT JOIN set_workouts w ON w.key = s.workout ORDER BY w.id, s.entry, s.number",
        "SELECT w.id, e.exercise, e.at_us, e.volume_kg, e.workout_id, e.started_at, e.top_kg, e.top_entry, e.top_number, e.lifted_kg,
                e.e1rm_epley, e.epley_entry, e.epley_number, e.e1rm_brzycki, e.brzycki_entry, e.brzycki_number
         FROM exercise_sessions e LEFT JOIN set_workouts w ON w.key = e.workout ORDER BY w.id, e.exercise",
        "SELECT * FROM body_weights ORDER BY id",
    ] {
        let mut stmt = conn.prepare(query)?;
        let columns = stmt.column_count();
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let cells: Vec<String> = (0..columns)
                .map(|i| row.get_ref(i).map(|v| format!("{v:?}")))
                .collect::<rusqlite::Result<_>>()?;
            all.push(cells.join("|"));
        }
    }
    Ok(all)
}

/// How the derived tables differ from a rebuild from `records`: rows
/// present only in the tables as they are (`-`) or only in a rebuild
/// (`+`). Empty when they agree. The rebuild happens in a savepoint that
/// is rolled back, so nothing changes.
pub(super) fn differences(conn: &mut Connection) -> Result<Vec<String>> {
    let now = snapshot(conn)?;
    let tx = conn.savepoint()?;
    rebuild(&tx)?;
    let rebuilt = snapshot(&tx)?;
    drop(tx);
    let only_now = now.iter().filter(|r| !rebuilt.contains(r)).map(|r| format!("- {r}"));
    let only_rebuilt = rebuilt.iter().filter(|r| !now.contains(r)).map(|r| format!("+ {r}"));
    Ok(only_now.chain(only_rebuilt).collect())
}

/// Reads [`SET_COLUMNS`] into slim workouts: what the analytics need of a
/// workout, without its name, notes or plan (a set keeps its notes). Each
/// exercise's rows come in set order; a workout's exercises may come apart
/// (one under two spellings, read exercise by exercise) and are put back in
/// the workout's order.
pub(super) fn read_workouts(rows: &mut rusqlite::Rows) -> Result<Vec<Workout>> {
    let mut workouts: Vec<(Workout, BTreeMap<i64, ExerciseEntry>)> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    while let Some(r) = rows.next()? {
        let id = text(r, 0)?;
        let at = match index.get(id) {
            Some(&at) => at,
            None => {
                let started_at: String = r.get(3)?;
                let completed_at: Option<String> = r.get(4)?;
                workouts.push((
                    Workout {
                        id: id.to_string(),
                        name: String::new(),
                        started_at: parse_time(&started_at)?,
                        completed_at: completed_at.as_deref().map(parse_time).transpose()?,
                        notes: String::new(),
                        exercises: Vec::new(),
                        plan: Vec::new(),
                        imported: None,
                    },
                    BTreeMap::new(),
                ));
                index.insert(id.to_string(), workouts.len() - 1);
                workouts.len() - 1
            }
        };
        let entries = &mut workouts[at].1;
        let entry = entries.entry(r.get(1)?);
        let entry = match entry {
            std::collections::btree_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::btree_map::Entry::Vacant(e) => e.insert(ExerciseEntry {
                name: r.get(2)?,
                ..ExerciseEntry::default()
            }),
        };
        entry.sets.push(Set {
            id: r.get(5)?,
            kind: set_kind(text(r, 6)?),
            reps: r.get(7)?,
            weight_kg: r.get(8)?,
            unit: serde_json::from_value(Value::String(r.get(9)?)).unwrap_or_default(),
            bodyweight: r.get(10)?,
            rpe: r.get(11)?,
            duration_s: r.get(12)?,
            distance_m: r.get(13)?,
            distance_unit: r.get::<_, Option<String>>(14)?.as_deref().and_then(distance_unit),
            notes: r.get(15)?,
        });
    }
    Ok(workouts
        .into_iter()
        .map(|(mut workout, entries)| {
            workout.exercises = entries.into_values().collect();
            workout
        })
        .collect())
}

/// Text as serde writes it in the records, so a read-back workout holds the
/// same instant to the nanosecond.
fn time_text(at: &DateTime<Utc>) -> Result<String> {
    Ok(serde_json::to_value(at)?.as_str().unwrap_or_default().to_string())
}

fn parse_time(text: &str) -> Result<DateTime<Utc>> {
    Ok(serde_json::from_value(Value::String(text.to_string()))?)
}

fn class_name(class: SetClass) -> &'static str {
    match class {
        SetClass::Weighted => "weighted",
        SetClass::Bodyweight => "bodyweight",
        SetClass::Timed => "timed",
        SetClass::Distance => "distance",
    }
}

/// A kind column back as the model's kind, by the model's own names.
fn set_kind(text: &str) -> SetKind {
    serde_json::from_value(Value::String(text.to_string())).unwrap_or_default()
}

fn distance_unit(text: &str) -> Option<DistanceUnit> {
    serde_json::from_value(Value::String(text.to_string())).ok()
}

/// One session of one exercise as [`Store::each_progress_session`] reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredSession {
    /// The workout.
    pub workout_id: String,
    /// When it started.
    pub started_at: DateTime<Utc>,
    /// The session's value, when it has one.
    pub value_kg: Option<f64>,
    /// Where the set that made the value is in the workout (entry, number);
    /// none for volume.
    pub set_at: Option<(i64, i64)>,
}

/// Which sets [`Store::set_workouts`] reads.
#[derive(Debug, Default, Clone)]
pub struct SetQuery<'a> {
    /// Only sets of exercises stored under one of these names (all when `None`).
    pub exercises: Option<&'a [String]>,
    /// Only sets of workouts started at or after this.
    pub since: Option<DateTime<Utc>>,
    /// Only sets of these workouts (all when `None`).
    pub workouts: Option<&'a [String]>,
}

impl Store {
    /// The live workouts as the set table holds them, newest first: each
    /// with its start and finish and the sets `query` asks for, grouped by
    /// exercise as the workout lists them, without the workout's name, notes or plan
    /// (see [`read_workouts`]). What the analytics read instead of decoding
    /// every workout's JSON. A workout without a set is not among them.
    pub fn set_workouts(&self, query: &SetQuery) -> Result<Vec<Workout>> {
        // One statement per shape, each walking an index (or the table) in
        // its own order: a condition like `?1 IS NULL OR ...` would hide the
        // indexes from SQLite, and having SQLite sort the rows costs more
        // than reading them; the workouts are put in order afterwards.
        let names = query.exercises.map(serde_json::to_string).transpose()?;
        let ids = query.workouts.map(serde_json::to_string).transpose()?;
        let since = query.since.map(micros);
        let mut values: Vec<&dyn rusqlite::ToSql> = Vec::new();
        let mut conditions = Vec::new();
        let mut order = "s.workout, s.entry, s.number";
        if let Some(since) = &since {
            values.push(since);
            conditions.push(format!("w.at_us >= ?{}", values.len()));
            order = "w.at_us, w.key, s.entry, s.number";
        }
        if let Some(names) = &names {
            values.push(names);
            conditions.push(format!(
                "s.exercise IN (SELECT value FROM json_each(?{}))",
                values.len()
            ));
            order = "s.exercise, s.at_us, s.workout, s.entry, s.number";
        }
        if let Some(ids) = &ids {
            values.push(ids);
            conditions.push(format!("w.id IN (SELECT value FROM json_each(?{}))", values.len()));
            order = "s.workout, s.entry, s.number";
        }
        let condition = if conditions.is_empty() {
            "1".to_string()
        } else {
            conditions.join(" AND ")
        };
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {SET_COLUMNS} FROM {SET_SOURCE} WHERE {condition} ORDER BY {order}"
        ))?;
        let mut rows = stmt.query(values.as_slice())?;
        let mut workouts = read_workouts(&mut rows)?;
        workouts.sort_by(|a, b| b.started_at.cmp(&a.started_at).then_with(|| b.id.cmp(&a.id)));
        Ok(workouts)
    }

    /// The few sets that can hold a personal record of each group of
    /// `spellings` (the names stored for one exercise), as slim workouts
    /// like [`Store::set_workouts`]'s, newest first. The analytics compute
    /// from them exactly the records they compute from every set: each
    /// record is the best of some measure, the earlier set winning a tie
    /// (or the one with more reps), so only the earliest set at each value
    /// within [`CANDIDATE_MARGIN`] of the best can hold it, and the indexes
    /// of [`RECORDS_SCHEMA`] find those with a few seeks, at any length of
    /// history. Read for each spelling: the heaviest load at each rep count
    /// (heaviest, rep maxes, e1RM, set volume), the most reps
    /// and the most added weight of bodyweight sets, every timed and
    /// distance set (a hold or a run is one set a session), and the newest
    /// workout's sets (which name the exercise in `pr`'s overview); and
    /// every set of the group in the sessions of most volume, and in the
    /// workouts holding two of its spellings (whose sessions add up).
    pub fn record_candidates(&self, groups: &[Vec<String>]) -> Result<Vec<Workout>> {
        let mut keys = BTreeSet::new();
        let mut sessions = BTreeSet::new();
        for group in groups {
            let names = serde_json::to_string(group)?;
            for exercise in group {
                // At each rep count: the heaviest load (heaviest, rep maxes,
                // e1RM and, reps being equal, set volume), and the most
                // weight added to an `@bw` set (that record, and the set
                // volume of an `@bw` set while no body weight is known).
                for (scope, value) in [
                    (WEIGHTED_SCOPE, "load_kg"),
                    (BODYWEIGHT_SCOPE, "load_kg"),
                    (ADDED_SCOPE, "weight_kg"),
                ] {
                    for reps in self.rep_counts(scope, exercise)? {
                        let at_reps = format!("{scope} AND reps = ?2");
                        self.earliest_best(&mut keys, "sets", &at_reps, params![exercise, reps], value)?;
                    }
                }
                self.earliest_best(&mut keys, "sets", BODYWEIGHT_SCOPE, params![exercise], "reps")?;
                self.earliest_best(
                    &mut sessions,
                    "exercise_sessions",
                    "exercise = ?1",
                    params![exercise],
                    "volume_kg",
                )?;
                let mut stmt = self.conn.prepare_cached(
                    "SELECT workout, entry, number FROM sets
                     WHERE exercise = ?1 AND kind <> 'warmup' AND class IN ('timed', 'distance')
                     UNION ALL
                     SELECT workout, entry, number FROM sets WHERE +exercise = ?1 AND workout IN (
                         SELECT workout FROM sets
                         WHERE exercise = ?1 AND at_us = (SELECT max(at_us) FROM sets WHERE exercise = ?1))",
                )?;
                keys.extend(stmt.query_map([exercise], key)?.collect::<rusqlite::Result<Vec<_>>>()?);
            }
            if group.len() > 1 {
                let mut stmt = self.conn.prepare_cached(
                    "SELECT workout, 0, 0 FROM exercise_sessions WHERE exercise IN (SELECT value FROM json_each(?1))
                     GROUP BY workout HAVING count(*) > 1",
                )?;
                sessions.extend(stmt.query_map([&names], key)?.collect::<rusqlite::Result<Vec<_>>>()?);
            }
            let mut stmt = self.conn.prepare_cached(
                "SELECT workout, entry, number FROM sets
                 WHERE workout = ?1 AND exercise IN (SELECT value FROM json_each(?2))",
            )?;
            for (workout, ..) in std::mem::take(&mut sessions) {
                keys.extend(
                    stmt.query_map(params![workout, names], key)?
                        .collect::<rusqlite::Result<Vec<_>>>()?,
                );
            }
        }
        self.sets_found(
            "(s.workout, s.entry, s.number)",
            &serde_json::to_string(&keys.into_iter().collect::<Vec<_>>())?,
        )
    }

    /// The sets at `places` (workout id, entry, number) as slim workouts like
    /// [`Store::set_workouts`]'s, newest first.
    pub fn sets_at(&self, places: &[(String, i64, i64)]) -> Result<Vec<Workout>> {
        self.sets_found("(w.id, s.entry, s.number)", &serde_json::to_string(places)?)
    }

    /// The sets whose `place` (three columns) is one of `places`, a JSON
    /// array of triples, as slim workouts, newest first.
    fn sets_found(&self, place: &str, places: &str) -> Result<Vec<Workout>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {SET_COLUMNS} FROM {SET_SOURCE} WHERE {place} IN (
                 SELECT value ->> 0, value ->> 1, value ->> 2 FROM json_each(?1))
             ORDER BY s.workout, s.entry, s.number"
        ))?;
        let mut rows = stmt.query([places])?;
        let mut workouts = read_workouts(&mut rows)?;
        workouts.sort_by(|a, b| b.started_at.cmp(&a.started_at).then_with(|| b.id.cmp(&a.id)));
        Ok(workouts)
    }

    /// Each session of the exercises stored as `spellings` with its value of
    /// `metric` by `formula` ([`PROGRESS_SCHEMA`]), one at a time, oldest
    /// first (ties by workout id): one row per session, so a chart costs the
    /// sessions it shows, never all their sets, and never holds them. A
    /// workout holding two of the spellings has a row for each, next to each
    /// other.
    pub fn each_progress_session(
        &self,
        spellings: &[String],
        (metric, formula): (Metric, Formula),
        each: &mut dyn FnMut(StoredSession) -> Result<()>,
    ) -> Result<()> {
        let columns = match (metric, formula) {
            (Metric::TopSet, _) => "top_kg, top_entry, top_number",
            (Metric::Volume, _) => "lifted_kg, NULL, NULL",
            (Metric::E1rm, Formula::Epley) => "e1rm_epley, epley_entry, epley_number",
            (Metric::E1rm, Formula::Brzycki) => "e1rm_brzycki, brzycki_entry, brzycki_number",
        };
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT workout_id, started_at, {columns} FROM exercise_sessions
             WHERE exercise IN (SELECT value FROM json_each(?1)) ORDER BY at_us, workout_id"
        ))?;
        let mut rows = stmt.query([serde_json::to_string(spellings)?])?;
        while let Some(r) = rows.next()? {
            let place: (Option<i64>, Option<i64>) = (r.get(3)?, r.get(4)?);
            each(StoredSession {
                workout_id: r.get(0)?,
                started_at: parse_time(text(r, 1)?)?,
                value_kg: r.get(2)?,
                set_at: place.0.zip(place.1),
            })?;
        }
        Ok(())
    }

    /// The distinct rep counts of the sets within `scope` (a condition over
    /// `?1`, the exercise), one index seek each.
    fn rep_counts(&self, scope: &str, exercise: &str) -> Result<Vec<i64>> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!("SELECT min(reps) FROM sets WHERE {scope} AND reps > ?2"))?;
        let mut counts = Vec::new();
        let mut after = i64::MIN;
        while let Some(reps) = stmt.query_row(params![exercise, after], |r| r.get::<_, Option<i64>>(0))? {
            counts.push(reps);
            after = reps;
        }
        Ok(counts)
    }

    /// Adds to `keys` the rows of `table` within `scope` (a condition over
    /// `args`) that can hold the record of the best `value`: at each value
    /// within [`CANDIDATE_MARGIN`] of the best, the earliest row (and, when
    /// several workouts started at its time, every row of that time: more
    /// candidates than needed change no record). Each step is one seek in
    /// an index that orders the scope by value, then time.
    fn earliest_best(
        &self,
        keys: &mut BTreeSet<SetKey>,
        table: &str,
        scope: &str,
        args: &[&dyn rusqlite::ToSql],
        value: &str,
    ) -> Result<()> {
        let (at, best) = (args.len() + 1, args.len() + 2);
        let columns = if table == "sets" {
            "workout, entry, number"
        } else {
            "workout, 0, 0"
        };
        let top: Option<f64> = self
            .conn
            .prepare_cached(&format!("SELECT max({value}) FROM {table} WHERE {scope}"))?
            .query_row(args, |r| r.get(0))?;
        let Some(top) = top else { return Ok(()) };
        let mut current = Some(top);
        while let Some(here) = current {
            let at_value = joined(args, &[&here]);
            let (earliest, at_us) = self
                .conn
                .prepare_cached(&format!(
                    "SELECT {columns}, at_us FROM {table} WHERE {scope} AND {value} = ?{at}
                     ORDER BY at_us, workout LIMIT 1"
                ))?
                .query_row(at_value.as_slice(), |r| Ok((key(r)?, r.get::<_, i64>(3)?)))?;
            keys.insert(earliest);
            // Workouts that started at the same instant are ordered by key
            // here, not by id as the analytics order them: then each of
            // their rows at this value is a candidate (rare, and a scan of
            // the scope's rows at this value).
            let shared: bool = self
                .conn
                .prepare_cached("SELECT count(*) > 1 FROM set_workouts WHERE at_us = ?1")?
                .query_row([at_us], |r| r.get(0))?;
            if shared {
                let mut stmt = self.conn.prepare_cached(&format!(
                    "SELECT {columns} FROM {table} WHERE {scope} AND {value} = ?{at} AND at_us = ?{best}"
                ))?;
                let tied = stmt.query_map(joined(args, &[&here, &at_us]).as_slice(), key)?;
                keys.extend(tied.collect::<rusqlite::Result<Vec<_>>>()?);
            }
            current = self
                .conn
                .prepare_cached(&format!(
                    "SELECT max({value}) FROM {table} WHERE {scope} AND {value} < ?{at} AND {value} >= ?{best}"
                ))?
                .query_row(joined(args, &[&here, &(top - CANDIDATE_MARGIN)]).as_slice(), |r| {
                    r.get(0)
                })?;
        }
        Ok(())
    }

    /// When each live workout with a working set started (the sessions a
    /// weekly streak counts), in no particular order, to the microsecond.
    pub fn session_starts(&self) -> Result<Vec<DateTime<Utc>>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT DISTINCT at_us FROM set_workouts w
                 WHERE EXISTS (SELECT 1 FROM exercise_sessions e WHERE e.workout = w.key)",
        )?;
        let starts = stmt
            .query_map([], |r| r.get::<_, i64>(0))?
            .map(|at| Ok(DateTime::from_timestamp_micros(at?).unwrap_or_default()))
            .collect::<Result<_>>()?;
        Ok(starts)
    }

    /// Every distinct exercise name that has a set in a live workout, as
    /// stored. The index is walked from one name to the next, one seek per
    /// name, so a TAB costs the same at any length of history.
    pub fn exercises_with_sets(&self) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare_cached(
            "WITH RECURSIVE names (name) AS (
                 SELECT min(exercise) FROM sets
                 UNION ALL
                 SELECT (SELECT min(exercise) FROM sets WHERE exercise > names.name) FROM names WHERE name IS NOT NULL
             )
             SELECT name FROM names WHERE name IS NOT NULL",
        )?;
        let names = stmt
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(names)
    }

    /// How the set table differs from a rebuild from the records: empty
    /// when it is right (`pump doctor`, and the simulation after every case).
    pub fn set_table_differences(&mut self) -> Result<Vec<String>> {
        differences(&mut self.conn)
    }

    /// Makes the set table again from the records, in one transaction
    /// (`pump doctor --rebuild`). Returns how many sets it holds.
    pub fn rebuild_set_table(&mut self) -> Result<u64> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        rebuild(&tx)?;
        let count: i64 = tx.query_row("SELECT count(*) FROM sets", [], |r| r.get(0))?;
        tx.commit()?;
        Ok(count as u64)
    }
}

/// The derived tables' secondary indexes, dropped for a bulk load (an
/// import or a restore) that starts on an empty set table and made again
/// before it commits: building an index from the finished table sorts once,
/// where inserting tens of sets per workout into seven indexes row by row
/// costs more than writing the workouts themselves. Dropped and made again
/// inside the load's transaction, so a failed or killed load leaves them as
/// they were. Lookups by workout go through the primary key and keep working.
pub(super) struct DeferredIndexes(Vec<String>);

/// The indexes kept row by row during a bulk load: those of `@bw` sets
/// alone (most histories hold few such sets, and building an index at the
/// end reads the whole set table however few rows it holds: a tenth of a
/// second per index at 50,000 workouts, for an import without one), and
/// the one every write finds a workout's sessions by.
const KEPT_DURING_LOADS: [&str; 4] = [
    "sets_bodyweight",
    "sets_most_reps",
    "sets_added",
    // How a workout's sessions are found to be replaced, on every write.
    "exercise_sessions_workout",
];

impl DeferredIndexes {
    /// Drops the indexes when the set table is empty; `None` when it is not
    /// (a load into a long history would rebuild more than it saves).
    pub(super) fn drop_if_empty(conn: &Connection) -> Result<Option<DeferredIndexes>> {
        if conn.query_row("SELECT EXISTS (SELECT 1 FROM sets)", [], |r| r.get::<_, bool>(0))? {
            return Ok(None);
        }
        let indexes: Vec<(String, String)> = conn
            .prepare(
                "SELECT name, sql FROM sqlite_master
                 WHERE type = 'index' AND tbl_name IN ('sets', 'exercise_sessions') AND sql IS NOT NULL
                 AND name NOT IN (SELECT value FROM json_each(?1))",
            )?
            .query_map([serde_json::to_string(&KEPT_DURING_LOADS)?], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut definitions = Vec::with_capacity(indexes.len());
        for (name, sql) in indexes {
            conn.execute_batch(&format!("DROP INDEX \"{name}\""))?;
            definitions.push(sql);
        }
        Ok(Some(DeferredIndexes(definitions)))
    }

    /// Makes the dropped indexes again, from the definitions they had.
    pub(super) fn restore(self, conn: &Connection) -> Result<()> {
        for sql in self.0 {
            conn.execute_batch(&sql)?;
        }
        Ok(())
    }

    /// [`DeferredIndexes::drop_if_empty`] for a load spread over several
    /// transactions (a first pull, a page per round): the definitions are
    /// noted in `meta` in the transaction that drops the indexes, so that
    /// [`DeferredIndexes::restore_noted`] makes them again after the last
    /// round, or on the next open if the process died before it. Does
    /// nothing while indexes are already noted. Returns whether it dropped them.
    pub(super) fn drop_until_noted_restore(conn: &Connection) -> Result<bool> {
        if meta::get(conn, Key::DeferredIndexes)?.is_some() {
            return Ok(false);
        }
        let Some(deferred) = DeferredIndexes::drop_if_empty(conn)? else {
            return Ok(false);
        };
        meta::set(conn, Key::DeferredIndexes, &serde_json::to_string(&deferred.0)?)?;
        Ok(true)
    }

    /// Makes again, in one transaction of its own, the indexes
    /// [`DeferredIndexes::drop_until_noted_restore`] noted, if any, and
    /// forgets the note. Without a note (every open but one after a killed
    /// first pull) it costs one lookup.
    pub(super) fn restore_noted(conn: &mut Connection) -> Result<()> {
        if meta::get(conn, Key::DeferredIndexes)?.is_none() {
            return Ok(());
        }
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        // Read again under the write lock: another pump may have made them.
        if let Some(noted) = meta::get(&tx, Key::DeferredIndexes)? {
            let definitions: Vec<String> = serde_json::from_str(&noted)?;
            DeferredIndexes(definitions).restore(&tx)?;
            meta::remove(&tx, Key::DeferredIndexes)?;
        }
        Ok(tx.commit()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Unit, parse_sets};
    use crate::store::Change;

    fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("pump.db")).unwrap();
        (dir, store)
    }

    fn workout(sets: &str) -> Workout {
        let mut workout = Workout::new("Push".into(), Utc::now());
        workout.add_sets("Bench Press", parse_sets(sets, Unit::Kg).unwrap());
        workout
    }

    fn rows(store: &Store) -> i64 {
        store
            .conn
            .query_row("SELECT count(*) FROM sets", [], |r| r.get(0))
            .unwrap()
    }

    #[test]
    fn a_newer_pumps_fields_are_read_past_and_a_shape_it_cannot_read_is_left_out() {
        let (_dir, store) = store();
        let mut body = serde_json::to_value(workout("5@100kg, 3@110kg")).unwrap();
        body["mood"] = serde_json::json!("great");
        body["exercises"][0]["tempo"] = serde_json::json!("3-1-1");
        let id = body["id"].as_str().unwrap().to_string();
        refresh_workout(&store.conn, &id, &body, false).unwrap();
        assert_eq!(rows(&store), 2, "unknown fields do not hide the sets");
        body["exercises"] = serde_json::json!("a shape from the future");
        refresh_workout(&store.conn, &id, &body, false).unwrap();
        assert_eq!(rows(&store), 0, "an unreadable version leaves no stale rows behind");
        refresh_body_weight(
            &store.conn,
            "2026-01-01",
            &serde_json::json!({"weight": "heavy"}),
            false,
        )
        .unwrap();
    }

    #[test]
    fn read_back_workouts_keep_each_set_as_written() {
        let (_dir, mut store) = store();
        let mut written = workout("w5@60kg, 5@100kg/8, 8@bw+10kg, 60s, 5km in 25min, 3@50lb");
        written.add_sets("Squat", parse_sets("3x5@140kg", Unit::Kg).unwrap());
        written.exercises[0].sets[1].notes = "paused".into();
        written.completed_at = Some(written.started_at + chrono::Duration::minutes(50));
        let id = written.id.clone();
        store.write(&id, |_| Ok(Some(Change::put(written.clone())))).unwrap();
        let read = store.set_workouts(&SetQuery::default()).unwrap();
        assert_eq!(read.len(), 1);
        assert_eq!(read[0].started_at, written.started_at);
        assert_eq!(read[0].completed_at, written.completed_at);
        let names: Vec<&str> = read[0].exercises.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["Bench Press", "Squat"]);
        for (back, original) in read[0].exercises.iter().zip(&written.exercises) {
            assert_eq!(back.sets, original.sets);
        }
        let squat = ["Squat".to_string()];
        let only = SetQuery {
            exercises: Some(&squat),
            ..SetQuery::default()
        };
        assert_eq!(store.set_workouts(&only).unwrap()[0].exercises.len(), 1);
        assert_eq!(store.exercises_with_sets().unwrap(), ["Bench Press", "Squat"]);
        assert!(store.set_table_differences().unwrap().is_empty());
    }

    #[test]
    fn a_workout_holding_two_spellings_reads_back_as_one() {
        let (_dir, mut store) = store();
        for day in 0..2 {
            let mut written = workout("5@100kg");
            written.started_at += chrono::Duration::days(day);
            written.add_sets("Bench Press (Barbell)", parse_sets("3@110kg", Unit::Kg).unwrap());
            let id = written.id.clone();
            store.write(&id, |_| Ok(Some(Change::put(written)))).unwrap();
        }
        let spellings = ["Bench Press".to_string(), "Bench Press (Barbell)".to_string()];
        let read = store
            .set_workouts(&SetQuery {
                exercises: Some(&spellings),
                ..SetQuery::default()
            })
            .unwrap();
        assert_eq!(read.len(), 2, "each workout once, newest first");
        assert!(read[0].started_at > read[1].started_at);
        for workout in &read {
            let names: Vec<&str> = workout.exercises.iter().map(|e| e.name.as_str()).collect();
            assert_eq!(names, spellings, "in the workout's order");
        }
    }
}
