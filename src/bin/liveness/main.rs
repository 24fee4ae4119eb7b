//! The `liveness` command line: run scenario files and presets, list presets, sweep the timeouts,
//! benchmark, print shell completions.
//!
//! Arguments are parsed by clap (derive). Why clap rather than lexopt or pico-args: each
//! command's options are declared once, as a typed struct, and clap derives from that the parser,
//! every subcommand's `--help`, uniform usage errors with "did you mean" tips, and (through
//! clap_complete) shell completions that even know the preset names. With lexopt each of those
//! would be written and kept in step by hand. The price (compile time, about 0.5 MB of binary)
//! is paid by the native CLI only: the wasm build never compiles clap.
//!
//! Exit codes: 0 every expectation holds, 1 an expectation failed, 2 invalid input, bad usage or
//! output that cannot be written.

mod bench;
mod bench_sweep;
mod output;
mod run;
mod summary;
mod sweep;
mod sweep_table;

use std::io::Write;
use std::process::ExitCode;

use clap::error::ErrorKind;
use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

use output::Failure;

/// Every command's help starts with its usage line.
const HELP_TEMPLATE: &str =
    "{usage-heading} {usage}\n\n{about-with-newline}\n{all-args}{after-help}";

const EXIT_CODES: &str = "Exit codes: 0 every expectation holds, 1 an expectation failed, \
                          2 invalid input, bad usage or output that cannot be written.";

/// Simulate how an Apache Mesos master decides an agent is alive, disconnected or unreachable.
#[derive(Parser)]
#[command(name = "liveness", version, after_help = EXIT_CODES)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run a scenario file or a built-in preset and print what happened
    Run(run::RunArgs),
    /// List the built-in scenarios
    Presets,
    /// Monte Carlo sweep of the timeouts over a fault workload
    Sweep(sweep::SweepArgs),
    /// Measure engine speed (events/s, simulated seconds per wall second)
    Bench(bench::BenchArgs),
    /// Compare the five failure detectors by running them (the README's table)
    Detectors,
    /// Print a shell completion script
    ///
    /// For example: `liveness completions bash > ~/.local/share/bash-completion/completions/liveness`
    Completions {
        /// The shell to complete for
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

/// The parser's description of the command line, with the house help layout on every command.
fn command() -> clap::Command {
    Cli::command()
        .help_template(HELP_TEMPLATE)
        .mut_subcommands(|c| {
            c.help_template(HELP_TEMPLATE)
                .mut_subcommands(|c| c.help_template(HELP_TEMPLATE))
        })
}

fn main() -> ExitCode {
    let mut cmd = command();
    let outcome = match cmd.try_get_matches_from_mut(std::env::args_os()) {
        Ok(matches) => match Cli::from_arg_matches(&matches) {
            Ok(cli) => dispatch(cli, cmd),
            Err(e) => clap_outcome(&e),
        },
        Err(e) => clap_outcome(&e),
    };
    outcome.unwrap_or_else(Failure::report)
}

/// What clap stopped for: help and version go to standard output (exit 0, unless it cannot be
/// written); usage errors are printed in clap's words (each starts with `error: `), exit 2.
fn clap_outcome(e: &clap::Error) -> Result<ExitCode, Failure> {
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            e.print()
                .and_then(|()| std::io::stdout().flush())
                .map_err(output::write_failure)?;
            Ok(ExitCode::SUCCESS)
        }
        _ => {
            let _ = e.print();
            Ok(ExitCode::from(2))
        }
    }
}

fn dispatch(cli: Cli, mut cmd: clap::Command) -> Result<ExitCode, Failure> {
    match cli.command {
        Some(Command::Run(args)) => run::main(&args),
        Some(Command::Presets) => run::list_presets(),
        Some(Command::Sweep(args)) => sweep::main(&args),
        Some(Command::Bench(args)) => bench::main(&args),
        Some(Command::Detectors) => {
            output::stdout(&liveness::compare::markdown(&liveness::compare::rows()))
                .map(|()| ExitCode::SUCCESS)
        }
        Some(Command::Completions { shell }) => {
            // clap_complete panics on a write error, so it writes to memory first.
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut cmd, "liveness", &mut script);
            output::stdout(&String::from_utf8_lossy(&script))?;
            Ok(ExitCode::SUCCESS)
        }
        None => {
            output::stdout(&cmd.render_help().to_string())?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
