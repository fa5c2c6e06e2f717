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

/// Issue 20: a page without `title:` is named by its first `# H1` or its
/// file name, and a file without front matter is a page (VitePress and
/// mdBook write them); an unclosed fence stays a mistake.
#[test]
fn no_title_or_no_front_matter_is_no_error_but_an_unclosed_fence_is() {
    let errors = report();
    for file in ["no-title.md", "plain.md"] {
        assert!(
            !errors.iter().any(|e| e.contains(file)),
            "{file}: {errors:#?}"
        );
    }
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
            "content/roles/yaml-syntax.md:3:7: error: the list opened with `[` here is never closed"
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
    // (no-title.md and plain.md are pages now: issue 20.)
    assert_eq!(errors.len(), 10, "{}", errors.join("\n"));
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
    let page = std::fs::read_to_string(site.root().join("content/roles/pm/index.md")).unwrap();
    let broken = page.replacen("title: Менеджер проектов", "title: [broken", 1);
    assert_ne!(broken, page);
    site.write("content/roles/pm/index.md", &broken);
    let out = site.run(&["build"]);
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.stderr.contains("content/roles/pm/index.md:2:"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.ends_with("1 error\n"), "{}", out.stderr);
    assert_eq!(site.file("roles/pm/index.html"), before);
    site.assert_no_temporary_folders();
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

/// One mistake in the bundled site's account manager guide.
#[track_caller]
fn errors_after(edit: impl Fn(&str) -> String) -> Vec<String> {
    let site = TestSite::bundled();
    let path = site.root().join("content/roles/account-manager.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let edited = edit(&text);
    assert_ne!(edited, text, "the edit applies");
    std::fs::write(&path, edited).unwrap();
    site.errors()
}

/// A named edit of the guide and the start of the one error it must give.
type Mistake = (&'static str, fn(&str) -> String, &'static str);

/// One mistake gives one error (issue 12): the page with the mistake still
/// takes part in the build, so the pages pointing at it get no false errors.
#[test]
fn one_mistake_gives_one_error() {
    let am = "content/roles/account-manager.md";
    let cases: [Mistake; 6] = [
        (
            "key typo",
            |t| t.replacen("\nsummary:", "\nsumary:", 1),
            ":11:1: error: unknown field `sumary`\n  hint: did you mean `summary`?",
        ),
        (
            "min > max",
            |t| t.replacen("min: 30000, max: 150000", "min: 300000, max: 150000", 1),
            ":27:37: error: salary `max` (150000) is less than `min` (300000) for `Москва`",
        ),
        (
            "dangling reference",
            |t| t.replacen("related: [project-manager,", "related: [project-managr,", 1),
            ":72:11: error: `related`: no role page `project-managr`\n  hint: did you mean `project-manager`?",
        ),
        (
            "empty title",
            |t| t.replacen("title: Аккаунт-менеджер\n", "title: \"\"\n", 1),
            ":2:1: error: missing `title`",
        ),
        (
            "bad date",
            |t| t.replacen("date: 2020-11-04", "date: 2020-13-45", 1),
            ":4:1: error: `date` is not a date: `2020-13-45`",
        ),
        (
            "wrong type",
            |t| t.replacen("weight: 1\n", "weight: первый\n", 1),
            ":6:9: error: `weight` must be a whole number, found string \"первый\"",
        ),
    ];
    for (name, edit, expected) in cases {
        let errors = errors_after(edit);
        assert_eq!(errors.len(), 1, "{name}: {errors:#?}");
        assert!(
            errors[0].starts_with(&format!("{am}{expected}")),
            "{name}: {}",
            errors[0]
        );
    }
}

#[test]
fn every_independent_error_of_a_page_is_still_reported() {
    // The role with `min > max` keeps its references: its own dangling one
    // is reported too, and nothing else.
    let errors = errors_after(|t| {
        t.replacen("min: 30000, max: 150000", "min: 300000, max: 150000", 1)
            .replacen("related: [project-manager,", "related: [project-managr,", 1)
    });
    assert_eq!(errors.len(), 2, "{errors:#?}");
    assert!(
        errors[0].contains(":27:37: error: salary `max`"),
        "{}",
        errors[0]
    );
    assert!(errors[1].contains(":72:11: error: `related`: no role page `project-managr`"));
}

#[test]
fn a_misspelt_kind_is_one_error_with_the_kind_meant() {
    let errors = errors_after(|t| t.replacen("category:", "kind: rol\ncategory:", 1));
    assert_eq!(
        errors,
        [
            "content/roles/account-manager.md:10:7: error: `kind`: unknown variant `rol`\n  hint: did you mean `role`?"
        ]
    );
}

#[test]
fn yaml_syntax_errors_name_their_cause_in_the_authors_words() {
    let errors =
        errors_after(|t| t.replacen("title: Аккаунт-менеджер", "title: \"Аккаунт-менеджер", 1));
    assert_eq!(
        errors,
        [
            "content/roles/account-manager.md:2:8: error: the quote `\"` opened here is never closed\n  hint: end the value with `\"` on this line (write `\\\"` for a quote inside it)"
        ]
    );
    let errors = errors_after(|t| t.replacen("  - выяснять", "\t- выяснять", 1));
    assert_eq!(
        errors,
        [
            "content/roles/account-manager.md:13:1: error: a tab in the indentation: YAML indents with spaces only\n  hint: replace the tab at the start of this line with spaces"
        ]
    );
}

#[test]
fn every_unknown_setting_is_reported_in_one_run() {
    let site = TestSite::new("basic");
    site.write(
        "rolebook.yaml",
        "titel: Тестовая база\nbase_url: https://example.org/\nsearch:\n  enabeld: false\nlanguge: ru\n",
    );
    let out = site.run(&["build"]);
    assert_eq!(out.code, 1, "{out:?}");
    assert_eq!(
        out.stderr,
        "rolebook.yaml:1:1: error: unknown field `titel`\n  hint: did you mean `title`?\n\
         rolebook.yaml:4:3: error: unknown field `enabeld` in `search`\n  hint: did you mean `enabled`?\n\
         rolebook.yaml:5:1: error: unknown field `languge`\n  hint: did you mean `language`?\n\
         3 errors\n"
    );
}

/// A template mistake is reported once per template location, with the
/// number of pages it failed on and one example (issue 12).
#[test]
fn a_template_mistake_is_reported_once() {
    let site = TestSite::bundled();
    let footer = include_str!("../../themes/default/templates/partials/footer.html");
    site.write(
        "templates/partials/footer.html",
        &format!("{{{{ page.nonexistent_field }}}}\n{footer}"),
    );
    let out = site.run(&["build"]);
    assert_eq!(out.code, 1, "{out:?}");
    let heads: Vec<&str> = out
        .stderr
        .lines()
        .filter(|l| l.contains(": error: "))
        .collect();
    assert_eq!(
        heads,
        [
            "templates/partials/footer.html:1:4: error: variable `page` is not defined (on 27 pages, e.g. while rendering `content/_index.en.md`)",
            "templates/partials/footer.html:1:9: error: field `nonexistent_field` is not defined (on 25 pages, e.g. while rendering `content/articles/career.md`)",
        ],
        "{}",
        out.stderr
    );
    assert!(out.stderr.ends_with("\n2 errors\n"), "{}", out.stderr);
    // Tera's own message is not repeated under `caused by`.
    assert!(!out.stderr.contains("caused by: error:"), "{}", out.stderr);
    assert!(
        out.stderr
            .contains("  caused by:  --> partials/footer.html:1:9")
    );
    assert!(out.stderr.contains("  hint: the fields here are: assets, "));
}

#[test]
fn an_alias_that_is_refused_names_its_line() {
    let site = TestSite::new("basic");
    let page =
        std::fs::read_to_string(site.root().join("content/roles/account-manager.md")).unwrap();
    site.write(
        "content/roles/account-manager.md",
        &page.replacen(
            "---\n",
            "---\naliases: [\"../../evil\", \"https://x.example/a\"]\n",
            1,
        ),
    );
    assert_eq!(
        site.errors(),
        [
            "content/roles/account-manager.md:2:11: error: alias `../../evil` climbs out of the site with `..`\n  hint: write the old address as a path of this site, e.g. `/old/account-manager/`",
            "content/roles/account-manager.md:2:25: error: alias `https://x.example/a` is a URL, not a path of this site\n  hint: write the old address as a path of this site, e.g. `/old/account-manager/`",
        ]
    );
}

/// `rolebook check --format json | head`: the reader goes away early; the
/// command ends quietly, without a panic on the broken pipe (issue 12).
#[test]
fn commands_end_quietly_when_their_output_is_closed() {
    let site = TestSite::bundled();
    for args in [
        &["check", "--format", "json"][..],
        &["check"][..],
        &["build"][..],
    ] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_rolebook"))
            .args(args)
            .current_dir(site.root())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take()); // `head` has read its lines and left
        let output = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert!(!stderr.contains("Broken pipe"), "{args:?}: {stderr}");
    }
}
