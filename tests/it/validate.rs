//! The Nu Html Checker (issue 18): every page the bundled site (Russian and
//! English), the English fixture and the multilingual fixture write
//! validates with no errors. The checker is the npm
//! package `vnu-jar` in `tests/node_modules` (`npm ci` in `tests/`), run with
//! Java; without them the test is skipped, unless `ROLEBOOK_REQUIRE_VNU=1`
//! (set by `.ci/run`) makes that a failure.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::TestSite;

fn checker() -> Option<PathBuf> {
    let jar =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/node_modules/vnu-jar/build/dist/vnu.jar");
    let java = Command::new("java")
        .arg("-version")
        .output()
        .is_ok_and(|o| o.status.success());
    if jar.is_file() && java {
        return Some(jar);
    }
    assert!(
        std::env::var_os("ROLEBOOK_REQUIRE_VNU").is_none(),
        "ROLEBOOK_REQUIRE_VNU is set but {} or `java` is missing: run `npm ci` in tests/ and install a JRE",
        jar.display()
    );
    eprintln!(
        "skipped: the Nu Html Checker needs {} and `java`",
        jar.display()
    );
    None
}

/// `file:line: message` of every error the checker finds under `dir`.
fn nu_errors(jar: &Path, dir: &Path) -> Vec<String> {
    let output = Command::new("java")
        .args(["-Xss8m", "-jar"])
        .arg(jar)
        .args(["--errors-only", "--skip-non-html", "--format", "json"])
        .arg(dir)
        .output()
        .expect("run java");
    let report: serde_json::Value = serde_json::from_slice(&output.stderr)
        .or_else(|_| serde_json::from_slice(&output.stdout))
        .unwrap_or_else(|e| {
            panic!(
                "the checker's report is not JSON ({e}):\n{}",
                String::from_utf8_lossy(&output.stderr)
            )
        });
    let root = format!("file:{}", dir.display());
    report["messages"]
        .as_array()
        .expect("messages")
        .iter()
        .filter(|m| m["type"] == "error" || m["subType"] == "fatal")
        .map(|m| {
            let url = m["url"].as_str().unwrap_or("?");
            format!(
                "{}:{}: {}",
                url.trim_start_matches(&root),
                m["lastLine"],
                m["message"].as_str().unwrap_or("")
            )
        })
        .collect()
}

#[test]
fn every_page_validates_with_the_nu_checker() {
    let Some(jar) = checker() else {
        return;
    };
    for site in [
        TestSite::bundled(),
        TestSite::new("theme-en"),
        TestSite::new("multilingual"),
    ] {
        site.build();
        let errors = nu_errors(&jar, &site.public());
        assert!(
            errors.is_empty(),
            "{} errors:\n{}",
            errors.len(),
            errors.join("\n")
        );
    }
}
