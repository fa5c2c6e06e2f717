//! `rolebook init` and `rolebook new`: the scaffolded site builds at once.

use crate::support::TestSite;

fn init_site() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    let out = TestSite::empty("title: x\n").run(&["init", root.to_str().unwrap()]);
    assert_eq!(out.code, 0, "{out:?}");
    (dir, root)
}

fn run(root: &std::path::Path, args: &[&str]) -> crate::support::Output {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_rolebook"))
        .args(args)
        .current_dir(root)
        .output()
        .unwrap();
    crate::support::Output {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

#[test]
fn init_creates_a_site_that_builds() {
    let (_dir, root) = init_site();
    let out = run(&root, &["build"]);
    assert_eq!(out.code, 0, "{out:?}");
    for file in [
        "index.html",
        "roles/primer-roli/index.html",
        "articles/primer-stati/index.html",
        "courses/primer-kursa/index.html",
        "courses/primer-kursa/print/index.html",
        "search/index.html",
    ] {
        assert!(root.join("public").join(file).exists(), "{file}");
    }
    assert!(!root.join("themes").exists(), "the embedded theme is used");
}

#[test]
fn init_refuses_a_non_empty_folder_unless_forced_and_never_overwrites() {
    let (_dir, root) = init_site();
    std::fs::write(root.join("rolebook.yaml"), "title: Моя\n").unwrap();
    std::fs::remove_file(root.join("content/articles/primer-stati.md")).unwrap();
    let out = run(&root, &["init", "."]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("is not empty"), "{}", out.stderr);
    let out = run(&root, &["init", ".", "--force"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(
        std::fs::read_to_string(root.join("rolebook.yaml")).unwrap(),
        "title: Моя\n"
    );
    assert!(
        root.join("content/articles/primer-stati.md").exists(),
        "missing files are added"
    );
}

#[test]
fn new_writes_every_kind_with_a_transliterated_name_and_the_site_builds() {
    let (_dir, root) = init_site();
    let cases = [
        (
            vec!["new", "role", "Аккаунт-менеджер"],
            "content/roles/akkaunt-menedzher.md",
        ),
        (
            vec!["new", "article", "О чём эта статья"],
            "content/articles/o-chem-eta-statya.md",
        ),
        (
            vec![
                "new",
                "comparison",
                "Роль или роль",
                "--roles",
                "primer-roli,akkaunt-menedzher",
            ],
            "content/comparisons/rol-ili-rol.md",
        ),
        (
            vec!["new", "course", "Новый курс"],
            "content/courses/novy-kurs/_index.md",
        ),
        (
            vec![
                "new",
                "chapter",
                "Третья глава",
                "--section",
                "courses/primer-kursa",
            ],
            "content/courses/primer-kursa/tretya-glava.md",
        ),
    ];
    for (args, path) in cases {
        let out = run(&root, &args);
        assert_eq!(out.code, 0, "{args:?}: {out:?}");
        assert!(out.stdout.contains(path), "{out:?}");
        let text = std::fs::read_to_string(root.join(path)).unwrap();
        assert!(!text.contains(": \"\""), "no empty values: {text}");
        let build = run(&root, &["build"]);
        assert_eq!(build.code, 0, "after {args:?}: {build:?}");
    }
    let comparison =
        std::fs::read_to_string(root.join("content/comparisons/rol-ili-rol.md")).unwrap();
    assert!(
        comparison.contains("roles: [primer-roli, akkaunt-menedzher]"),
        "{comparison}"
    );
    let chapter =
        std::fs::read_to_string(root.join("content/courses/primer-kursa/tretya-glava.md")).unwrap();
    assert!(chapter.contains("weight: 3"), "next weight: {chapter}");
    let page =
        std::fs::read_to_string(root.join("public/courses/primer-kursa/tretya-glava/index.html"))
            .unwrap();
    assert!(
        page.contains("Глава 3 из\u{a0}3") || page.contains("Глава 3 из 3"),
        "numbered last"
    );
}

#[test]
fn new_chapter_is_appended_to_an_explicit_chapter_list() {
    let (_dir, root) = init_site();
    let course = root.join("content/courses/primer-kursa/_index.md");
    let text = std::fs::read_to_string(&course).unwrap().replacen(
        "level: начальный\n",
        "level: начальный\nchapters: [praktika, vvedenie]\n",
        1,
    );
    std::fs::write(&course, text).unwrap();
    let out = run(
        &root,
        &[
            "new",
            "chapter",
            "Итоги",
            "--section",
            "courses/primer-kursa",
        ],
    );
    assert_eq!(out.code, 0, "{out:?}");
    let text = std::fs::read_to_string(&course).unwrap();
    assert!(
        text.contains("chapters: [praktika, vvedenie, itogi]"),
        "{text}"
    );
    assert_eq!(run(&root, &["build"]).code, 0);
}

#[test]
fn new_refuses_to_overwrite_and_to_add_chapters_outside_courses() {
    let (_dir, root) = init_site();
    let out = run(&root, &["new", "role", "Пример роли"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("already exists"), "{}", out.stderr);
    let out = run(&root, &["new", "chapter", "Глава", "--section", "roles"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("is not a course"), "{}", out.stderr);
}

/// Issue 18: a fresh site passes the README's CI recipe; a role added with
/// `new` only needs a link to it (its optional fields are comments, not
/// empty values that render an empty card).
#[test]
fn a_new_site_and_a_new_role_pass_check_deny_warnings() {
    let (_dir, root) = init_site();
    let check = run(&root, &["check", "--deny", "warnings"]);
    assert_eq!(check.code, 0, "{check:?}");
    assert_eq!(run(&root, &["new", "role", "Новая роль"]).code, 0);
    let check = run(&root, &["check", "--deny", "warnings"]);
    let warnings: Vec<&str> = check
        .stdout
        .lines()
        .filter(|l| l.contains(": warning["))
        .collect();
    assert_eq!(
        warnings,
        [
            "content/roles/novaya-rol.md:2:1: warning[orphan-page]: no other page links to `Новая роль`"
        ],
        "{check:?}"
    );
}

/// `new comparison` takes the roles it compares and checks them.
#[test]
fn new_comparison_needs_existing_roles() {
    let (_dir, root) = init_site();
    let out = run(&root, &["new", "comparison", "А или Б"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(
        out.stderr.contains("pass two or more with `--roles a,b`")
            && out.stderr.contains("the site's roles: primer-roli"),
        "{}",
        out.stderr
    );
    assert_eq!(run(&root, &["new", "role", "Вторая роль"]).code, 0);
    let out = run(
        &root,
        &[
            "new",
            "comparison",
            "А или Б",
            "--roles",
            "primer-rol,vtoraya-rol",
        ],
    );
    assert_eq!(out.code, 2, "{out:?}");
    assert!(
        out.stderr.contains("no role `primer-rol` in this site")
            && out.stderr.contains("did you mean `primer-roli`?"),
        "{}",
        out.stderr
    );
    assert!(!root.join("content/comparisons/a-ili-b.md").exists());
    let out = run(&root, &["new", "role", "Третья", "--roles", "a,b"]);
    assert_eq!(out.code, 2, "{out:?}");
}
