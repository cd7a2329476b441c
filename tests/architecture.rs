//! The layering README's *Design* section describes, checked over the
//! source: a module may name (`use crate::x`, `crate::x::…`) only modules of
//! a lower layer, or itself. Modules of one layer never import each other,
//! except the command line's front end (`cli`, `completions`, `commands`),
//! which is one layer split over three files: the `Command` enum names each
//! command's arguments, defined next to its handler.
//!
//! Inside `store/`, the three users of the low-level modules (`workouts`,
//! `conflicts`, `sync`) never import each other either.

use std::path::{Path, PathBuf};

/// (module, layer): lower layers know nothing of higher ones.
const LAYERS: &[(&str, u32)] = &[
    ("error", 0),
    ("files", 0),
    ("text", 0),
    ("clock", 1),
    ("model", 2),
    ("sync", 3),
    ("analytics", 3),
    ("import", 3),
    ("chart", 3),
    ("plates", 3),
    ("config", 3),
    ("store", 4),
    ("server", 4),
    ("client", 5),
    ("app", 5),
    ("cli", 6),
    ("completions", 6),
    ("commands", 6),
];

/// Same-layer modules allowed to name each other.
const ONE_LAYER: &[&str] = &["cli", "completions", "commands"];

/// Store modules that must not import each other.
const STORE_PEERS: &[&str] = &["workouts", "conflicts", "sync"];

fn layer(module: &str) -> Option<u32> {
    LAYERS.iter().find(|(name, _)| *name == module).map(|(_, layer)| *layer)
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code of a file with its comment lines blanked (doc comments may
/// name any module in prose); line numbers stay as they were.
fn code(path: &Path) -> String {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|line| if line.trim_start().starts_with("//") { "" } else { line })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every module named right after `prefix` in `code`, with its line:
/// `crate::store::X` → `store`; `super::{meta, rows::{A, B}}` → `meta`,
/// `rows`, also when rustfmt spreads the group over several lines.
fn names_after<'a>(code: &'a str, prefix: &str) -> Vec<(usize, &'a str)> {
    let is_ident = |c: char| c.is_alphanumeric() || c == '_';
    let identifier = |text: &'a str| {
        let text = text.trim_start();
        &text[..text.find(|c: char| !is_ident(c)).unwrap_or(text.len())]
    };
    let mut found = Vec::new();
    for (at, _) in code.match_indices(prefix) {
        // `crate::` itself, not `my_crate::`.
        if code[..at].chars().next_back().is_some_and(is_ident) {
            continue;
        }
        let line = code[..at].matches('\n').count() + 1;
        let rest = &code[at + prefix.len()..];
        let Some(group) = rest.strip_prefix('{') else {
            found.push((line, identifier(rest)));
            continue;
        };
        let (mut depth, mut item_start) = (0, 0);
        for (i, c) in group.char_indices() {
            match c {
                '{' => depth += 1,
                '}' if depth == 0 => {
                    found.push((line, identifier(&group[item_start..i])));
                    break;
                }
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    found.push((line, identifier(&group[item_start..i])));
                    item_start = i + 1;
                }
                _ => {}
            }
        }
    }
    found.retain(|(_, name)| !name.is_empty());
    found
}

/// The top module a file under `src/` belongs to (`src/store/sync.rs` → `store`).
fn top_module(src: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(src).unwrap();
    let first = relative
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy()
        .into_owned();
    first.trim_end_matches(".rs").to_string()
}

#[test]
fn every_module_imports_only_layers_below_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut violations = Vec::new();
    for file in &files {
        let module = top_module(&src, file);
        if module == "lib" || module == "main" {
            continue;
        }
        let own = layer(&module).unwrap_or_else(|| {
            panic!(
                "{module} ({}) has no layer: add it to LAYERS and to README's Design section",
                file.display()
            )
        });
        let code = code(file);
        for (number, named) in names_after(&code, "crate::") {
            if named == module || (ONE_LAYER.contains(&named) && ONE_LAYER.contains(&module.as_str())) {
                continue;
            }
            match layer(named) {
                Some(theirs) if theirs < own => {}
                Some(theirs) => violations.push(format!(
                    "{}:{number}: {module} (layer {own}) imports {named} (layer {theirs})",
                    file.display()
                )),
                None => violations.push(format!("{}:{number}: unknown module crate::{named}", file.display())),
            }
        }
    }
    assert!(
        violations.is_empty(),
        "imports against the layering:\n{}",
        violations.join("\n")
    );
}

#[test]
fn the_store_modules_that_use_rows_and_meta_do_not_import_each_other() {
    let store = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/store");
    let mut violations = Vec::new();
    for peer in STORE_PEERS {
        let file = store.join(format!("{peer}.rs"));
        let code = code(&file);
        let named = names_after(&code, "super::")
            .into_iter()
            .chain(names_after(&code, "crate::store::"));
        for (number, other) in named.filter(|(_, n)| n != peer && STORE_PEERS.contains(n)) {
            violations.push(format!("store/{peer}.rs:{number} imports store::{other}"));
        }
    }
    assert!(violations.is_empty(), "{}", violations.join("\n"));
}

#[test]
fn the_checker_sees_an_import_against_the_layering() {
    let names = |code: &str, prefix: &str| -> Vec<String> {
        names_after(code, prefix)
            .into_iter()
            .map(|(_, n)| n.to_string())
            .collect()
    };
    assert_eq!(names("use crate::store::{Store, Change};", "crate::"), ["store"]);
    assert_eq!(names("let x = crate::sync::wire::Row::default();", "crate::"), ["sync"]);
    assert!(names("use my_crate::store;", "crate::").is_empty());
    assert_eq!(
        names("use super::{conflicts, meta::Key};", "super::"),
        ["conflicts", "meta"]
    );
    assert_eq!(
        names(
            "use crate::{\n    clock::VectorClock,\n    store::{A, B},\n};",
            "crate::"
        ),
        ["clock", "store"]
    );
    assert_eq!(names_after("a\nb crate::cli::X", "crate::"), [(2, "cli")]);
    assert_eq!(names("use super::conflicts::Held;", "super::"), ["conflicts"]);
    assert!(layer("sync") < layer("store") && layer("store") == layer("server"));
}
