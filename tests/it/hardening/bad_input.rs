//! Bad input files, each run through the real binary (`build`, then `check`)
//! in a subprocess with a time limit (`timeout -s KILL`), an address-space
//! limit (`ulimit -v`) and, where `/usr/bin/time` exists, a measured peak
//! RSS that must stay under [`MAX_RSS_MB`]. Every case must end in a clear
//! located error or a correct page: never a panic, a signal, a hang or a
//! memory blow-up. Big files are generated here, never committed.
//!
//! The suite uses the binary `cargo test` builds (a debug build); limits
//! are generous enough for it. Set `ROLEBOOK_BIN=target/release/rolebook`
//! to run the same cases against a release binary (the figures in the
//! report were measured that way).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::support::TestSite;

/// Peak resident memory allowed for any case.
const MAX_RSS_MB: u64 = 400;
/// Address space allowed (with threads and allocator arenas kept small).
const ADDRESS_SPACE_MB: u64 = 2048;

/// What one limited run of the binary did.
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    elapsed: Duration,
    peak_rss_kb: Option<u64>,
}

impl Run {
    /// Exit code 0 or 1, no panic, no signal, within the limits.
    #[track_caller]
    fn assert_clean(&self, case: &str, limit: Duration) {
        let out = format!(
            "{case}:\nstdout:\n{}\nstderr:\n{}",
            tail(&self.stdout),
            tail(&self.stderr)
        );
        assert!(!self.stderr.contains("panicked"), "panic in {out}");
        assert!(
            matches!(self.code, Some(0 | 1)),
            "{case} ended with {:?} (killed, crashed or over a limit) after {:?}\n{out}",
            self.code,
            self.elapsed
        );
        assert!(self.elapsed < limit, "{case} took {:?}", self.elapsed);
        if let Some(kb) = self.peak_rss_kb {
            assert!(kb < MAX_RSS_MB * 1024, "{case} used {} MB", kb / 1024);
        }
        eprintln!(
            "bad input `{case}`: exit {:?} in {:.2} s, peak RSS {}",
            self.code,
            self.elapsed.as_secs_f64(),
            self.peak_rss_kb
                .map_or("not measured (no /usr/bin/time)".to_string(), |kb| format!(
                    "{} MB",
                    kb / 1024
                ))
        );
    }
}

fn tail(text: &str) -> &str {
    let start = text.len().saturating_sub(3000);
    let start = (start..=text.len())
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0);
    &text[start..]
}

fn binary() -> PathBuf {
    std::env::var_os("ROLEBOOK_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_rolebook")))
}

fn has(program: &str) -> bool {
    Path::new(program).exists()
}

/// Run the binary in `root` with the limits; `wrapper` goes in front (e.g.
/// `setpriv` to drop root).
fn run_limited(root: &Path, args: &[&str], limit: Duration, wrapper: &[&str]) -> Run {
    let mut command = Command::new("sh");
    command
        .arg("-c")
        .arg(r#"ulimit -v "$LIMIT_KB" && exec "$@""#)
        .arg("sh");
    command.args(wrapper);
    command.args(["timeout", "-s", "KILL", &limit.as_secs().to_string()]);
    let time = "/usr/bin/time";
    if has(time) {
        command.args([time, "-f", "ROLEBOOK_PEAK_RSS_KB=%M"]);
    }
    command
        .arg(binary())
        .args(args)
        .current_dir(root)
        .env("LIMIT_KB", (ADDRESS_SPACE_MB * 1024).to_string())
        .env("RAYON_NUM_THREADS", "2")
        .env("MALLOC_ARENA_MAX", "2")
        .env("SOURCE_DATE_EPOCH", crate::support::TODAY_EPOCH);
    let started = Instant::now();
    let output = command.output().expect("run sh");
    let elapsed = started.elapsed();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let peak_rss_kb = stderr
        .lines()
        .find_map(|l| l.strip_prefix("ROLEBOOK_PEAK_RSS_KB="))
        .and_then(|v| v.trim().parse().ok());
    Run {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr,
        elapsed,
        peak_rss_kb,
    }
}

/// `build` and `check` of the site; returns both runs after asserting that
/// they ended cleanly.
#[track_caller]
fn build_and_check(site: &TestSite, case: &str, limit: Duration) -> (Run, Run) {
    let build = run_limited(site.root(), &["build"], limit, &[]);
    build.assert_clean(&format!("{case} (build)"), limit);
    let check = run_limited(site.root(), &["check"], limit, &[]);
    check.assert_clean(&format!("{case} (check)"), limit);
    (build, check)
}

const QUICK: Duration = Duration::from_secs(60);

#[track_caller]
fn assert_error(build: &Run, check: &Run, expected: &str) {
    assert_eq!(build.code, Some(1), "{}", build.stderr);
    assert!(build.stderr.contains(expected), "build:\n{}", build.stderr);
    assert_eq!(check.code, Some(1), "{}", check.stdout);
    assert!(check.stdout.contains(expected), "check:\n{}", check.stdout);
}

fn site_with(name: &str, bytes: &[u8]) -> TestSite {
    let site = TestSite::new("bad-input");
    std::fs::write(site.root().join("content").join(name), bytes).unwrap();
    site
}

#[test]
fn empty_file_is_a_page_without_front_matter() {
    let site = site_with("empty.md", b"");
    let (build, check) = build_and_check(&site, "empty file", QUICK);
    assert_error(
        &build,
        &check,
        "content/empty.md:1:1: error: missing front matter",
    );
}

#[test]
fn front_matter_only_is_a_correct_empty_page() {
    let site = site_with("only.md", "---\ntitle: Только шапка\n---\n".as_bytes());
    let (build, check) = build_and_check(&site, "front matter only", QUICK);
    assert_eq!(build.code, Some(0), "{}", build.stderr);
    assert!(site.main_html("/only/").contains("Только шапка"));
    assert_eq!(check.code, Some(0), "{}", check.stdout);
    let no_newline = site_with("only.md", b"---\ntitle: x\n---");
    let (build, _) = build_and_check(&no_newline, "front matter only, no final newline", QUICK);
    assert_eq!(build.code, Some(0), "{}", build.stderr);
}

#[test]
fn unterminated_front_matter_is_located() {
    let site = site_with(
        "open.md",
        "---\ntitle: Без конца\n\nТекст страницы.\n".as_bytes(),
    );
    let (build, check) = build_and_check(&site, "unterminated front matter", QUICK);
    assert_error(
        &build,
        &check,
        "content/open.md:1:1: error: front matter opened with `---` is never closed",
    );
}

#[test]
fn binary_file_with_md_name_is_refused() {
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend((0..4096u32).map(|i| (i * 7919 % 251) as u8));
    let site = site_with("picture.md", &png);
    let (build, check) = build_and_check(&site, "binary file", QUICK);
    assert_error(
        &build,
        &check,
        "content/picture.md:3:1: error: this looks like a binary file, not Markdown",
    );
}

#[test]
fn non_utf8_text_is_located_with_a_fix() {
    // «Привет» in Windows-1251 on line 4.
    let mut bytes = b"---\ntitle: cp1251\n---\n".to_vec();
    bytes.extend_from_slice(b"\xcf\xf0\xe8\xe2\xe5\xf2\n");
    let site = site_with("cp1251.md", &bytes);
    let (build, check) = build_and_check(&site, "non-UTF-8", QUICK);
    assert_error(
        &build,
        &check,
        "content/cp1251.md:4:1: error: the file is not valid UTF-8 (byte 0xcf)\n  hint: save the file as UTF-8 (e.g. convert from Windows-1251 with `iconv -f cp1251 -t utf-8`)",
    );
}

/// 50 MB of varied Russian prose in paragraphs and sections.
#[test]
fn fifty_megabyte_page_builds_within_limits() {
    let mut text = String::with_capacity(51 << 20);
    text.push_str("---\ntitle: Очень длинная страница\n---\n\n");
    let mut n = 0u64;
    while text.len() < 50 << 20 {
        if n.is_multiple_of(40) {
            text.push_str(&format!("## Раздел {}\n\n", n / 40));
        }
        text.push_str(&format!(
            "Абзац {n}: менеджер по работе с клиентами номер {} выясняет, что нужно заказчику, \
             пишет бриф для команды и следит за сроками проекта {} и за бюджетом {} рублей.\n\n",
            n * 7 % 1009,
            n * 13 % 997,
            n * 31 % 100_003
        ));
        n += 1;
    }
    let site = site_with("big.md", text.as_bytes());
    drop(text);
    let limit = Duration::from_secs(300);
    let (build, check) = build_and_check(&site, "50 MB page", limit);
    assert_eq!(build.code, Some(0), "{}", build.stderr);
    let html = site.file("big/index.html");
    assert!(html.len() > 50 << 20, "the whole page is there");
    let last_section = (n - 1) / 40;
    assert!(
        html.contains(r#"id="razdel-0""#)
            && html.contains(&format!(r#"id="razdel-{last_section}""#))
    );
    assert_eq!(
        html.matches("<p>Абзац").count() as u64,
        n,
        "every paragraph is there"
    );
    assert_eq!(check.code, Some(0), "{}", tail(&check.stdout));
}

/// `- - - … - x` opens one list inside another per `- `.
#[test]
fn ten_thousand_level_nested_list_renders() {
    let mut text = String::from("---\ntitle: Вложенный список\n---\n\n");
    text.push_str(&"- ".repeat(10_000));
    text.push_str("дно\n\n");
    for depth in 0..2_000 {
        text.push_str(&"  ".repeat(depth));
        text.push_str(&format!("- уровень {depth}\n"));
    }
    let site = site_with("nested.md", text.as_bytes());
    let (build, check) =
        build_and_check(&site, "10,000-level nested list", Duration::from_secs(120));
    assert_eq!(build.code, Some(0), "{}", build.stderr);
    let html = site.file("nested/index.html");
    assert!(
        html.matches("<ul>").count() >= 10_000,
        "every level is a list"
    );
    assert!(html.contains("дно"));
    assert_eq!(check.code, Some(0), "{}", tail(&check.stdout));
}

/// The same heading 100,000 times: ids `zagolovok`, `zagolovok-1`, … must
/// not cost quadratic time.
#[test]
fn hundred_thousand_headings_render() {
    let mut text = String::from("---\ntitle: Заголовки\n---\n\n");
    for i in 0..100_000u32 {
        if i.is_multiple_of(2) {
            text.push_str("## Заголовок\n\nТекст.\n\n");
        } else {
            text.push_str(&format!("### Подраздел {i}\n\nТекст.\n\n"));
        }
    }
    let site = site_with("headings.md", text.as_bytes());
    let (build, check) = build_and_check(&site, "100,000 headings", Duration::from_secs(120));
    assert_eq!(build.code, Some(0), "{}", build.stderr);
    let html = site.file("headings/index.html");
    assert!(
        html.contains(r#"id="zagolovok-49999""#),
        "unique ids to the last"
    );
    assert_eq!(check.code, Some(0), "{}", tail(&check.stdout));
}

#[test]
fn symlink_loop_is_reported_not_followed_forever() {
    let site = TestSite::new("bad-input");
    let folder = site.root().join("content/roles");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("pm.md"), "---\ntitle: PM\n---\n\nТекст.\n").unwrap();
    std::os::unix::fs::symlink("..", folder.join("loop")).unwrap();
    let (build, check) = build_and_check(&site, "symlink loop", QUICK);
    assert_error(
        &build,
        &check,
        "content/roles/loop: error: symlink loop: this folder links back to `content`",
    );
}

#[test]
fn unreadable_file_is_located() {
    use std::os::unix::fs::PermissionsExt;
    let site = site_with("secret.md", b"---\ntitle: x\n---\n");
    let secret = site.root().join("content/secret.md");
    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o000)).unwrap();
    // Root reads any file: drop to `nobody` for this case when we are root.
    let is_root = std::fs::read(&secret).is_ok();
    let wrapper: &[&str] = if is_root {
        if !has("/usr/bin/setpriv") {
            eprintln!("skipped: unreadable file needs setpriv when running as root");
            return;
        }
        &[
            "setpriv",
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
        ]
    } else {
        &[]
    };
    open_up(site.root());
    let out = tempfile::tempdir().unwrap();
    open_up(out.path());
    let public = out.path().join("public");
    let public = public.to_str().unwrap();
    let build = run_limited(site.root(), &["build", "--output", public], QUICK, wrapper);
    if build.stderr.contains("setpriv:") {
        eprintln!(
            "skipped: cannot drop to nobody here: {}",
            build.stderr.trim()
        );
        return;
    }
    build.assert_clean("unreadable file (build)", QUICK);
    let check = run_limited(site.root(), &["check"], QUICK, wrapper);
    check.assert_clean("unreadable file (check)", QUICK);
    let expected =
        "content/secret.md: error: could not read this file\n  caused by: Permission denied";
    assert_error(&build, &check, expected);
}

/// Let another user read the site (for the `setpriv` case).
fn open_up(root: &Path) {
    use std::os::unix::fs::PermissionsExt;
    for entry in walkdir::WalkDir::new(root) {
        let entry = entry.unwrap();
        let mode = entry.metadata().unwrap().permissions().mode();
        if mode & 0o777 == 0 {
            continue;
        }
        let open = if entry.file_type().is_dir() {
            0o777
        } else {
            0o644
        };
        std::fs::set_permissions(entry.path(), std::fs::Permissions::from_mode(open)).unwrap();
    }
}

/// A file that disappears between the walk and the read is a located error.
#[test]
fn file_deleted_between_walk_and_read_is_located() {
    let site = site_with("gone.md", b"---\ntitle: x\n---\n");
    let (files, errors) = rolebook::content::source::discover(site.root(), Default::default());
    assert!(errors.is_empty());
    let gone = files
        .markdown
        .iter()
        .find(|p| p.ends_with("gone.md"))
        .unwrap();
    std::fs::remove_file(site.root().join(gone)).unwrap();
    let error = rolebook::content::source::read(site.root(), gone).unwrap_err();
    assert!(
        error.to_string().starts_with(
            "content/gone.md: error: could not read this file\n  caused by: No such file"
        ),
        "{error}"
    );
}

/// Pages deleted while `build` and `check` run: whatever the timing, each
/// run ends with pages or with located errors, never a crash.
#[test]
fn files_deleted_during_the_build_never_crash_it() {
    let site = TestSite::new("bad-input");
    let folder = site.root().join("content/many");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("_index.md"), "---\ntitle: Много\n---\n").unwrap();
    let body = "Текст страницы, достаточно длинный, чтобы чтение заняло время. ".repeat(40);
    for round in 0..2 {
        let mut names = Vec::new();
        for i in 0..1500 {
            let name = format!("p{round}-{i}.md");
            std::fs::write(
                folder.join(&name),
                format!("---\ntitle: Страница {i}\n---\n\n{body}\n"),
            )
            .unwrap();
            names.push(name);
        }
        for command in ["build", "check"] {
            let root = site.root().to_path_buf();
            let args = [command];
            let runner = std::thread::spawn(move || run_limited(&root, &args, QUICK, &[]));
            std::thread::sleep(Duration::from_millis(if round == 0 { 5 } else { 60 }));
            for name in names.iter().step_by(3) {
                let _ = std::fs::remove_file(folder.join(name));
            }
            let run = runner.join().unwrap();
            run.assert_clean(&format!("files deleted during `{command}`"), QUICK);
            let report = if command == "build" {
                &run.stderr
            } else {
                &run.stdout
            };
            for line in report.lines().filter(|l| l.contains(": error")) {
                assert!(
                    line.contains("could not read this file")
                        || line.contains("could not read this folder")
                        || line.contains("the file changed"),
                    "unexpected error: {line}\n{}",
                    tail(report)
                );
            }
        }
    }
}

/// Beyond the list of the issue: an alias bomb and deep nesting in front
/// matter, deep quotes, brackets and emphasis in the body.
#[test]
fn pathological_front_matter_and_markup_end_in_errors_or_pages() {
    let site = TestSite::new("bad-input");
    let mut bomb = String::from(
        "---\ntitle: бомба\nextra:\n  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n",
    );
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 9].join(", ");
        bomb.push_str(&format!("  a{i}: &a{i} [{refs}]\n"));
    }
    bomb.push_str("---\n\nТекст.\n");
    site.write("content/bomb.md", &bomb);
    let deep = format!(
        "---\ntitle: глубина\nextra: {{a: {}{}}}\n---\n\nТекст.\n",
        "[".repeat(5000),
        "]".repeat(5000)
    );
    site.write("content/deep.md", &deep);
    let deep_toml = format!(
        "+++\ntitle = \"toml\"\n[extra]\na = {}{}\n+++\n\nТекст.\n",
        "[".repeat(5000),
        "]".repeat(5000)
    );
    site.write("content/deep-toml.md", &deep_toml);
    let markup = format!(
        "---\ntitle: Разметка\n---\n\n{} дно\n\n{}x{}\n\n{}x{}\n\n{}\n",
        ">".repeat(10_000),
        "[".repeat(20_000),
        "]".repeat(20_000),
        "*".repeat(20_000),
        "*".repeat(20_000),
        "`".repeat(10_000)
    );
    site.write("content/markup.md", &markup);
    let (build, check) = build_and_check(&site, "pathological front matter and markup", QUICK);
    assert_eq!(build.code, Some(1));
    for expected in [
        "content/bomb.md:2:1: error: repetition limit exceeded",
        "content/deep.md:3:",
        "content/deep-toml.md:4:",
    ] {
        assert!(
            build.stderr.contains(expected),
            "{expected}\n{}",
            build.stderr
        );
        assert!(
            check.stdout.contains(expected),
            "{expected}\n{}",
            check.stdout
        );
    }
    assert!(
        !build.stderr.contains("content/markup.md"),
        "{}",
        build.stderr
    );
    assert!(!check.stdout.contains("error: content/markup.md"));
}
