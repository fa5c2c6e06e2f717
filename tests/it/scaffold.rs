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
            vec!["new", "comparison", "Роль или роль"],
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
        assert!(root.join(path).exists(), "{path}");
        let build = run(&root, &["build"]);
        assert_eq!(build.code, 0, "after {args:?}: {build:?}");
    }
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
