//! The merge's rules, one test each, and properties over random edits.

use super::*;
use serde_json::json;

fn live(body: &Value) -> Version<'_> {
    Version { body, deleted: false }
}

fn gone(body: &Value) -> Version<'_> {
    Version { body, deleted: true }
}

fn set(id: &str, reps: u32, weight_kg: f64) -> Value {
    json!({"id": id, "reps": reps, "weight_kg": weight_kg, "unit": "kg", "rpe": null, "kind": "working"})
}

/// Push day as last synced: bench press 2×5 @ 100, overhead press 1×8 @ 50.
fn push_day() -> Value {
    json!({
        "id": "0195a000-0000-7000-8000-000000000001",
        "name": "Push day",
        "started_at": "2025-03-01T07:00:00Z",
        "completed_at": null,
        "notes": "",
        "exercises": [
            {"id": "e-bench", "name": "bench press", "sets": [set("s1", 5, 100.0), set("s2", 5, 100.0)]},
            {"id": "e-ohp", "name": "overhead press", "sets": [set("s3", 8, 50.0)]},
        ],
    })
}

fn sets(workout: &mut Value, exercise: usize) -> &mut Vec<Value> {
    workout["exercises"][exercise]["sets"]
        .as_array_mut()
        .expect("sets is an array")
}

fn set_ids(workout: &Value, exercise: usize) -> Vec<&str> {
    workout["exercises"][exercise]["sets"]
        .as_array()
        .expect("sets is an array")
        .iter()
        .map(|s| s["id"].as_str().expect("set id"))
        .collect()
}

fn mirrored(c: &Conflict) -> Conflict {
    Conflict {
        mine: c.theirs.clone(),
        theirs: c.mine.clone(),
        ..c.clone()
    }
}

/// Merges both ways, checks the results mirror each other, returns mine-first.
fn merge_both_ways(base: Option<&Value>, mine: &Value, theirs: &Value) -> Merged {
    let ab = merge(base.map(live), live(mine), live(theirs));
    let ba = merge(base.map(live), live(theirs), live(mine));
    assert_eq!(ba.conflicts, ab.conflicts.iter().map(mirrored).collect::<Vec<_>>());
    if ab.conflicts.is_empty() {
        assert_eq!(ab.body, ba.body);
    }
    ab
}

#[test]
fn rename_on_one_side_and_set_added_on_the_other_both_survive() {
    let base = push_day();
    let mut mine = base.clone();
    mine["name"] = json!("Push day (heavy)");
    let mut theirs = base.clone();
    sets(&mut theirs, 0).push(set("s4", 3, 105.0));

    let merged = merge_both_ways(Some(&base), &mine, &theirs);
    assert!(merged.conflicts.is_empty());
    assert!(!merged.deleted);
    let mut expected = theirs.clone();
    expected["name"] = json!("Push day (heavy)");
    assert_eq!(merged.body, expected);
    // Still a valid workout.
    let workout: crate::model::Workout = serde_json::from_value(merged.body).expect("a workout");
    assert_eq!(workout.set_count(), 4);
}

#[test]
fn same_weight_changed_differently_is_one_conflict_at_the_set() {
    let base = push_day();
    let mut mine = base.clone();
    sets(&mut mine, 0)[1]["weight_kg"] = json!(102.5);
    let mut theirs = base.clone();
    sets(&mut theirs, 0)[1]["weight_kg"] = json!(105.0);
    theirs["notes"] = json!("felt strong");

    let merged = merge_both_ways(Some(&base), &mine, &theirs);
    assert_eq!(merged.conflicts.len(), 1);
    let c = &merged.conflicts[0];
    assert_eq!(c.path.to_string(), "bench press › set 2 › weight_kg");
    assert_eq!(
        (c.base.clone(), c.mine.clone(), c.theirs.clone()),
        (Some(json!(100.0)), Some(json!(102.5)), Some(json!(105.0)))
    );
    // While held, the local row keeps mine, and takes the rest from theirs.
    assert_eq!(sets(&mut merged.body.clone(), 0)[1]["weight_kg"], json!(102.5));
    assert_eq!(merged.body["notes"], json!("felt strong"));

    let (body, deleted) = resolve(Some(live(&base)), live(&mine), live(&theirs), &[Side::Theirs]);
    assert_eq!(body, theirs);
    assert!(!deleted);
}

#[test]
fn changing_a_field_identically_on_both_sides_is_no_conflict() {
    let base = push_day();
    let mut mine = base.clone();
    sets(&mut mine, 0)[0]["reps"] = json!(6);
    let theirs = mine.clone();
    let merged = merge_both_ways(Some(&base), &mine, &theirs);
    assert!(merged.conflicts.is_empty());
    assert_eq!(merged.body, mine);
}

#[test]
fn sets_added_on_both_sides_are_kept_in_creation_order_either_way() {
    let base = push_day();
    let mut mine = base.clone();
    sets(&mut mine, 0).push(set("s5-mine-later", 3, 105.0));
    let mut theirs = base.clone();
    sets(&mut theirs, 0).push(set("s4-theirs-first", 3, 107.5));
    sets(&mut theirs, 0).push(set("s6-theirs-last", 1, 110.0));

    let merged = merge_both_ways(Some(&base), &mine, &theirs);
    assert!(merged.conflicts.is_empty());
    assert_eq!(
        set_ids(&merged.body, 0),
        ["s1", "s2", "s4-theirs-first", "s5-mine-later", "s6-theirs-last"]
    );
}

#[test]
fn a_set_inserted_first_stays_first() {
    let base = push_day();
    let mut mine = base.clone();
    // A warm-up logged after the fact: its id sorts last, its place is first.
    sets(&mut mine, 0).insert(0, set("s9-warmup", 10, 60.0));
    let mut theirs = base.clone();
    sets(&mut theirs, 0).push(set("s4", 3, 105.0));

    let merged = merge_both_ways(Some(&base), &mine, &theirs);
    assert_eq!(set_ids(&merged.body, 0), ["s9-warmup", "s1", "s2", "s4"]);
}

#[test]
fn a_reorder_on_one_side_survives_an_edit_on_the_other() {
    let base = push_day();
    let mut mine = base.clone();
    mine["exercises"].as_array_mut().expect("exercises").reverse();
    let mut theirs = base.clone();
    sets(&mut theirs, 1).push(set("s4", 8, 50.0));

    let merged = merge_both_ways(Some(&base), &mine, &theirs);
    assert!(merged.conflicts.is_empty());
    assert_eq!(merged.body["exercises"][0]["name"], json!("overhead press"));
    assert_eq!(set_ids(&merged.body, 0), ["s3", "s4"]);
}

#[test]
fn a_set_removed_on_one_side_and_untouched_on_the_other_is_removed() {
    let base = push_day();
    let mut mine = base.clone();
    sets(&mut mine, 0).remove(1);
    let mut theirs = base.clone();
    theirs["name"] = json!("Push");
    sets(&mut theirs, 1)[0]["reps"] = json!(9);

    let merged = merge_both_ways(Some(&base), &mine, &theirs);
    assert!(merged.conflicts.is_empty());
    assert_eq!(set_ids(&merged.body, 0), ["s1"]);
    assert_eq!(merged.body["name"], json!("Push"));
    assert_eq!(merged.body["exercises"][1]["sets"][0]["reps"], json!(9));
}

#[test]
fn a_set_removed_on_both_sides_is_removed() {
    let base = push_day();
    let mut mine = base.clone();
    sets(&mut mine, 0).remove(0);
    let mut theirs = base.clone();
    sets(&mut theirs, 0).remove(0);
    sets(&mut theirs, 0).push(set("s4", 5, 100.0));
    let merged = merge_both_ways(Some(&base), &mine, &theirs);
    assert!(merged.conflicts.is_empty());
    assert_eq!(set_ids(&merged.body, 0), ["s2", "s4"]);
}

#[test]
fn a_set_removed_on_one_side_and_edited_on_the_other_is_a_conflict() {
    let base = push_day();
    let mut mine = base.clone();
    sets(&mut mine, 0).remove(1);
    let mut theirs = base.clone();
    sets(&mut theirs, 0)[1]["reps"] = json!(4);

    let merged = merge_both_ways(Some(&base), &mine, &theirs);
    assert_eq!(merged.conflicts.len(), 1);
    let c = &merged.conflicts[0];
    assert_eq!(c.path.to_string(), "bench press › set 2");
    assert_eq!(c.base, Some(set("s2", 5, 100.0)));
    assert_eq!(c.mine, None);
    assert_eq!(c.theirs, Some(theirs["exercises"][0]["sets"][1].clone()));
    assert_eq!(set_ids(&merged.body, 0), ["s1"]);

    let (body, _) = resolve(Some(live(&base)), live(&mine), live(&theirs), &[Side::Theirs]);
    assert_eq!(body, theirs);
}

#[test]
fn a_key_added_on_one_side_merges_with_an_edit_of_the_same_set() {
    let base = push_day();
    let mut mine = base.clone();
    sets(&mut mine, 0)[0]["duration_s"] = json!(40);
    let mut theirs = base.clone();
    sets(&mut theirs, 0)[0]["reps"] = json!(6);
    let merged = merge_both_ways(Some(&base), &mine, &theirs);
    assert!(merged.conflicts.is_empty());
    assert_eq!(merged.body["exercises"][0]["sets"][0]["duration_s"], json!(40));
    assert_eq!(merged.body["exercises"][0]["sets"][0]["reps"], json!(6));
}

#[test]
fn notes_written_on_both_sides_merge_as_text_with_the_rest() {
    let base = push_day();
    let mut mine = base.clone();
    mine["notes"] = json!("felt tired");
    let mut theirs = base.clone();
    theirs["notes"] = json!("reviewed");
    sets(&mut theirs, 0)[0]["reps"] = json!(6);

    let merged = merge_both_ways(Some(&base), &mine, &theirs);
    assert!(merged.conflicts.is_empty());
    assert_eq!(merged.body["notes"], json!("felt tired\nreviewed"));
    assert_eq!(merged.body["exercises"][0]["sets"][0]["reps"], json!(6));
}

#[test]
fn the_same_words_of_a_note_changed_differently_are_one_text_conflict() {
    let mut base = push_day();
    base["notes"] = json!("felt tired\nsleep 6h");
    let mut mine = base.clone();
    mine["notes"] = json!("felt great\nsleep 6h");
    let mut theirs = base.clone();
    theirs["notes"] = json!("felt awful\nsleep 6h\nreviewed");

    let merged = merge_both_ways(Some(&base), &mine, &theirs);
    assert_eq!(merged.conflicts.len(), 1);
    let c = &merged.conflicts[0];
    assert!(c.path.is_text());
    assert_eq!(
        (&c.base, &c.mine, &c.theirs),
        (
            &Some(base["notes"].clone()),
            &Some(mine["notes"].clone()),
            &Some(theirs["notes"].clone())
        )
    );
    assert_eq!(merged.body["notes"], mine["notes"]);
    let (body, _) = resolve(Some(live(&base)), live(&mine), live(&theirs), &[Side::Theirs]);
    assert_eq!(body, theirs);
}

#[test]
fn a_note_key_anywhere_merges_as_text_and_absent_from_base_is_empty() {
    let base = push_day();
    let mut mine = base.clone();
    sets(&mut mine, 0)[1]["notes"] = json!("grip slipped");
    let mut theirs = base.clone();
    sets(&mut theirs, 0)[1]["notes"] = json!("belt on");
    let merged = merge_both_ways(Some(&base), &mine, &theirs);
    assert!(merged.conflicts.is_empty());
    assert_eq!(
        merged.body["exercises"][0]["sets"][1]["notes"],
        json!("belt on\ngrip slipped")
    );
    // Without a base the texts share no history; other strings stay atomic.
    assert_eq!(merge_both_ways(None, &mine, &theirs).conflicts.len(), 1);
    let (mut heavy, mut light) = (base.clone(), base.clone());
    heavy["name"] = json!("Push day\nheavy");
    light["name"] = json!("Push day\nlight");
    assert_eq!(merge_both_ways(Some(&base), &heavy, &light).conflicts.len(), 1);
}

#[test]
fn edit_against_delete_is_a_conflict_in_both_directions() {
    let base = push_day();
    let mut edited = base.clone();
    edited["notes"] = json!("new PR");

    let merged = merge(Some(live(&base)), gone(&base), live(&edited));
    assert_eq!(merged.conflicts.len(), 1);
    let c = &merged.conflicts[0];
    assert_eq!(c.path.to_string(), "deleted");
    assert_eq!(
        (&c.base, &c.mine, &c.theirs),
        (&Some(base.clone()), &None, &Some(edited.clone()))
    );
    assert!(merged.deleted);
    assert_eq!(
        resolve(Some(live(&base)), gone(&base), live(&edited), &[Side::Theirs]),
        (edited.clone(), false)
    );

    let merged = merge(Some(live(&base)), live(&edited), gone(&base));
    assert_eq!(merged.conflicts, vec![mirrored(c)]);
    assert!(!merged.deleted);
    assert_eq!(merged.body, edited);
    assert_eq!(
        resolve(Some(live(&base)), live(&edited), gone(&base), &[Side::Theirs]),
        (base.clone(), true)
    );
}

#[test]
fn delete_against_untouched_or_delete_is_deleted() {
    let base = push_day();
    let mut edited = base.clone();
    edited["notes"] = json!("new PR");
    for (mine, theirs) in [
        (gone(&base), live(&base)),
        (live(&base), gone(&base)),
        (gone(&edited), gone(&base)),
    ] {
        let merged = merge(Some(live(&base)), mine, theirs);
        assert!(merged.deleted);
        assert!(merged.conflicts.is_empty());
    }
    // Both deleted after conflicting edits: no question asked, same body on both devices.
    let (mut renamed, mut other) = (base.clone(), base.clone());
    renamed["name"] = json!("Push A");
    other["name"] = json!("Push B");
    let ab = merge(Some(live(&base)), gone(&renamed), gone(&other));
    let ba = merge(Some(live(&base)), gone(&other), gone(&renamed));
    assert_eq!(
        ab,
        Merged {
            body: base.clone(),
            deleted: true,
            conflicts: Vec::new()
        }
    );
    assert_eq!(ba, ab);
}

#[test]
fn undelete_against_an_untouched_tombstone_is_undeleted() {
    let base = push_day();
    let merged = merge(Some(gone(&base)), live(&base), gone(&base));
    assert_eq!((merged.deleted, merged.conflicts.len()), (false, 0));
}

#[test]
fn without_a_base_equal_agrees_different_conflicts_and_one_sided_adds() {
    let mine = push_day();
    let mut theirs = mine.clone();
    theirs["name"] = json!("Push");
    sets(&mut theirs, 1).push(set("s4", 8, 50.0));

    let merged = merge_both_ways(None, &mine, &theirs);
    assert_eq!(merged.conflicts.len(), 1);
    let c = &merged.conflicts[0];
    assert_eq!(c.path.to_string(), "name");
    assert_eq!(
        (&c.base, &c.mine, &c.theirs),
        (&None, &Some(json!("Push day")), &Some(json!("Push")))
    );
    assert_eq!(set_ids(&merged.body, 1), ["s3", "s4"]);

    // A delete of an identical body is a plain delete; of a different one, a conflict.
    assert!(merge(None, gone(&mine), live(&mine)).deleted);
    assert_eq!(
        merge(None, gone(&mine), live(&theirs)).conflicts[0].path.to_string(),
        "deleted"
    );
}

#[test]
fn idempotent_on_hand_made_versions() {
    let base = push_day();
    let mut x = base.clone();
    sets(&mut x, 0).push(set("s4", 3, 105.0));
    assert_eq!(
        merge(Some(live(&base)), live(&x), live(&x)),
        Merged {
            body: x.clone(),
            deleted: false,
            conflicts: vec![]
        }
    );
    assert_eq!(merge(Some(live(&base)), live(&base), live(&x)).body, x);
    assert_eq!(
        merge(Some(live(&x)), live(&x), gone(&base)),
        Merged {
            body: base.clone(),
            deleted: true,
            conflicts: vec![]
        }
    );
}

#[test]
fn other_arrays_and_arrays_with_repeated_ids_are_atomic() {
    let base = json!({"tags": ["push"], "items": [{"id": "a", "v": 1}]});
    let mine = json!({"tags": ["push", "heavy"], "items": [{"id": "a", "v": 1}, {"id": "a", "v": 2}]});
    let theirs = json!({"tags": ["push", "light"], "items": [{"id": "a", "v": 3}]});
    let merged = merge_both_ways(Some(&base), &mine, &theirs);
    let paths: Vec<String> = merged.conflicts.iter().map(|c| c.path.to_string()).collect();
    assert_eq!(paths, ["items", "tags"]);
}

#[test]
fn unnamed_elements_are_labelled_by_position_in_the_merged_array() {
    let base = json!({"entries": [{"id": "a", "kg": 80.0}, {"id": "b", "kg": 81.0}]});
    let mine = json!({"entries": [{"id": "a", "kg": 80.5}, {"id": "b", "kg": 81.0}]});
    let theirs = json!({"entries": [{"id": "0", "kg": 79.0}, {"id": "a", "kg": 80.2}, {"id": "b", "kg": 81.0}]});
    let merged = merge_both_ways(Some(&base), &mine, &theirs);
    assert_eq!(merged.conflicts[0].path.to_string(), "entry 2 › kg");
    assert_eq!(merged.body["entries"][0]["id"], json!("0"));
}

/// Push day as Strong's export wrote it (07:00 to 08:10 local), read on a
/// device `zone` hours east of UTC.
fn imported_push_day(zone: i64) -> Value {
    let local_start = chrono::NaiveDate::from_ymd_opt(2025, 3, 1)
        .and_then(|day| day.and_hms_opt(7, 0, 0))
        .expect("a date");
    let started_at = local_start.and_utc() - chrono::TimeDelta::hours(zone);
    let mut body = push_day();
    body["started_at"] = json!(started_at);
    body["completed_at"] = json!(started_at + chrono::TimeDelta::minutes(70));
    body["imported"] = json!({
        "format": "Strong",
        "local_start": "2025-03-01T07:00:00",
        "local_end": "2025-03-01T08:10:00",
    });
    body
}

#[test]
fn one_export_read_in_two_time_zones_settles_on_the_earlier_reading() {
    let (paris, new_york) = (imported_push_day(1), imported_push_day(-5));
    let merged = merge_both_ways(None, &new_york, &paris);
    assert_eq!(merged.conflicts, []);
    assert_eq!(merged.body, paris, "start and end from one side, the earlier");
    // Once synced, a side that reads the text again (an undo and a
    // re-import in another zone) is a one-sided change like any other.
    let merged = merge_both_ways(Some(&paris), &paris, &new_york);
    assert_eq!((merged.body, merged.conflicts), (new_york.clone(), vec![]));
    // A delete of one reading is a delete of the other.
    let merged = merge(None, gone(&paris), live(&new_york));
    assert_eq!((merged.deleted, merged.conflicts), (true, vec![]));
}

#[test]
fn a_real_edit_beside_two_readings_still_merges_or_conflicts() {
    let (mut paris, mut new_york) = (imported_push_day(1), imported_push_day(-5));
    paris["name"] = json!("Push (Paris)");
    new_york["name"] = json!("Push (NY)");
    sets(&mut new_york, 1).push(set("s4", 8, 50.0));
    let merged = merge_both_ways(None, &paris, &new_york);
    let paths: Vec<String> = merged.conflicts.iter().map(|c| c.path.to_string()).collect();
    assert_eq!(paths, ["name"], "only the lifters' edit is held");
    assert_eq!(merged.body["started_at"], paris["started_at"]);
    assert_eq!(set_ids(&merged.body, 1), ["s3", "s4"]);
}

#[test]
fn times_a_lifter_set_or_no_zone_reads_as_conflict_as_before() {
    let paris = imported_push_day(1);
    // `pump edit --at` drops the provenance: the new times are an edit.
    let mut edited = imported_push_day(-5);
    edited.as_object_mut().map(|fields| fields.remove("imported"));
    let merged = merge_both_ways(None, &paris, &edited);
    let paths: Vec<String> = merged.conflicts.iter().map(|c| c.path.to_string()).collect();
    assert_eq!(paths, ["completed_at", "started_at"]);
    // Times no zone reads the text as (43 hours apart) are not a reading.
    let far = imported_push_day(-12);
    let mut moved = far.clone();
    moved["started_at"] = json!("2025-02-28T12:00:00Z");
    assert_eq!(merge_both_ways(None, &far, &moved).conflicts.len(), 1);
    // Nor are two readings of different text.
    let mut other = imported_push_day(-5);
    other["imported"]["local_start"] = json!("2025-03-01T07:30:00");
    let held: Vec<String> = merge_both_ways(None, &paris, &other)
        .conflicts
        .iter()
        .map(|c| c.path.to_string())
        .collect();
    assert_eq!(held, ["completed_at", "imported › local_start", "started_at"]);
}

#[test]
fn resolve_takes_each_choice_in_order() {
    let base = push_day();
    let mut mine = base.clone();
    mine["name"] = json!("Mine");
    sets(&mut mine, 1)[0]["reps"] = json!(7);
    let mut theirs = base.clone();
    theirs["name"] = json!("Theirs");
    sets(&mut theirs, 1)[0]["reps"] = json!(9);

    let merged = merge_both_ways(Some(&base), &mine, &theirs);
    let paths: Vec<String> = merged.conflicts.iter().map(|c| c.path.to_string()).collect();
    assert_eq!(paths, ["overhead press › set 1 › reps", "name"]);
    let (body, _) = resolve(
        Some(live(&base)),
        live(&mine),
        live(&theirs),
        &[Side::Theirs, Side::Mine],
    );
    assert_eq!(body["exercises"][1]["sets"][0]["reps"], json!(9));
    assert_eq!(body["name"], json!("Mine"));
}

/// Random workouts: a random base, then a few random edits on each side.
mod props {
    use super::*;
    use crate::model::{ExerciseEntry, Provenance, Set, SetKind, Unit, Workout};
    use proptest::prelude::*;

    // Few values, so both sides often make the same change by chance.
    const NAMES: [&str; 3] = ["Push", "Push day", "Chest"];
    const NOTES: [&str; 3] = ["", "tired", "PR"];
    const NOTE_LINES: [&str; 3] = ["felt tired", "reviewed", "felt strong"];
    const WEIGHTS: [f64; 4] = [60.0, 100.0, 102.5, 105.0];
    /// Hours east of UTC of the devices that import the base.
    const ZONES: [i64; 4] = [-5, 0, 1, 9];
    /// Minutes a lifter moves a workout by (`pump edit --at`).
    const SHIFTS: [i64; 3] = [-90, 30, 600];

    #[derive(Debug, Clone)]
    enum Edit {
        Rename(usize),
        Notes(usize),
        NoteLine(usize),
        AddSet {
            exercise: usize,
            stamp: u16,
            reps: u32,
            weight: usize,
        },
        RemoveSet {
            exercise: usize,
            set: usize,
        },
        Weight {
            exercise: usize,
            set: usize,
            weight: usize,
        },
        Reps {
            exercise: usize,
            set: usize,
            reps: u32,
        },
        AddExercise {
            stamp: u16,
            name: usize,
        },
        RemoveExercise(usize),
        /// Appends a line to an exercise's notes.
        ExerciseNoteLine {
            exercise: usize,
            line: usize,
        },
        /// Appends a line to a set's notes.
        SetNoteLine {
            exercise: usize,
            set: usize,
            line: usize,
        },
        /// Moves the workout's start and end, as `pump edit --at` does.
        Retime(usize),
        Delete,
    }

    fn edit() -> impl Strategy<Value = Edit> {
        let at = (0..4usize, 0..6usize);
        prop_oneof![
            3 => (0..NAMES.len()).prop_map(Edit::Rename),
            2 => (0..NOTES.len()).prop_map(Edit::Notes),
            2 => (0..NOTE_LINES.len()).prop_map(Edit::NoteLine),
            6 => (0..4usize, any::<u16>(), 1..6u32, 0..WEIGHTS.len())
                .prop_map(|(exercise, stamp, reps, weight)| Edit::AddSet { exercise, stamp, reps, weight }),
            4 => at.clone().prop_map(|(exercise, set)| Edit::RemoveSet { exercise, set }),
            4 => (at.clone(), 0..WEIGHTS.len())
                .prop_map(|((exercise, set), weight)| Edit::Weight { exercise, set, weight }),
            4 => (at, 1..6u32).prop_map(|((exercise, set), reps)| Edit::Reps { exercise, set, reps }),
            1 => (any::<u16>(), 0..NAMES.len()).prop_map(|(stamp, name)| Edit::AddExercise { stamp, name }),
            1 => (0..4usize).prop_map(Edit::RemoveExercise),
            2 => (0..4usize, 0..NOTE_LINES.len()).prop_map(|(exercise, line)| Edit::ExerciseNoteLine { exercise, line }),
            2 => (0..4usize, 0..6usize, 0..NOTE_LINES.len())
                .prop_map(|(exercise, set, line)| Edit::SetNoteLine { exercise, set, line }),
            1 => (0..SHIFTS.len()).prop_map(Edit::Retime),
            1 => Just(Edit::Delete),
        ]
    }

    fn new_set(id: String, reps: u32, weight: usize) -> Set {
        Set {
            id,
            reps: Some(reps),
            weight_kg: Some(WEIGHTS[weight]),
            unit: Unit::Kg,
            bodyweight: false,
            rpe: None,
            kind: SetKind::Working,
            duration_s: None,
            distance_m: None,
            distance_unit: None,
            notes: String::new(),
        }
    }

    fn base_workout() -> impl Strategy<Value = Workout> {
        prop::collection::vec(prop::collection::vec((1..6u32, 0..WEIGHTS.len()), 0..4), 1..4).prop_map(|plan| {
            let started = chrono::DateTime::from_timestamp(1_740_812_400, 0).expect("a valid timestamp");
            let mut workout = Workout::new("Push day".into(), started);
            workout.completed_at = Some(started + chrono::TimeDelta::minutes(70));
            for (e, sets) in plan.into_iter().enumerate() {
                let sets = sets
                    .into_iter()
                    .enumerate()
                    .map(|(s, (reps, w))| new_set(format!("b-{e}-{s}"), reps, w));
                workout.exercises.push(ExerciseEntry {
                    id: format!("e-{e}"),
                    name: format!("lift {e}"),
                    sets: sets.collect(),
                    ..ExerciseEntry::default()
                });
            }
            workout
        })
    }

    /// Indices wrap around so every generated edit lands somewhere.
    fn entry(w: &mut Workout, exercise: usize) -> Option<&mut ExerciseEntry> {
        let n = w.exercises.len().max(1);
        w.exercises.get_mut(exercise % n)
    }

    fn set_at(w: &mut Workout, exercise: usize, set: usize) -> Option<&mut Set> {
        let entry = entry(w, exercise)?;
        let n = entry.sets.len().max(1);
        entry.sets.get_mut(set % n)
    }

    /// Applies edits; ids added carry a random stamp (their creation
    /// time) and the side, so they never collide across sides.
    fn apply(base: &Workout, edits: &[Edit], side: &str) -> (Value, bool) {
        let mut w = base.clone();
        let mut deleted = false;
        for (k, edit) in edits.iter().enumerate() {
            let n = w.exercises.len();
            match *edit {
                Edit::Rename(i) => w.name = NAMES[i].into(),
                Edit::Notes(i) => w.notes = NOTES[i].into(),
                Edit::NoteLine(i) if w.notes.is_empty() => w.notes = NOTE_LINES[i].into(),
                Edit::NoteLine(i) => w.notes = format!("{}\n{}", w.notes, NOTE_LINES[i]),
                Edit::AddSet {
                    exercise,
                    stamp,
                    reps,
                    weight,
                } => {
                    if let Some(entry) = entry(&mut w, exercise) {
                        entry.sets.push(new_set(format!("{stamp:05}-{side}{k}"), reps, weight));
                    }
                }
                Edit::RemoveSet { exercise, set } => {
                    if let Some(entry) = entry(&mut w, exercise).filter(|e| !e.sets.is_empty()) {
                        let len = entry.sets.len();
                        entry.sets.remove(set % len);
                    }
                }
                Edit::Weight { exercise, set, weight } => {
                    if let Some(s) = set_at(&mut w, exercise, set) {
                        s.weight_kg = Some(WEIGHTS[weight]);
                    }
                }
                Edit::Reps { exercise, set, reps } => {
                    if let Some(s) = set_at(&mut w, exercise, set) {
                        s.reps = Some(reps);
                    }
                }
                Edit::AddExercise { stamp, name } => w.exercises.push(ExerciseEntry {
                    id: format!("{stamp:05}-{side}{k}"),
                    name: NAMES[name].to_lowercase(),
                    ..ExerciseEntry::default()
                }),
                Edit::ExerciseNoteLine { exercise, line } => {
                    if let Some(entry) = entry(&mut w, exercise) {
                        append_line(&mut entry.notes, NOTE_LINES[line]);
                    }
                }
                Edit::SetNoteLine { exercise, set, line } => {
                    if let Some(s) = set_at(&mut w, exercise, set) {
                        append_line(&mut s.notes, NOTE_LINES[line]);
                    }
                }
                Edit::RemoveExercise(e) => {
                    if n > 0 {
                        w.exercises.remove(e % n);
                    }
                }
                Edit::Retime(shift) => {
                    let before = w.clone();
                    let shift = chrono::TimeDelta::minutes(SHIFTS[shift]);
                    w.started_at += shift;
                    w.completed_at = w.completed_at.map(|end| end + shift);
                    w.forget_provenance_if_retimed(&before);
                }
                Edit::Delete => deleted = true,
            }
        }
        (serde_json::to_value(&w).expect("a workout serializes"), deleted)
    }

    fn append_line(notes: &mut String, line: &str) {
        if !notes.is_empty() {
            notes.push('\n');
        }
        notes.push_str(line);
    }

    /// Every exercise's and set's notes in a body, by their path of ids.
    fn all_notes(body: &Value) -> Vec<(Vec<String>, String)> {
        let text = |v: &Value| v["notes"].as_str().unwrap_or_default().to_string();
        let id = |v: &Value| v["id"].as_str().unwrap_or_default().to_string();
        let mut out = Vec::new();
        for entry in body["exercises"].as_array().into_iter().flatten() {
            out.push((vec!["exercises".into(), id(entry)], text(entry)));
            for set in entry["sets"].as_array().into_iter().flatten() {
                out.push((vec!["exercises".into(), id(entry), "sets".into(), id(set)], text(set)));
            }
        }
        out
    }

    fn lookup<'v>(body: &'v Value, path: &FieldPath) -> Option<&'v Value> {
        path.segments.iter().try_fold(body, |v, segment| match segment {
            Segment::Key(key) => v.get(key),
            Segment::Element { id, .. } => v
                .as_array()?
                .iter()
                .find(|e| e.get("id").and_then(Value::as_str) == Some(id.as_str())),
            Segment::Deleted => Some(v),
        })
    }

    /// Every (exercise id, set id) in a workout body.
    fn all_sets(body: &Value) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for entry in body["exercises"].as_array().into_iter().flatten() {
            for set in entry["sets"].as_array().into_iter().flatten() {
                out.push((
                    entry["id"].as_str().unwrap_or_default().into(),
                    set["id"].as_str().unwrap_or_default().into(),
                ));
            }
        }
        out
    }

    /// Whether a conflict at `path` holds back (exercise, set).
    fn covers(path: &FieldPath, exercise: &str, set: &str) -> bool {
        let target = ["exercises", exercise, "sets", set];
        let steps: Vec<&str> = path
            .segments
            .iter()
            .map(|s| match s {
                Segment::Deleted => "",
                Segment::Key(key) => key.as_str(),
                Segment::Element { id, .. } => id.as_str(),
            })
            .collect();
        path.segments == [Segment::Deleted] || target.starts_with(&steps)
    }

    /// The base, each side's edits, whether the base was synced, and for a
    /// base imported from an export the zones mine and theirs read it in.
    /// Whether a conflict is on a workout's own start or end.
    fn read_times(path: &FieldPath) -> bool {
        matches!(&path.segments[..], [Segment::Key(key)] if key == "started_at" || key == "completed_at")
    }

    type Case = (Workout, Vec<Edit>, Vec<Edit>, bool, Option<(usize, usize)>);

    fn case() -> impl Strategy<Value = Case> {
        (
            base_workout(),
            prop::collection::vec(edit(), 0..5),
            prop::collection::vec(edit(), 0..5),
            any::<bool>(),
            prop::option::of((0..ZONES.len(), 0..ZONES.len())),
        )
    }

    /// Two unsynced imports of one export, where mine's lifter moved it first.
    fn retimed_case() -> impl Strategy<Value = Case> {
        (case(), 0..SHIFTS.len(), (0..ZONES.len(), 0..ZONES.len())).prop_map(
            |((base, mut mine, theirs, _, _), shift, zones)| {
                mine.insert(0, Edit::Retime(shift));
                (base, mine, theirs, false, Some(zones))
            },
        )
    }

    /// `w` as imported from an export on a device in `zone`: its local times
    /// are what its times would read as there.
    fn imported(w: &Workout, zone: usize) -> Workout {
        let zone = chrono::TimeDelta::hours(ZONES[zone]);
        let local = |at: chrono::DateTime<chrono::Utc>| (at + zone).naive_utc();
        Workout {
            imported: Some(Provenance {
                format: "Hevy".into(),
                local_start: local(w.started_at),
                local_end: w.completed_at.map(local),
            }),
            ..w.clone()
        }
    }

    /// An imported workout as a device in `zone` reads its local times.
    fn read_in(w: &Workout, zone: usize) -> Workout {
        let zone = chrono::TimeDelta::hours(ZONES[zone]);
        let provenance = w.imported.as_ref().expect("an imported workout");
        Workout {
            started_at: provenance.local_start.and_utc() - zone,
            completed_at: provenance.local_end.map(|end| end.and_utc() - zone),
            ..w.clone()
        }
    }

    struct Sides {
        base: Option<Value>,
        mine: (Value, bool),
        theirs: (Value, bool),
    }

    impl Sides {
        fn new((base, mine, theirs, synced, zones): Case) -> Sides {
            // Synced, both sides start from the base; not, and imported,
            // each device read the export in its own zone.
            let (base, mine_start, their_start) = match zones {
                Some((mine_zone, their_zone)) => {
                    let base = imported(&base, mine_zone);
                    let (m, t) = if synced {
                        (base.clone(), base.clone())
                    } else {
                        (read_in(&base, mine_zone), read_in(&base, their_zone))
                    };
                    (base, m, t)
                }
                None => (base.clone(), base.clone(), base),
            };
            Sides {
                base: synced.then(|| serde_json::to_value(&base).expect("a workout serializes")),
                mine: apply(&mine_start, &mine, "m"),
                theirs: apply(&their_start, &theirs, "t"),
            }
        }
        fn base(&self) -> Option<Version<'_>> {
            self.base.as_ref().map(live)
        }
        fn mine(&self) -> Version<'_> {
            Version {
                body: &self.mine.0,
                deleted: self.mine.1,
            }
        }
        fn theirs(&self) -> Version<'_> {
            Version {
                body: &self.theirs.0,
                deleted: self.theirs.1,
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn symmetric(case in case()) {
            let s = Sides::new(case);
            let ab = merge(s.base(), s.mine(), s.theirs());
            let ba = merge(s.base(), s.theirs(), s.mine());
            prop_assert_eq!(&ba.conflicts, &ab.conflicts.iter().map(mirrored).collect::<Vec<_>>());
            if ab.conflicts.is_empty() {
                prop_assert_eq!((&ab.body, ab.deleted), (&ba.body, ba.deleted));
            }
            let n = ab.conflicts.len();
            prop_assert_eq!(
                resolve(s.base(), s.mine(), s.theirs(), &vec![Side::Mine; n]),
                resolve(s.base(), s.theirs(), s.mine(), &vec![Side::Theirs; n])
            );
        }

        #[test]
        fn idempotent(case in case()) {
            let s = Sides::new(case);
            let (x, y) = (s.mine(), s.theirs());
            let unchanged = |v: Version| Merged { body: v.body.clone(), deleted: v.deleted, conflicts: Vec::new() };
            prop_assert_eq!(merge(s.base(), x, x), unchanged(x));
            prop_assert_eq!(merge(Some(x), x, y), unchanged(y));
            prop_assert_eq!(merge(Some(x), y, x), unchanged(y));
        }

        #[test]
        fn never_drops_an_added_set(case in case()) {
            let s = Sides::new(case);
            let in_base = s.base.as_ref().map(all_sets).unwrap_or_default();
            let added: Vec<_> = all_sets(&s.mine.0)
                .into_iter()
                .chain(all_sets(&s.theirs.0))
                .filter(|set| !in_base.contains(set))
                .collect();
            let merged = merge(s.base(), s.mine(), s.theirs());
            let all_theirs = vec![Side::Theirs; merged.conflicts.len()];
            let mut results = vec![(merged.body.clone(), merged.deleted)];
            results.push(resolve(s.base(), s.mine(), s.theirs(), &all_theirs));
            for (body, deleted) in results.into_iter().filter(|(_, deleted)| !deleted) {
                let kept = all_sets(&body);
                prop_assert!(!deleted);
                for (exercise, set) in &added {
                    let held = merged.conflicts.iter().any(|c| covers(&c.path, exercise, set));
                    prop_assert!(held || kept.iter().any(|(_, id)| id == set), "set {} of {} was dropped", set, exercise);
                }
            }
        }

        /// Exercise and set notes merge as text, like the workout's: a line
        /// either side added is in the merged note unless a conflict holds
        /// that exercise or set (one side removed it) or the whole record.
        #[test]
        fn lines_added_to_exercise_and_set_notes_are_kept(case in case()) {
            let s = Sides::new(case);
            let merged = merge(s.base(), s.mine(), s.theirs());
            prop_assume!(!merged.deleted);
            let merged_notes = all_notes(&merged.body);
            let base_notes = s.base.as_ref().map(all_notes).unwrap_or_default();
            for (path, note) in all_notes(&s.mine.0).into_iter().chain(all_notes(&s.theirs.0)) {
                let held = merged.conflicts.iter().any(|c| {
                    let steps: Vec<&str> = c.path.segments.iter().map(|s| match s {
                        Segment::Deleted => "",
                        Segment::Key(key) => key.as_str(),
                        Segment::Element { id, .. } => id.as_str(),
                    }).collect();
                    c.path.segments == [Segment::Deleted]
                        || path.iter().map(String::as_str).collect::<Vec<_>>().starts_with(&steps)
                        || steps.starts_with(&path.iter().map(String::as_str).collect::<Vec<_>>())
                });
                let Some((_, kept)) = merged_notes.iter().find(|(p, _)| *p == path) else { continue };
                if held {
                    continue;
                }
                let before = base_notes.iter().find(|(p, _)| *p == path).map_or("", |(_, n)| n.as_str());
                for line in note.lines().skip(before.lines().count()) {
                    prop_assert!(kept.lines().any(|l| l == line), "line '{}' of {:?} was dropped: {:?}", line, path, kept);
                }
            }
        }

        #[test]
        fn conflicts_only_where_both_sides_changed_differently(case in case()) {
            let s = Sides::new(case);
            let merged = merge(s.base(), s.mine(), s.theirs());
            for c in &merged.conflicts {
                prop_assert_ne!(&c.mine, &c.theirs);
                if c.path.segments == [Segment::Deleted] {
                    prop_assert!(s.mine.1 != s.theirs.1);
                    let (editor, deleter) = if s.mine.1 { (&s.theirs.0, &s.mine.0) } else { (&s.mine.0, &s.theirs.0) };
                    prop_assert_ne!(editor, s.base.as_ref().unwrap_or(deleter));
                    continue;
                }
                prop_assert_ne!(&c.base, &c.mine);
                prop_assert_ne!(&c.base, &c.theirs);
                prop_assert_eq!(s.base.as_ref().and_then(|b| lookup(b, &c.path)), c.base.as_ref());
                prop_assert_eq!(lookup(&s.mine.0, &c.path), c.mine.as_ref());
                prop_assert_eq!(lookup(&s.theirs.0, &c.path), c.theirs.as_ref());
            }
        }

        /// Two readings of one export in different zones never conflict:
        /// both devices take the earlier one, start and end together.
        #[test]
        fn readings_of_one_export_settle_alike(case in case()) {
            let s = Sides::new(case);
            let provenance = |v: &Value| v.get("imported").cloned();
            prop_assume!(provenance(&s.mine.0).is_some() && provenance(&s.mine.0) == provenance(&s.theirs.0));
            let merged = merge(s.base(), s.mine(), s.theirs());
            for c in &merged.conflicts {
                prop_assert!(!read_times(&c.path), "{} held", c.path);
            }
            let times = |v: &Value| (v["started_at"].clone(), v["completed_at"].clone());
            let (mine, theirs, got) = (times(&s.mine.0), times(&s.theirs.0), times(&merged.body));
            prop_assert!(got == mine || got == theirs, "{:?} is neither side's", got);
            if s.base.is_none() {
                let earlier = |v: &(Value, Value)| v.0.as_str().map(str::to_string);
                prop_assert_eq!(&got, std::cmp::min_by_key(&mine, &theirs, |v| earlier(v)));
            }
        }

        /// Times a lifter set are an edit: against another reading of the
        /// export they merge as before (held when both sides differ unsynced).
        #[test]
        fn times_a_lifter_set_are_never_settled_by_the_rule(case in retimed_case()) {
            let s = Sides::new(case);
            let (mine, theirs) = (&s.mine.0, &s.theirs.0);
            prop_assume!(mine.get("imported") != theirs.get("imported"));
            // Two tombstones never ask a person anything.
            prop_assume!(mine["started_at"] != theirs["started_at"] && !(s.mine.1 && s.theirs.1));
            let merged = merge(s.base(), s.mine(), s.theirs());
            let deleted = [Segment::Deleted];
            prop_assert!(merged.conflicts.iter().any(|c| read_times(&c.path) || c.path.segments == deleted));
        }
    }
}
