use std::process::ExitCode;

fn main() -> ExitCode {
    pump::completions::answer_if_asked();
    let cli = pump::cli::Cli::from_command_line();
    if cli.command.prints_for_pipes() {
        // Like any Unix filter, stop quietly when the reader goes away
        // (`pump list | head`) instead of panicking on a closed stdout. Not
        // for the server: a client hanging up must never kill it.
        #[cfg(unix)]
        // SAFETY: restores the default disposition of SIGPIPE while the
        // process is still single-threaded; no handler is installed.
        unsafe {
            libc::signal(libc::SIGPIPE, libc::SIG_DFL);
        }
    }
    match pump::commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            if !e.message.is_empty() {
                // The message may quote a server, a file or the database.
                eprintln!("pump: {}", pump::text::printable(&e.message));
            }
            ExitCode::from(e.kind.exit_code())
        }
    }
}
