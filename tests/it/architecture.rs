//! The map stays true (issue 13): the library's top-level modules import
//! each other in one direction only, as ARCHITECTURE.md draws them. This
//! reads `src/` and fails, naming the file and line, on an import that goes
//! up or sideways (which is also how a cycle would start).

use std::path::Path;

/// The layers, bottom first. A module may use the modules of lower layers
/// only; the modules of one layer never use each other.
const LAYERS: &[&[&str]] = &[
    &["error", "progress", "slug"],
    &["config", "git", "images"],
    &["content"],
    &["markdown"],
    &["typography"],
    &["model"],
    &["kb"],
    &["search"],
    &["render"],
    &["site"],
    &["check", "serve", "scaffold", "import"],
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

/// Every `crate::<module>` a file refers to, with its 1-based line, outside
/// comments and its `#[cfg(test)] mod tests` block.
fn references(text: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    let mut in_tests = false;
    let mut after_cfg_test = false;
    for (i, line) in text.lines().enumerate() {
        // The unit tests close a file as `#[cfg(test)] mod tests { … }`,
        // the block ending at a `}` in the first column.
        if after_cfg_test && line.starts_with("mod tests {") {
            in_tests = true;
        }
        after_cfg_test = line.trim() == "#[cfg(test)]";
        if in_tests {
            in_tests = line != "}";
            continue;
        }
        let line = line.split("//").next().unwrap_or("");
        let mut rest = line;
        while let Some(at) = rest.find("crate::") {
            let after = &rest[at + "crate::".len()..];
            let name: String = after
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !found.contains(&(i + 1, name.clone())) {
                found.push((i + 1, name));
            }
            rest = after;
        }
    }
    found
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn modules_import_only_what_lies_below_them() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let lib = std::fs::read_to_string(src.join("lib.rs")).unwrap();
    let modules: Vec<&str> = lib
        .lines()
        .filter_map(|l| l.strip_prefix("pub mod "))
        .map(|l| l.trim_end_matches(';'))
        .collect();
    for module in &modules {
        assert!(
            layer_of(module).is_some(),
            "src/lib.rs: the module `{module}` has no layer in tests/it/architecture.rs (and ARCHITECTURE.md)"
        );
    }
    assert!(
        !modules.contains(&"cli"),
        "src/lib.rs: the command line belongs to the binary (src/main.rs), not the library"
    );
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut wrong = Vec::new();
    for file in &files {
        let rel = file.strip_prefix(&src).unwrap();
        let top = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_string();
        let Some(own) = layer_of(&top) else {
            continue; // lib.rs and the binary's files
        };
        if file.file_name().is_some_and(|n| n == "tests.rs") {
            continue;
        }
        let text = std::fs::read_to_string(file).unwrap();
        for (line, used) in references(&text) {
            if used == top || !modules.contains(&used.as_str()) {
                continue;
            }
            let theirs = layer_of(&used).unwrap();
            if theirs >= own {
                wrong.push(format!(
                    "src/{}:{line}: `{top}` uses `{used}`, which is not below it (layers, bottom first: {})",
                    rel.display(),
                    LAYERS
                        .iter()
                        .map(|l| l.join(" "))
                        .collect::<Vec<_>>()
                        .join(" < ")
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports against the layers:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_reference_scanner_sees_paths_and_skips_comments_and_tests() {
    let text = "use crate::site::Site;\n// crate::serve in a comment\nlet x = crate::render::context::iso(d); // crate::check\n#[cfg(test)]\nmod tests {\n    use crate::serve::x;\n}\nfn after() { crate::kb::x(); }\n";
    assert_eq!(
        references(text),
        [
            (1, "site".to_string()),
            (3, "render".to_string()),
            (8, "kb".to_string())
        ]
    );
}
