use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = pump::cli::Cli::parse();
    match pump::commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("pump: {e}");
            ExitCode::from(e.kind.exit_code())
        }
    }
}
