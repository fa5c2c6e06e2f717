//! Dates from Git: the time of the last commit that changed each file of
//! `content/`, read with one `git log` when the site is in a Git work tree
//! and the `git` command is there. No repository, no `git`, or a failing
//! command mean no dates: nothing here is an error.
//!
//! The `git` command, rather than a Git library: it reads every kind of
//! repository (worktrees, packs, partial clones) the way the author's own
//! Git does, and costs nothing to build; one `log --name-only` over
//! `content/` gives every file's date in a single pass of the history.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Seconds since 1970 of the last commit that changed each file, by its
/// path relative to `root` (`content/roles/pm.md`); empty outside Git.
pub fn last_commits(root: &Path) -> HashMap<PathBuf, i64> {
    let output = Command::new("git")
        .args([
            "-c",
            "core.quotePath=false",
            "log",
            "--format=%x00%ct",
            "--name-only",
            "--relative",
            "--no-renames",
            "--",
            "content",
        ])
        .current_dir(root)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output();
    match output {
        Ok(output) if output.status.success() => parse(&String::from_utf8_lossy(&output.stdout)),
        _ => HashMap::new(),
    }
}

/// The newest time of each file in `git log --format=%x00%ct --name-only`
/// output (newest commit first).
fn parse(log: &str) -> HashMap<PathBuf, i64> {
    let mut dates = HashMap::new();
    let mut current = None;
    for line in log.lines() {
        if let Some(seconds) = line.strip_prefix('\0') {
            current = seconds.trim().parse::<i64>().ok();
        } else if let Some(time) = current
            && !line.is_empty()
        {
            dates.entry(PathBuf::from(line)).or_insert(time);
        }
    }
    dates
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_newest_commit_of_each_file_wins() {
        let log = "\u{0}300\n\ncontent/a.md\n\n\u{0}200\n\ncontent/a.md\ncontent/б.md\n";
        let dates = parse(log);
        assert_eq!(dates[Path::new("content/a.md")], 300);
        assert_eq!(dates[Path::new("content/б.md")], 200);
        assert_eq!(dates.len(), 2);
    }

    #[test]
    fn outside_a_repository_there_are_no_dates() {
        let dir = tempfile::tempdir().unwrap();
        assert!(last_commits(dir.path()).is_empty());
    }
}
