//! Command-line interface: subcommands and their options (clap), mapped to
//! the library's option structs. Nothing here knows how a site is built.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Rolebook: a static site generator for career and role knowledge bases.
#[derive(Debug, Parser)]
#[command(name = "rolebook", version, about, long_about = None)]
pub struct Cli {
    /// Print only errors.
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print what each stage does.
    #[arg(long, short, global = true)]
    pub verbose: bool,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into its output folder (default `public/`).
    Build(BuildArgs),
}

/// Options of `rolebook build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The site root: the folder with `rolebook.yaml` and `content/`.
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
    /// Output folder (default: `output_dir` of rolebook.yaml, `public`).
    #[arg(long, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Base URL for links and feeds (default: `base_url` of rolebook.yaml).
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Include pages marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
}
