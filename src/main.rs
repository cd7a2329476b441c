use std::process::ExitCode;

fn main() -> ExitCode {
    skip_the_allocators_fast_bins();
    // SAFETY: first thing, before any thread or database exists.
    unsafe { pump::store::stop_counting_sqlites_memory() };
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

/// glibc's fast bins make each allocation of a kilobyte or more first sweep
/// every small block freed since (`malloc_consolidate`). A sync parses
/// thousands of JSON bodies into small nodes and writes each back out as a
/// string of kilobytes, so in a pull of 10,000 workouts the sweeps took a
/// quarter of the client's CPU. Without fast bins (small blocks still come
/// from glibc's per-thread cache) the push and the pull of 10,000 took 14%
/// and 15% less client CPU (`cargo bench --bench pump -- --only 2`).
fn skip_the_allocators_fast_bins() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets an allocator tunable; called first thing,
    // before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_MXFAST, 0);
    }
}
