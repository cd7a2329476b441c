//! The built-in exercise catalogue: canonical names, what kind of kit they
//! need and which muscle group they mostly train, so `pump` can group volume
//! by muscle and catch typos before they split one lift's history in two.
//!
//! Names are compared by [`normalize`]: case, punctuation and spaces are
//! ignored, so "Pull-Up", "pull up" and "PULLUP" are the same exercise.
//! [`lookup`] also forgives a plural ("pull ups", "squats") and knows common
//! synonyms ("bench", "ohp", "rdl"). This module depends on nothing else in
//! pump, so it can be used from anywhere.

use serde::Serialize;
use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

/// The equipment an exercise uses, shown in `pump exercises`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    /// A barbell.
    Barbell,
    /// Free weights held in the hand, kettlebells included.
    Dumbbell,
    /// A machine with its own stack or plates.
    Machine,
    /// A cable station.
    Cable,
    /// The body is the load.
    Bodyweight,
    /// Running, riding, rowing: distances and times.
    Cardio,
}

impl Category {
    /// The lowercase name shown and written in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Barbell => "barbell",
            Category::Dumbbell => "dumbbell",
            Category::Machine => "machine",
            Category::Cable => "cable",
            Category::Bodyweight => "bodyweight",
            Category::Cardio => "cardio",
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The muscle group an exercise mostly trains. Compound lifts count toward
/// one group only (a squat is "quads"), which keeps weekly set counts simple
/// and close to how lifters program.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Muscle {
    /// Pectorals.
    Chest,
    /// Lats, traps, rhomboids, spinal erectors.
    Back,
    /// Deltoids.
    Shoulders,
    /// Biceps and brachialis.
    Biceps,
    /// Triceps.
    Triceps,
    /// Grip and forearms.
    Forearms,
    /// Quadriceps.
    Quads,
    /// Hamstrings.
    Hamstrings,
    /// Glutes.
    Glutes,
    /// Calves.
    Calves,
    /// Abs and obliques.
    Core,
    /// Lifts that train most of the body at once.
    FullBody,
    /// Conditioning: the heart and lungs.
    Cardio,
    /// An exercise the catalogue does not know; never used by an entry.
    Other,
}

impl Muscle {
    /// The name shown in tables and written in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Muscle::Chest => "chest",
            Muscle::Back => "back",
            Muscle::Shoulders => "shoulders",
            Muscle::Biceps => "biceps",
            Muscle::Triceps => "triceps",
            Muscle::Forearms => "forearms",
            Muscle::Quads => "quads",
            Muscle::Hamstrings => "hamstrings",
            Muscle::Glutes => "glutes",
            Muscle::Calves => "calves",
            Muscle::Core => "core",
            Muscle::FullBody => "full body",
            Muscle::Cardio => "cardio",
            Muscle::Other => "other",
        }
    }

    /// The group of any exercise name: unknown exercises are [`Muscle::Other`].
    pub fn of(name: &str) -> Muscle {
        lookup(name).map_or(Muscle::Other, |e| e.muscle)
    }
}

impl fmt::Display for Muscle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One exercise of the built-in catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Exercise {
    /// The name exercises are stored under.
    pub name: &'static str,
    /// Its equipment.
    pub category: Category,
    /// The muscle group it counts toward in `pump stats`.
    pub muscle: Muscle,
    /// Other names lifters use for it; matched like the name itself.
    pub aliases: &'static [&'static str],
}

const fn ex(name: &'static str, category: Category, muscle: Muscle, aliases: &'static [&'static str]) -> Exercise {
    Exercise {
        name,
        category,
        muscle,
        aliases,
    }
}

use Category::{Barbell, Bodyweight, Cable, Dumbbell, Machine};
use Muscle::{Back, Biceps, Calves, Chest, Core, Forearms, FullBody, Glutes, Hamstrings, Quads, Shoulders, Triceps};

/// Every exercise pump knows. Aliases must not collide with any other
/// entry's name or alias once normalized (a test checks this), so an alias
/// that could mean two lifts (e.g. "row", "press") is deliberately absent.
pub static EXERCISES: &[Exercise] = &[
    // Barbell
    ex(
        "Bench Press",
        Barbell,
        Chest,
        &["bench", "bp", "flat bench", "barbell bench press"],
    ),
    ex(
        "Incline Bench Press",
        Barbell,
        Chest,
        &["incline bench", "incline press"],
    ),
    ex("Decline Bench Press", Barbell, Chest, &["decline bench"]),
    ex(
        "Close Grip Bench Press",
        Barbell,
        Triceps,
        &["cgbp", "close grip bench"],
    ),
    ex("Floor Press", Barbell, Triceps, &[]),
    ex(
        "Squat",
        Barbell,
        Quads,
        &["back squat", "barbell squat", "high bar squat", "low bar squat"],
    ),
    ex("Front Squat", Barbell, Quads, &[]),
    ex("Zercher Squat", Barbell, Quads, &[]),
    ex(
        "Deadlift",
        Barbell,
        Back,
        &["dl", "conventional deadlift", "barbell deadlift"],
    ),
    ex("Sumo Deadlift", Barbell, Hamstrings, &["sumo"]),
    ex("Romanian Deadlift", Barbell, Hamstrings, &["rdl"]),
    ex(
        "Stiff Leg Deadlift",
        Barbell,
        Hamstrings,
        &["sldl", "stiff legged deadlift"],
    ),
    ex("Trap Bar Deadlift", Barbell, Quads, &["hex bar deadlift"]),
    ex("Rack Pull", Barbell, Back, &[]),
    ex("Good Morning", Barbell, Hamstrings, &[]),
    ex(
        "Overhead Press",
        Barbell,
        Shoulders,
        &["ohp", "military press", "standing press", "strict press"],
    ),
    ex("Push Press", Barbell, Shoulders, &[]),
    ex(
        "Barbell Row",
        Barbell,
        Back,
        &["bent over row", "bb row", "barbell bent over row"],
    ),
    ex("Pendlay Row", Barbell, Back, &[]),
    ex("Upright Row", Barbell, Shoulders, &[]),
    ex("Barbell Shrug", Barbell, Back, &["shrug"]),
    ex("Barbell Curl", Barbell, Biceps, &["bb curl", "curl"]),
    ex("EZ Bar Curl", Barbell, Biceps, &["ez curl"]),
    ex("Preacher Curl", Barbell, Biceps, &[]),
    ex("Skull Crusher", Barbell, Triceps, &["lying triceps extension"]),
    ex("Hip Thrust", Barbell, Glutes, &["barbell hip thrust"]),
    ex("Barbell Lunge", Barbell, Quads, &[]),
    ex("Power Clean", Barbell, FullBody, &["clean"]),
    ex("Hang Clean", Barbell, FullBody, &[]),
    ex("Clean and Jerk", Barbell, FullBody, &["c&j", "clean & jerk"]),
    ex("Snatch", Barbell, FullBody, &[]),
    ex("Power Snatch", Barbell, FullBody, &[]),
    // Dumbbell (and kettlebell)
    ex(
        "Dumbbell Bench Press",
        Dumbbell,
        Chest,
        &["db bench", "db bench press", "dumbbell press"],
    ),
    ex(
        "Incline Dumbbell Press",
        Dumbbell,
        Chest,
        &["incline db press", "incline dumbbell bench press"],
    ),
    ex("Dumbbell Fly", Dumbbell, Chest, &["db fly", "dumbbell flye"]),
    ex("Dumbbell Pullover", Dumbbell, Chest, &["pullover"]),
    ex(
        "Dumbbell Shoulder Press",
        Dumbbell,
        Shoulders,
        &["db shoulder press", "db ohp", "seated dumbbell press"],
    ),
    ex("Arnold Press", Dumbbell, Shoulders, &[]),
    ex(
        "Lateral Raise",
        Dumbbell,
        Shoulders,
        &["side raise", "side lateral raise", "dumbbell lateral raise"],
    ),
    ex("Front Raise", Dumbbell, Shoulders, &[]),
    ex(
        "Rear Delt Fly",
        Dumbbell,
        Shoulders,
        &["reverse fly", "rear delt raise"],
    ),
    ex(
        "Dumbbell Row",
        Dumbbell,
        Back,
        &["db row", "one arm row", "single arm row"],
    ),
    ex("Dumbbell Shrug", Dumbbell, Back, &["db shrug"]),
    ex(
        "Dumbbell Curl",
        Dumbbell,
        Biceps,
        &["db curl", "bicep curl", "biceps curl"],
    ),
    ex("Hammer Curl", Dumbbell, Biceps, &[]),
    ex("Incline Dumbbell Curl", Dumbbell, Biceps, &["incline curl"]),
    ex("Concentration Curl", Dumbbell, Biceps, &[]),
    ex(
        "Overhead Triceps Extension",
        Dumbbell,
        Triceps,
        &["overhead extension", "french press"],
    ),
    ex("Triceps Kickback", Dumbbell, Triceps, &["kickback", "tricep kickback"]),
    ex("Goblet Squat", Dumbbell, Quads, &[]),
    ex(
        "Bulgarian Split Squat",
        Dumbbell,
        Quads,
        &["bss", "split squat", "rear foot elevated split squat"],
    ),
    ex(
        "Dumbbell Lunge",
        Dumbbell,
        Quads,
        &["lunge", "walking lunge", "db lunge"],
    ),
    ex("Step Up", Dumbbell, Quads, &[]),
    ex(
        "Dumbbell Romanian Deadlift",
        Dumbbell,
        Hamstrings,
        &["db rdl", "dumbbell rdl"],
    ),
    ex("Wrist Curl", Dumbbell, Forearms, &[]),
    ex("Farmer's Walk", Dumbbell, Forearms, &["farmers carry", "farmer carry"]),
    ex("Kettlebell Swing", Dumbbell, Glutes, &["kb swing", "swing"]),
    ex("Turkish Get Up", Dumbbell, FullBody, &["tgu"]),
    // Machine
    ex("Leg Press", Machine, Quads, &[]),
    ex("Hack Squat", Machine, Quads, &[]),
    ex("Smith Machine Squat", Machine, Quads, &["smith squat"]),
    ex("Leg Extension", Machine, Quads, &["quad extension"]),
    ex("Lying Leg Curl", Machine, Hamstrings, &["leg curl", "hamstring curl"]),
    ex("Seated Leg Curl", Machine, Hamstrings, &[]),
    ex("Standing Calf Raise", Machine, Calves, &["calf raise"]),
    ex("Seated Calf Raise", Machine, Calves, &[]),
    ex("Hip Abduction", Machine, Glutes, &["abductor"]),
    ex("Hip Adduction", Machine, Quads, &["adductor"]),
    ex("Machine Chest Press", Machine, Chest, &["chest press"]),
    ex("Pec Deck", Machine, Chest, &["machine fly", "pec fly"]),
    ex(
        "Machine Shoulder Press",
        Machine,
        Shoulders,
        &["shoulder press machine"],
    ),
    ex(
        "Machine Row",
        Machine,
        Back,
        &["seated machine row", "chest supported row"],
    ),
    ex("Assisted Pull Up", Machine, Back, &[]),
    // Cable
    ex("Lat Pulldown", Cable, Back, &["pulldown", "wide grip pulldown"]),
    ex("Seated Cable Row", Cable, Back, &["cable row", "seated row"]),
    ex("Straight Arm Pulldown", Cable, Back, &[]),
    ex("Face Pull", Cable, Shoulders, &[]),
    ex("Cable Lateral Raise", Cable, Shoulders, &[]),
    ex("Cable Fly", Cable, Chest, &["cable crossover", "cable flye"]),
    ex(
        "Triceps Pushdown",
        Cable,
        Triceps,
        &["pushdown", "tricep pushdown", "rope pushdown"],
    ),
    ex(
        "Overhead Cable Extension",
        Cable,
        Triceps,
        &["overhead cable triceps extension"],
    ),
    ex("Cable Curl", Cable, Biceps, &[]),
    ex("Cable Crunch", Cable, Core, &[]),
    ex("Pallof Press", Cable, Core, &[]),
    ex("Cable Woodchopper", Cable, Core, &["woodchopper", "woodchop"]),
    ex("Cable Glute Kickback", Cable, Glutes, &["glute kickback"]),
    // Bodyweight
    ex("Pull Up", Bodyweight, Back, &[]),
    ex("Chin Up", Bodyweight, Biceps, &[]),
    ex("Muscle Up", Bodyweight, Back, &[]),
    ex("Inverted Row", Bodyweight, Back, &["australian pull up", "body row"]),
    ex("Push Up", Bodyweight, Chest, &["press up"]),
    ex("Dips", Bodyweight, Triceps, &["dip", "parallel bar dip", "chest dip"]),
    ex("Handstand Push Up", Bodyweight, Shoulders, &["hspu"]),
    ex("Bodyweight Squat", Bodyweight, Quads, &["air squat"]),
    ex("Pistol Squat", Bodyweight, Quads, &["pistol"]),
    ex("Jump Squat", Bodyweight, Quads, &[]),
    ex("Box Jump", Bodyweight, Quads, &[]),
    ex(
        "Nordic Curl",
        Bodyweight,
        Hamstrings,
        &["nordic hamstring curl", "nordics"],
    ),
    ex("Glute Bridge", Bodyweight, Glutes, &[]),
    ex("Back Extension", Bodyweight, Back, &["hyperextension", "hyper"]),
    ex("Plank", Bodyweight, Core, &[]),
    ex("Side Plank", Bodyweight, Core, &[]),
    ex("Crunch", Bodyweight, Core, &[]),
    ex("Sit Up", Bodyweight, Core, &[]),
    ex(
        "Hanging Leg Raise",
        Bodyweight,
        Core,
        &["leg raise", "hanging knee raise"],
    ),
    ex("Ab Wheel Rollout", Bodyweight, Core, &["ab wheel", "ab rollout"]),
    ex("Russian Twist", Bodyweight, Core, &[]),
    ex("Mountain Climber", Bodyweight, Core, &[]),
    ex("Burpee", Bodyweight, FullBody, &[]),
    // Cardio
    ex(
        "Running",
        Category::Cardio,
        Muscle::Cardio,
        &["run", "jog", "jogging", "treadmill"],
    ),
    ex("Walking", Category::Cardio, Muscle::Cardio, &["walk"]),
    ex("Hiking", Category::Cardio, Muscle::Cardio, &["hike"]),
    ex(
        "Cycling",
        Category::Cardio,
        Muscle::Cardio,
        &["bike", "stationary bike", "spin", "spinning"],
    ),
    ex(
        "Assault Bike",
        Category::Cardio,
        Muscle::Cardio,
        &["air bike", "airdyne", "echo bike"],
    ),
    ex(
        "Rowing Machine",
        Category::Cardio,
        Muscle::Cardio,
        &["rowing", "rower", "erg", "row erg", "concept2"],
    ),
    ex("Ski Erg", Category::Cardio, Muscle::Cardio, &[]),
    ex("Elliptical", Category::Cardio, Muscle::Cardio, &["cross trainer"]),
    ex(
        "Stair Climber",
        Category::Cardio,
        Muscle::Cardio,
        &["stairmaster", "stairs"],
    ),
    ex("Swimming", Category::Cardio, Muscle::Cardio, &["swim"]),
    ex(
        "Jump Rope",
        Category::Cardio,
        Muscle::Cardio,
        &["skipping", "skipping rope"],
    ),
    ex("Sled Push", Category::Cardio, Muscle::FullBody, &["prowler", "sled"]),
];

/// The matching key of a name: lowercase letters and digits only. Spaces
/// and punctuation go entirely, so "Pull-Up" == "pull up" == "pullup" and
/// "Farmer's Walk" == "farmers walk". Two names with the same key are the
/// same exercise everywhere in pump.
pub fn normalize(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether `name` normalizes to `key`, without allocating: stats compare
/// every exercise entry of years of workouts against one key.
pub fn has_key(name: &str, key: &str) -> bool {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .eq(key.chars())
}

/// Each entry with every key (its name, then its aliases) it answers to.
fn keys() -> impl Iterator<Item = (&'static Exercise, String)> {
    EXERCISES.iter().flat_map(|e| {
        std::iter::once(e.name)
            .chain(e.aliases.iter().copied())
            .map(move |n| (e, normalize(n)))
    })
}

/// Key → entry, built once: stats look up every exercise of every workout.
fn find_key(key: &str) -> Option<&'static Exercise> {
    static INDEX: OnceLock<HashMap<String, &'static Exercise>> = OnceLock::new();
    INDEX
        .get_or_init(|| keys().map(|(e, k)| (k, e)).collect())
        .get(key)
        .copied()
}

/// The catalogue entry a name means, by name or alias. A plural also
/// matches ("squats" finds Squat), because lifters write both and neither
/// should start a separate history. (Singulars of plural names, like "dip",
/// are aliases: adding an "s" to any input would also turn "bench pres"
/// into a silent match instead of a suggestion.)
pub fn lookup(name: &str) -> Option<&'static Exercise> {
    let key = normalize(name);
    if key.is_empty() {
        return None;
    }
    find_key(&key).or_else(|| key.strip_suffix('s').and_then(find_key))
}

/// The canonical name a near miss probably meant ("bench pres" → "Bench
/// Press"), or `None` when the name is known or far from everything.
/// "Near" is at most one edit (insert, delete, substitute, swap two
/// neighbours) per four characters: enough for fat-finger typos, while short
/// names like "row" never get "corrected" into something else.
pub fn suggest(name: &str) -> Option<&'static str> {
    if lookup(name).is_some() {
        return None;
    }
    let key = normalize(name);
    let key: Vec<char> = key.chars().collect();
    keys()
        .filter_map(|(e, k)| {
            let k: Vec<char> = k.chars().collect();
            let distance = edit_distance(&key, &k);
            let allowed = key.len().max(k.len()) / 4;
            (distance <= allowed).then_some((distance, e.name))
        })
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, name)| name)
}

/// Optimal string alignment distance: Levenshtein plus swapping two adjacent
/// characters as one edit, the most common typo ("deadlfit").
fn edit_distance(a: &[char], b: &[char]) -> usize {
    let width = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * width];
    for i in 0..=a.len() {
        for j in 0..=b.len() {
            d[i * width + j] = if i == 0 || j == 0 {
                i + j
            } else {
                let cost = usize::from(a[i - 1] != b[j - 1]);
                let mut best = (d[(i - 1) * width + j] + 1)
                    .min(d[i * width + j - 1] + 1)
                    .min(d[(i - 1) * width + j - 1] + cost);
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    best = best.min(d[(i - 2) * width + j - 2] + 1);
                }
                best
            };
        }
    }
    d[a.len() * width + b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn catalogue_is_big_and_keys_are_unique() {
        assert!(EXERCISES.len() >= 80, "only {} exercises", EXERCISES.len());
        let mut seen = HashSet::new();
        for (e, key) in keys() {
            assert!(!key.is_empty(), "{} has an empty key", e.name);
            assert!(seen.insert(key.clone()), "key '{key}' (from {}) is used twice", e.name);
        }
    }

    #[test]
    fn plural_forgiveness_never_reaches_another_entry() {
        for (e, key) in keys() {
            if let Some(other) = key.strip_suffix('s').and_then(find_key) {
                assert_eq!(other.name, e.name, "'{key}' would be read as {}", other.name);
            }
        }
    }

    #[test]
    fn every_category_is_represented() {
        for c in [Barbell, Dumbbell, Machine, Cable, Bodyweight, Category::Cardio] {
            assert!(
                EXERCISES.iter().filter(|e| e.category == c).count() >= 5,
                "few {c} exercises"
            );
        }
        assert!(EXERCISES.iter().all(|e| e.muscle != Muscle::Other));
    }

    #[test]
    fn normalize_ignores_case_punctuation_and_spaces() {
        assert_eq!(normalize("  Pull-Up "), "pullup");
        assert_eq!(normalize("PULL   up"), "pullup");
        assert_eq!(normalize("Farmer's Walk"), "farmerswalk");
        assert_eq!(normalize("Ça Va"), "çava");
        assert_eq!(normalize("--"), "");
    }

    #[test]
    fn lookup_by_name_alias_and_plural() {
        assert_eq!(lookup("bench press").map(|e| e.name), Some("Bench Press"));
        assert_eq!(lookup("BENCH").map(|e| e.name), Some("Bench Press"));
        assert_eq!(lookup("ohp").map(|e| e.name), Some("Overhead Press"));
        assert_eq!(lookup("RDL").map(|e| e.name), Some("Romanian Deadlift"));
        assert_eq!(lookup("back squat").map(|e| e.name), Some("Squat"));
        assert_eq!(lookup("pull-ups").map(|e| e.name), Some("Pull Up"));
        assert_eq!(lookup("squats").map(|e| e.name), Some("Squat"));
        assert_eq!(lookup("dip").map(|e| e.name), Some("Dips"));
        assert_eq!(lookup("farmers walk").map(|e| e.name), Some("Farmer's Walk"));
        assert_eq!(lookup("zottman curl"), None);
        assert_eq!(lookup("!!"), None);
        let row = lookup("rowing machine").map(|e| (e.category, e.muscle));
        assert_eq!(row, Some((Category::Cardio, Muscle::Cardio)));
    }

    #[test]
    fn muscle_of_unknown_is_other() {
        assert_eq!(Muscle::of("Bench"), Chest);
        assert_eq!(Muscle::of("my weird lift"), Muscle::Other);
    }

    #[test]
    fn suggestions_for_typos() {
        assert_eq!(suggest("bench pres"), Some("Bench Press"));
        assert_eq!(suggest("deadlfit"), Some("Deadlift"));
        assert_eq!(suggest("squatt"), Some("Squat"));
        assert_eq!(suggest("overhed press"), Some("Overhead Press"));
        assert_eq!(suggest("lat pulldwn"), Some("Lat Pulldown"));
    }

    #[test]
    fn no_suggestion_for_known_or_far_names() {
        assert_eq!(suggest("Bench Press"), None);
        assert_eq!(suggest("bench"), None);
        assert_eq!(suggest("squats"), None);
        assert_eq!(suggest("underwater basket weaving"), None);
        assert_eq!(suggest("rox"), None);
        assert_eq!(suggest(""), None);
    }

    #[test]
    fn edit_distance_counts_swaps_as_one() {
        let d = |a: &str, b: &str| edit_distance(&a.chars().collect::<Vec<_>>(), &b.chars().collect::<Vec<_>>());
        assert_eq!(d("deadlfit", "deadlift"), 1);
        assert_eq!(d("kitten", "sitting"), 3);
        assert_eq!(d("", "abc"), 3);
        assert_eq!(d("abc", "abc"), 0);
    }
}
