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
    /// Serve the site with live reload while you edit.
    Serve(ServeArgs),
    /// Create a new site that builds at once (config, a role, an article, a course).
    Init(InitArgs),
    /// Add a page: `rolebook new role "Аккаунт-менеджер"`.
    New(NewArgs),
    /// Find problems without building: every check of `build`, plus lints.
    Check(CheckArgs),
    /// Write a new Rolebook site from a Hugo, Zola, VitePress, Docusaurus or mdBook site.
    Import(ImportArgs),
}

/// Options of `rolebook import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The tool the source site is made for.
    #[arg(long, value_enum, value_name = "TOOL")]
    pub from: ImportFrom,
    /// The source site's root folder (only read).
    #[arg(value_name = "SRC")]
    pub src: PathBuf,
    /// The new site's folder (created; must be new or empty).
    #[arg(value_name = "DEST")]
    pub dest: PathBuf,
}

/// The tools `rolebook import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ImportFrom {
    /// Hugo (`content/`, `static/`, `hugo.toml`/`config.toml`/`hugo.yaml`).
    Hugo,
    /// Zola (`content/`, `static/`, `config.toml`).
    Zola,
    /// VitePress (`.vitepress/config.*`, pages in its `srcDir`).
    Vitepress,
    /// Docusaurus and other MDX sites (`docs/` or `src/content/`).
    Docusaurus,
    /// mdBook (`book.toml`, `src/SUMMARY.md`).
    Mdbook,
}

impl ImportFrom {
    /// The library's name for the tool.
    pub fn format(self) -> rolebook::import::Format {
        use rolebook::import::Format;
        match self {
            ImportFrom::Hugo => Format::Hugo,
            ImportFrom::Zola => Format::Zola,
            ImportFrom::Vitepress => Format::Vitepress,
            ImportFrom::Docusaurus => Format::Docusaurus,
            ImportFrom::Mdbook => Format::Mdbook,
        }
    }
}

/// Options of `rolebook check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The site root: the folder with `rolebook.yaml` and `content/`.
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
    /// How findings are printed.
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,
    /// Also request external URLs (cached in `.rolebook-cache/`).
    #[arg(long)]
    pub external: bool,
    /// Fail on warnings too: `--deny warnings`.
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub deny: Option<DenyLevel>,
    /// Include pages marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
    /// Record in each translation (or in the FILEs given) the hash of its
    /// original as it is now (`translation_of_hash:`), then check.
    #[arg(long, num_args = 0.., value_name = "FILE")]
    pub fix_hashes: Option<Vec<PathBuf>>,
}

/// Output formats of `rolebook check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CheckFormat {
    /// `path:line:col: warning[rule]: message` lines and a summary.
    Text,
    /// One JSON document (see the README for the schema).
    Json,
}

/// What `--deny` can turn into failures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DenyLevel {
    /// Warnings fail the run like errors.
    Warnings,
}

/// Options of `rolebook serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The site root.
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
    /// Port (the next free one is used when it is busy).
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    /// Address to listen on; loopback unless you say otherwise.
    #[arg(long, default_value = "127.0.0.1", value_name = "ADDR")]
    pub bind: std::net::IpAddr,
    /// Include pages marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
    /// Open the site in your browser.
    #[arg(long)]
    pub open: bool,
    /// Browsers go to the page you just edited.
    #[arg(long)]
    pub follow: bool,
    /// URL the pages link to when a proxy or tunnel stands in front of the
    /// server (default: the server's own address); its host is answered too.
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
}

/// Options of `rolebook init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Folder for the new site (created if missing).
    #[arg(default_value = ".", value_name = "DIR")]
    pub dir: PathBuf,
    /// Add the starter files to a non-empty folder (existing files are kept).
    #[arg(long)]
    pub force: bool,
}

/// Options of `rolebook new`.
#[derive(Debug, Args)]
pub struct NewArgs {
    /// Kind of page.
    #[arg(value_enum)]
    pub kind: NewKind,
    /// Title of the page (the file name is its transliteration).
    pub title: String,
    /// Folder under `content/` (default: `roles`, `articles`, `comparisons`, `courses`).
    #[arg(long, value_name = "DIR")]
    pub section: Option<String>,
    /// For a comparison: the roles it compares, as slugs (`--roles account-manager,project-manager`).
    #[arg(long, value_name = "SLUGS", value_delimiter = ',')]
    pub roles: Vec<String>,
    /// Write the translation of an existing page into this language
    /// (`--lang en`: `roles/account-manager.en.md` next to `roles/account-manager.md`).
    #[arg(long, value_name = "CODE")]
    pub lang: Option<String>,
    /// With `--lang`: the original's file name in the section, when it is
    /// not the slug of the title (`--of akkaunt-menedzher`).
    #[arg(long, value_name = "NAME")]
    pub of: Option<String>,
    /// The site root.
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
}

/// Kinds `new` can create.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum NewKind {
    /// A role guide.
    Role,
    /// A plain article.
    Article,
    /// A comparison of roles.
    Comparison,
    /// A course (a folder with `_index.md`).
    Course,
    /// A chapter of a course (`--section` is the course folder).
    Chapter,
}

impl NewKind {
    /// The content kind.
    pub fn kind(self) -> rolebook::content::page::Kind {
        use rolebook::content::page::Kind;
        match self {
            NewKind::Role => Kind::Role,
            NewKind::Article => Kind::Article,
            NewKind::Comparison => Kind::Comparison,
            NewKind::Course => Kind::Course,
            NewKind::Chapter => Kind::Chapter,
        }
    }
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
