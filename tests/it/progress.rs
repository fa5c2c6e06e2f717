//! The live progress line (issue 19): drawn on a terminal only. Runs the
//! binary under a pseudo-terminal (portable-pty) with the threshold at 0 ms;
//! the other CLI tests, on pipes, pin that nothing of it reaches logs.

use std::io::Read;

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

use crate::support::TestSite;

/// Everything the binary writes to a terminal while it runs `args`.
fn on_a_terminal(site: &TestSite, args: &[&str], env: &[(&str, &str)]) -> String {
    let pty = native_pty_system()
        .openpty(PtySize {
            rows: 30,
            cols: 120,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("open a pseudo-terminal");
    let mut command = CommandBuilder::new(env!("CARGO_BIN_EXE_rolebook"));
    command.args(args);
    command.cwd(site.root());
    command.env("ROLEBOOK_PROGRESS_AFTER_MS", "0");
    command.env("SOURCE_DATE_EPOCH", crate::support::TODAY_EPOCH);
    command.env_remove("NO_COLOR");
    command.env("TERM", "xterm-256color");
    for (key, value) in env {
        command.env(key, value);
    }
    let mut child = pty.slave.spawn_command(command).expect("spawn");
    drop(pty.slave);
    let mut reader = pty.master.try_clone_reader().expect("reader");
    let collected = std::thread::spawn(move || {
        let mut out = Vec::new();
        let _ = reader.read_to_end(&mut out);
        String::from_utf8_lossy(&out).into_owned()
    });
    let status = child.wait().expect("wait");
    drop(pty.master);
    let out = collected.join().unwrap();
    assert!(status.success(), "{out}");
    out
}

#[test]
fn a_terminal_sees_the_stages_then_the_summary_line() {
    let site = TestSite::bundled();
    let out = on_a_terminal(&site, &["build"], &[]);
    assert!(out.contains("loading ["), "{out:?}");
    assert!(out.contains("rendering ["), "{out:?}");
    assert!(out.contains("/s"), "the rate: {out:?}");
    let last = out
        .rsplit(['\r', '\n'])
        .find(|l| !l.trim().is_empty())
        .unwrap();
    assert!(
        last.trim_start_matches("\u{1b}[2K")
            .starts_with("built 34 pages in"),
        "the summary comes last, the bar cleared: {last:?}"
    );
}

#[test]
fn no_color_gives_plain_lines_and_quiet_gives_none() {
    let site = TestSite::bundled();
    let plain = on_a_terminal(&site, &["build"], &[("NO_COLOR", "1")]);
    assert!(
        plain.contains("loading: ") || plain.contains("rendering: "),
        "{plain:?}"
    );
    assert!(!plain.contains('\u{1b}'), "no escape codes: {plain:?}");
    let quiet = on_a_terminal(&site, &["build", "--quiet"], &[]);
    assert!(
        !quiet.contains("loading") && !quiet.contains("rendering"),
        "{quiet:?}"
    );
}

#[test]
fn a_pipe_sees_nothing_of_it() {
    let site = TestSite::bundled();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rolebook"))
        .arg("build")
        .current_dir(site.root())
        .env("ROLEBOOK_PROGRESS_AFTER_MS", "0")
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("built 34 pages in "));
}

#[test]
fn a_slow_link_check_names_the_host_it_waits_on() {
    let server = crate::check::LinkServer::start();
    let site = TestSite::empty("title: Ссылки\n");
    site.write(
        "content/_index.md",
        &format!(
            "---\ntitle: Главная\n---\n\n[медленно]({0}/slow) [быстро]({0}/ok)\n",
            server.url
        ),
    );
    let out = on_a_terminal(
        &site,
        &["check", "--external"],
        &[("HTTP_PROXY", ""), ("http_proxy", ""), ("ALL_PROXY", "")],
    );
    assert!(out.contains("external links ["), "{out:?}");
    assert!(
        out.contains("waiting 2 s on 127.0.0.1") || out.contains("waiting 3 s on 127.0.0.1"),
        "{out:?}"
    );
    assert!(out.contains("2 checked, 0 from the cache"), "{out:?}");
}
