//! Every content error names `path:line:col`, says what is wrong and how to
//! fix it; all errors of a build are reported together; the old output stays.

use crate::support::TestSite;

/// The full error report of the `errors` fixture, one entry per error.
fn report() -> Vec<String> {
    TestSite::new("errors").errors()
}

#[track_caller]
fn assert_reported(errors: &[String], expected: &str) {
    assert!(
        errors.iter().any(|e| e == expected),
        "expected error:\n{expected}\n\ngot:\n{}",
        errors.join("\n")
    );
}

#[test]
fn unknown_field_names_line_and_closest_field() {
    assert_reported(
        &report(),
        "content/roles/unknown-key.md:3:1: error: unknown field `titel`\n  hint: did you mean `title`?\n        to keep unknown keys, set `unknown_front_matter: extra` (or `warn`) in rolebook.yaml",
    );
}

#[test]
fn wrong_type_points_at_the_value() {
    assert_reported(
        &report(),
        "content/roles/bad-type.md:3:7: error: `tags` must be a list, found string \"sql\"\n  hint: write `tags: [first, second]`, or one `- item` per line",
    );
}

#[test]
fn bad_date_points_at_the_key() {
    assert_reported(
        &report(),
        "content/roles/bad-date.md:3:1: error: `date` is not a date: `4 ноября 2020`\n  hint: write `date: 2024-05-31` (year-month-day)",
    );
}

#[test]
fn missing_title_and_missing_front_matter() {
    let errors = report();
    assert_reported(
        &errors,
        "content/roles/no-title.md:1:1: error: missing `title`\n  hint: add `title: Page title` to the front matter",
    );
    assert_reported(
        &errors,
        "content/roles/plain.md:1:1: error: missing front matter: a page starts with a `---` block that has a `title`\n  hint: start the file with three lines: `---`, `title: Page title`, `---`",
    );
    assert_reported(
        &errors,
        "content/roles/unterminated.md:1:1: error: front matter opened with `---` is never closed\n  hint: add a line with `---` after the last front matter key",
    );
}

#[test]
fn yaml_syntax_error_is_located_in_the_file() {
    let errors = report();
    let error = errors
        .iter()
        .find(|e| e.starts_with("content/roles/yaml-syntax.md:"))
        .expect("reported");
    assert!(
        error.starts_with(
            "content/roles/yaml-syntax.md:4:1: error: did not find expected ',' or ']'"
        ),
        "{error}"
    );
    assert!(
        !error.contains("at line"),
        "positions are in front, not inside the message: {error}"
    );
}

#[test]
fn fields_of_another_kind_are_explained() {
    assert_reported(
        &report(),
        "content/roles/kind-field.md:3:1: error: unknown field `salary`\n  hint: `salary` is a field of `kind: role` pages; this page is `kind: article`",
    );
}

#[test]
fn toml_errors_are_located_too() {
    let errors = report();
    assert!(
        errors
            .iter()
            .any(|e| e
                .starts_with("content/roles/toml-unknown.md:3:1: error: unknown field `colour`")),
        "{errors:?}"
    );
}

#[test]
fn broken_links_and_anchors_are_errors_at_the_link() {
    let errors = report();
    assert_reported(
        &errors,
        "content/_index.md:5:11: error: link to a missing page: `roles/missing.md` (looked for `content/roles/missing.md`)\n  hint: check the file name; links are relative to the page's folder",
    );
    assert_reported(
        &errors,
        "content/_index.md:5:55: error: `content/roles/ok.md` has no heading with the id `net-takogo`\n  hint: its headings are: `#zarplata`",
    );
}

#[test]
fn two_pages_with_one_url_name_both_files() {
    assert_reported(
        &report(),
        "content/roles/same-url.md: error: `content/roles/same-url-2.md` and `content/roles/same-url.md` both resolve to the URL `/roles/dup/`\n  hint: give one of them a different `slug:` or file name",
    );
}

#[test]
fn all_errors_are_collected_and_sorted_by_path_and_line() {
    let errors = report();
    assert_eq!(errors.len(), 12, "{}", errors.join("\n"));
    let keys: Vec<&str> = errors
        .iter()
        .map(|e| e.split(": error").next().unwrap())
        .collect();
    let mut sorted = keys.clone();
    sorted.sort_by_key(|k| {
        let mut parts = k.splitn(3, ':');
        let path = parts.next().unwrap().to_string();
        let line: usize = parts.next().and_then(|l| l.parse().ok()).unwrap_or(0);
        (path, line)
    });
    assert_eq!(keys, sorted);
}

#[test]
fn failed_build_leaves_the_previous_output_untouched() {
    let site = TestSite::new("basic");
    site.build();
    let before = site.file("roles/pm/index.html");
    site.write("content/roles/pm/index.md", "---\ntitle: [broken\n---\n");
    let out = site.run(&["build"]);
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.stderr.contains("content/roles/pm/index.md:2:"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.ends_with("1 error\n"), "{}", out.stderr);
    assert_eq!(site.file("roles/pm/index.html"), before);
    let leftovers: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("rolebook-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn usage_errors_exit_with_2() {
    let site = TestSite::new("basic");
    let out = site.run(&["build", "--no-such-flag"]);
    assert_eq!(out.code, 2, "{out:?}");
    let out = site.run(&["build", "--output", "."]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("refusing to use"), "{}", out.stderr);
    assert!(
        site.root().join("content/_index.md").exists(),
        "nothing deleted"
    );
    let out = site.run(&["build", "--output", "content"]);
    assert_eq!(out.code, 2, "{out:?}");
}

#[test]
fn config_errors_are_located() {
    let site = TestSite::new("basic");
    site.write(
        "rolebook.yaml",
        "title: x\nbase_url: https://example.org/\nlanguge: ru\n",
    );
    let errors = site.errors();
    assert_eq!(
        errors,
        ["rolebook.yaml:3:1: error: unknown field `languge`\n  hint: did you mean `language`?"]
    );
}

#[test]
fn non_utf8_and_binary_files_are_errors_not_panics() {
    let site = TestSite::new("basic");
    std::fs::write(
        site.root().join("content/latin1.md"),
        b"---\ntitle: caf\xe9\n---\n",
    )
    .unwrap();
    std::fs::write(
        site.root().join("content/image.md"),
        b"\x89PNG\r\n\x1a\n\x00\x00\x00",
    )
    .unwrap();
    let errors = site.errors();
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with("content/latin1.md:2:11: error: the file is not valid UTF-8")),
        "{errors:?}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with("content/image.md:") && e.contains("binary file")),
        "{errors:?}"
    );
}

#[cfg(unix)]
#[test]
fn symlink_loops_are_reported() {
    let site = TestSite::new("basic");
    std::os::unix::fs::symlink("..", site.root().join("content/roles/loop")).unwrap();
    let errors = site.errors();
    assert!(
        errors.iter().any(|e| e.contains("symlink loop")),
        "{errors:?}"
    );
}

#[test]
fn unknown_keys_can_be_kept_for_migrated_content() {
    let site = TestSite::new("basic");
    site.write(
        "content/migrated.md",
        "---\ntitle: Из Hugo\nlayout: post\ncategories: [a]\n---\n",
    );
    assert!(
        site.errors()
            .iter()
            .any(|e| e.contains("unknown field `layout`"))
    );
    let config = std::fs::read_to_string(site.root().join("rolebook.yaml")).unwrap();
    site.write(
        "rolebook.yaml",
        &format!("{config}unknown_front_matter: warn\n"),
    );
    let report = site.build();
    let warnings: Vec<String> = report.warnings.iter().map(|w| w.to_string()).collect();
    assert!(
        warnings.iter().any(|w| w.starts_with(
            "content/migrated.md:3:1: warning[unknown-field]: unknown field `layout`"
        )),
        "{warnings:?}"
    );
    site.write(
        "rolebook.yaml",
        &format!("{config}unknown_front_matter: extra\n"),
    );
    assert!(site.build().warnings.is_empty());
}
