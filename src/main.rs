//! The `rolebook` binary: parse arguments, call the library, print errors,
//! set the exit code (0 success, 1 content or template errors, 2 usage errors).

use std::process::ExitCode;

mod cli;
mod progress_line;
mod verbose;

use clap::Parser;
use cli::{
    BuildArgs, CheckArgs, CheckFormat, Cli, Command, ImportArgs, InitArgs, NewArgs, ServeArgs,
};
use rolebook::error::{Error, Failure};
use rolebook::site::{self, BuildOptions};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let code = if err.use_stderr() { 2 } else { 0 };
            let _ = err.print();
            return ExitCode::from(code);
        }
    };
    if !matches!(cli.command, Command::Serve(_)) {
        quiet_on_closed_output();
    }
    if cli.verbose {
        verbose::install();
    }
    let result = match &cli.command {
        Command::Build(args) => build(&cli, args),
        Command::Serve(args) => serve(&cli, args),
        Command::Init(args) => init(&cli, args),
        Command::New(args) => new(&cli, args),
        Command::Check(args) => return check(&cli, args),
        Command::Import(args) => import(&cli, args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            print_all(&failure.warnings, cli.quiet);
            print_all(&failure.errors, false);
            let n = failure.errors.len();
            eprintln!("{n} error{}", if n == 1 { "" } else { "s" });
            ExitCode::from(failure.exit_code() as u8)
        }
    }
}

fn build(cli: &Cli, args: &BuildArgs) -> Result<(), Failure> {
    let options = BuildOptions {
        root: args.root.clone(),
        output: args.output.clone(),
        base_url: args.base_url.clone(),
        drafts: args.drafts,
        today: source_date_epoch()?,
        progress: progress_line::reporter(cli.quiet),
        no_image_copies: false,
    };
    let report = site::build(&options)?;
    print_all(&report.warnings, cli.quiet);
    if cli.verbose {
        verbose::counts(&report);
    }
    if !cli.quiet {
        println!(
            "built {} pages in {:.2} s → {}",
            report.pages,
            report.elapsed.as_secs_f64(),
            site::display_output(&options.root, &report.output)
        );
    }
    Ok(())
}

fn serve(cli: &Cli, args: &ServeArgs) -> Result<(), Failure> {
    rolebook::serve::serve(&rolebook::serve::ServeOptions {
        root: args.root.clone(),
        port: args.port,
        bind: args.bind,
        drafts: args.drafts,
        open: args.open,
        follow: args.follow,
        quiet: cli.quiet,
        base_url: args.base_url.clone(),
        progress: progress_line::reporter(cli.quiet),
    })
}

fn init(cli: &Cli, args: &InitArgs) -> Result<(), Failure> {
    let report = rolebook::scaffold::init(&args.dir, args.force)?;
    if !cli.quiet {
        for path in &report.kept {
            println!("kept {} (already there)", path.display());
        }
        println!(
            "created a site with {} files in {}; build it with `rolebook build --root {}`",
            report.created.len(),
            args.dir.display(),
            args.dir.display()
        );
    }
    Ok(())
}

fn import(cli: &Cli, args: &ImportArgs) -> Result<(), Failure> {
    let options = rolebook::import::ImportOptions {
        from: args.from.format(),
        src: args.src.clone(),
        dest: args.dest.clone(),
    };
    let report = rolebook::import::import(&options)?;
    if !cli.quiet {
        println!(
            "imported {} pages and {} other files into {}; {} constructs to finish by hand are listed in {}",
            report.pages,
            report.copied,
            args.dest.display(),
            report.notes.len(),
            args.dest.join("IMPORT.md").display()
        );
        println!(
            "build it with `rolebook build --root {}`",
            args.dest.display()
        );
    }
    Ok(())
}

fn new(cli: &Cli, args: &NewArgs) -> Result<(), Failure> {
    let options = rolebook::scaffold::NewOptions {
        root: args.root.clone(),
        kind: args.kind.kind(),
        title: args.title.clone(),
        section: args.section.clone(),
        roles: args.roles.iter().map(|r| r.trim().to_string()).collect(),
        lang: args.lang.clone(),
        of: args.of.clone(),
    };
    let path = rolebook::scaffold::new_page(&options)?;
    if !cli.quiet {
        println!("created {}", path.display());
    }
    Ok(())
}

/// `check` prints its report on stdout; the exit code follows `--deny`.
fn check(cli: &Cli, args: &CheckArgs) -> ExitCode {
    let today = match source_date_epoch() {
        Ok(today) => today,
        Err(failure) => {
            print_all(&failure.errors, false);
            return ExitCode::from(failure.exit_code() as u8);
        }
    };
    let options = rolebook::check::CheckOptions {
        root: args.root.clone(),
        drafts: args.drafts,
        external: args.external,
        today,
        progress: progress_line::reporter(cli.quiet),
    };
    if let Some(only) = &args.fix_hashes {
        match rolebook::check::fix_hashes(&options, only) {
            Ok(changed) => {
                for file in &changed {
                    eprintln!("recorded the original's hash in {}", file.display());
                }
            }
            Err(errors) => {
                print_all(&errors, false);
                return ExitCode::from(1);
            }
        }
    }
    let report = rolebook::check::check(&options);
    let deny = args.deny.is_some();
    match args.format {
        CheckFormat::Json => println!("{}", report.to_json(deny)),
        CheckFormat::Text if cli.quiet => {
            for finding in &report.findings {
                println!("{finding}");
            }
        }
        CheckFormat::Text => print!("{}", report.to_text(deny)),
    }
    ExitCode::from(report.exit_code(deny))
}

/// `rolebook check | head`: when the reader goes away, end quietly as Unix
/// tools do, instead of panicking in `println!` on the broken pipe. (`serve`
/// keeps ignoring SIGPIPE: its sockets must not kill it, and its own prints
/// ignore a closed terminal.)
fn quiet_on_closed_output() {
    #[cfg(unix)]
    // SAFETY: restoring the default action of SIGPIPE before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

fn source_date_epoch() -> Result<Option<rolebook::content::page::Date>, Failure> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(value) if !value.trim().is_empty() => Ok(Some(site::date_from_epoch(&value)?)),
        _ => Ok(None),
    }
}

fn print_all(errors: &[Error], quiet: bool) {
    for error in errors {
        if quiet && error.level() == rolebook::error::Level::Warning {
            continue;
        }
        eprintln!("{error}");
    }
}
