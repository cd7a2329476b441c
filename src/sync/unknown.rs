//! Fields a newer pump wrote that this one does not know. A record is read
//! into this pump's model type, edited, and written back; whatever the model
//! has no field for would be dropped on the way, and a newer device's data
//! lost for good. The store calls [`carry_unknown_fields`] on every edit, so
//! those fields travel on untouched until a pump that knows them edits them.
//!
//! Like the merge, it works on JSON bodies: objects key by key, arrays of
//! objects with a string `"id"` element by element (a set keeps its unknown
//! fields while it exists, wherever the edit moved it).

use serde_json::{Map, Value};

/// Copies into `written` (the body an edit produced) every field of
/// `stored` (the body as it was) that this pump does not understand: one
/// absent from `understood` (the stored body read into the model and written
/// back out). A field the edit itself wrote wins; a field under an object or
/// an element the edit removed goes with it.
pub fn carry_unknown_fields(stored: &Value, understood: &Value, written: &mut Value) {
    match (stored, understood, written) {
        (Value::Object(stored), Value::Object(understood), Value::Object(written)) => {
            for (key, value) in stored {
                match (understood.get(key), written.get_mut(key)) {
                    (None, None) => {
                        written.insert(key.clone(), value.clone());
                    }
                    (Some(understood), Some(written)) => carry_unknown_fields(value, understood, written),
                    _ => {}
                }
            }
        }
        (Value::Array(stored), Value::Array(understood), Value::Array(written)) => {
            let (Some(stored), Some(understood)) = (by_id(stored), by_id(understood)) else {
                return;
            };
            for element in written.iter_mut() {
                let Some(id) = element.get("id").and_then(Value::as_str).map(str::to_string) else {
                    continue;
                };
                if let (Some(stored), Some(understood)) = (stored.get(&id), understood.get(&id)) {
                    carry_unknown_fields(stored, understood, element);
                }
            }
        }
        _ => {}
    }
}

/// The elements of an array of objects with string ids, by id; `None` for
/// any other array (carried as one value, like the merge does).
fn by_id(items: &[Value]) -> Option<Map<String, Value>> {
    items
        .iter()
        .map(|item| Some((item.get("id")?.as_str()?.to_string(), item.clone())))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// What this pump's model keeps of a body: it knows `name`, `exercises`,
    /// and in each exercise `id`, `name` and `sets`, and in each set `id` and
    /// `reps`.
    fn understood(stored: &Value) -> Value {
        let sets = |e: &Value| -> Vec<Value> {
            e["sets"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|s| json!({"id": s["id"], "reps": s["reps"]}))
                .collect()
        };
        let exercises: Vec<Value> = stored["exercises"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|e| json!({"id": e["id"], "name": e["name"], "sets": sets(e)}))
            .collect();
        json!({"name": stored["name"], "exercises": exercises})
    }

    fn newer() -> Value {
        json!({
            "name": "Push",
            "tempo": "3-1-1",
            "exercises": [
                {"id": "e1", "name": "bench", "grip": "wide", "sets": [
                    {"id": "s1", "reps": 5, "rest_s": 90},
                    {"id": "s2", "reps": 5, "rest_s": 120},
                ]},
            ],
        })
    }

    fn edit(stored: &Value, change: impl FnOnce(&mut Value)) -> Value {
        let understood = understood(stored);
        let mut written = understood.clone();
        change(&mut written);
        carry_unknown_fields(stored, &understood, &mut written);
        written
    }

    #[test]
    fn an_edit_keeps_every_field_it_did_not_understand_at_every_depth() {
        let written = edit(&newer(), |w| {
            w["name"] = json!("Push A");
            w["exercises"][0]["sets"][1]["reps"] = json!(6);
        });
        let mut expected = newer();
        expected["name"] = json!("Push A");
        expected["exercises"][0]["sets"][1]["reps"] = json!(6);
        assert_eq!(written, expected);
    }

    #[test]
    fn elements_are_matched_by_id_and_removed_ones_stay_removed() {
        let written = edit(&newer(), |w| {
            let sets = w["exercises"][0]["sets"].as_array_mut().unwrap();
            sets.remove(0);
            sets.push(json!({"id": "s3", "reps": 3}));
        });
        assert_eq!(
            written["exercises"][0]["sets"],
            json!([{"id": "s2", "reps": 5, "rest_s": 120}, {"id": "s3", "reps": 3}])
        );
        assert_eq!(written["exercises"][0]["grip"], "wide");
    }

    #[test]
    fn a_field_the_edit_wrote_or_removed_is_the_edits() {
        let stored = json!({"name": "Push", "exercises": [], "tempo": "slow"});
        let written = edit(&stored, |w| {
            w["tempo"] = json!("fast");
            w.as_object_mut().unwrap().remove("exercises");
        });
        assert_eq!(written, json!({"name": "Push", "tempo": "fast"}));
    }

    #[test]
    fn arrays_without_ids_are_one_value() {
        let stored = json!({"name": "Push", "exercises": [], "tags": [{"x": 1}]});
        let understood = json!({"name": "Push", "exercises": [], "tags": [{}]});
        let mut written = understood.clone();
        carry_unknown_fields(&stored, &understood, &mut written);
        assert_eq!(written["tags"], json!([{}]), "not merged element by element");
    }
}
