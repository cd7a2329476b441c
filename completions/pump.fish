# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_pump_global_optspecs
    string join \n db= h/help V/version
end

function __fish_pump_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_pump_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_pump_using_subcommand
    set -l cmd (__fish_pump_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c pump -n "__fish_pump_needs_command" -l db -d 'The database file (one per device); works before or after any command' -r -F
complete -c pump -n "__fish_pump_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pump -n "__fish_pump_needs_command" -s V -l version -d 'Print version'
complete -c pump -n "__fish_pump_needs_command" -f -a "log" -d 'Record a finished workout in one command; prints its id'
complete -c pump -n "__fish_pump_needs_command" -f -a "start" -d 'Open a workout to fill in set by set at the gym'
complete -c pump -n "__fish_pump_needs_command" -f -a "add" -d 'Append sets to the open workout'
complete -c pump -n "__fish_pump_needs_command" -f -a "finish" -d 'Close the open workout'
complete -c pump -n "__fish_pump_needs_command" -f -a "list" -d 'List workouts, newest first'
complete -c pump -n "__fish_pump_needs_command" -f -a "show" -d 'Show one workout'
complete -c pump -n "__fish_pump_needs_command" -f -a "edit" -d 'Change a workout (opens $EDITOR when given no flags)'
complete -c pump -n "__fish_pump_needs_command" -f -a "rm" -d 'Delete workouts (they sync as deletions)'
complete -c pump -n "__fish_pump_needs_command" -f -a "restore" -d 'Bring back a deleted workout (it syncs, and wins over the delete)'
complete -c pump -n "__fish_pump_needs_command" -f -a "status" -d 'This device, its database, the open workout, and what is waiting to sync'
complete -c pump -n "__fish_pump_needs_command" -f -a "device" -d 'Show or rename this device'
complete -c pump -n "__fish_pump_needs_command" -f -a "config" -d 'Read or change preferences (unit, auto_sync, sync_interval, timeout)'
complete -c pump -n "__fish_pump_needs_command" -f -a "sync" -d 'Send this device\'s changes to the sync server and receive the others\''
complete -c pump -n "__fish_pump_needs_command" -f -a "exercises" -d 'The exercise catalogue and your own; merge or rename exercises across history'
complete -c pump -n "__fish_pump_needs_command" -f -a "history" -d 'One exercise\'s past sessions with their sets, newest first'
complete -c pump -n "__fish_pump_needs_command" -f -a "alias" -d 'Short names for exercises: `pump alias bp "Bench Press"`; alone, lists them'
complete -c pump -n "__fish_pump_needs_command" -f -a "pr" -d 'Personal records: heaviest set, e1RM, rep maxes, best volumes'
complete -c pump -n "__fish_pump_needs_command" -f -a "stats" -d 'Sessions, sets, reps and volume per week and muscle group, and streaks'
complete -c pump -n "__fish_pump_needs_command" -f -a "progress" -d 'A chart of one exercise\'s e1RM, top set or volume over time'
complete -c pump -n "__fish_pump_needs_command" -f -a "calendar" -d 'A heatmap of training days over a year'
complete -c pump -n "__fish_pump_needs_command" -f -a "report" -d 'Your progress as one HTML page that opens in any browser, offline: charts, calendar, records'
complete -c pump -n "__fish_pump_needs_command" -f -a "template" -d 'Routines to start a workout from'
complete -c pump -n "__fish_pump_needs_command" -f -a "weight" -d 'Record body weight (`pump weight 80.5`), or list recent entries with a trend'
complete -c pump -n "__fish_pump_needs_command" -f -a "plates" -d 'The plates to load on each side of the bar'
complete -c pump -n "__fish_pump_needs_command" -f -a "import" -d 'Import workouts from Strong, Hevy, FitNotes (CSV) or a pump export (JSON)'
complete -c pump -n "__fish_pump_needs_command" -f -a "export" -d 'Export everything as JSON (lossless) or CSV (one row per set)'
complete -c pump -n "__fish_pump_needs_command" -f -a "conflicts" -d 'List conflicts held for you to resolve'
complete -c pump -n "__fish_pump_needs_command" -f -a "resolve" -d 'Resolve held conflicts (interactive without a flag)'
complete -c pump -n "__fish_pump_needs_command" -f -a "register" -d 'Create an account on a sync server and log this device in'
complete -c pump -n "__fish_pump_needs_command" -f -a "login" -d 'Log this device in to a sync server (an account with a key asks for it)'
complete -c pump -n "__fish_pump_needs_command" -f -a "key" -d 'Show this account\'s encryption key (24 words and hex), or encrypt an account with --enable'
complete -c pump -n "__fish_pump_needs_command" -f -a "logout" -d 'Forget this device\'s session token'
complete -c pump -n "__fish_pump_needs_command" -f -a "password" -d 'Change your account\'s password (optionally signing out every other device)'
complete -c pump -n "__fish_pump_needs_command" -f -a "devices" -d 'The devices of your account: last sync, pending rows; `revoke` signs one out'
complete -c pump -n "__fish_pump_needs_command" -f -a "doctor" -d 'Check the set table the analytics read against your workouts, or rebuild it'
complete -c pump -n "__fish_pump_needs_command" -f -a "server" -d 'Run or administer the sync server'
complete -c pump -n "__fish_pump_needs_command" -f -a "sets" -d 'Print the set grammar'
complete -c pump -n "__fish_pump_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c pump -n "__fish_pump_needs_command" -f -a "man" -d 'Print a manual page (`pump man | man -l -`)'
complete -c pump -n "__fish_pump_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pump -n "__fish_pump_using_subcommand log" -l at -d 'When it started' -r
complete -c pump -n "__fish_pump_using_subcommand log" -l end -d 'When it ended' -r
complete -c pump -n "__fish_pump_using_subcommand log" -l duration -d 'How long it took: 1h10m, 45m, 1:10:00, or a bare number of minutes (90 is 1h30m)' -r
complete -c pump -n "__fish_pump_using_subcommand log" -l notes -d 'Notes for the workout' -r
complete -c pump -n "__fish_pump_using_subcommand log" -s e -l exercise -d 'An exercise and its sets: -e "squat: 3x5@100kg" (repeatable)' -r
complete -c pump -n "__fish_pump_using_subcommand log" -l db -d 'The database file (one per device); works before or after any command' -r -F
complete -c pump -n "__fish_pump_using_subcommand log" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pump -n "__fish_pump_using_subcommand start" -l template -d 'Pre-fill the plan from a template (`pump template list`)' -r
complete -c pump -n "__fish_pump_using_subcommand start" -l at -d 'When it started' -r
complete -c pump -n "__fish_pump_using_subcommand start" -l db -d 'The database file (one per device); works before or after any command' -r -F
complete -c pump -n "__fish_pump_using_subcommand start" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pump -n "__fish_pump_using_subcommand add" -l db -d 'The database file (one per device); works before or after any command' -r -F
complete -c pump -n "__fish_pump_using_subcommand add" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pump -n "__fish_pump_using_subcommand finish" -l at -d 'When it ended' -r
complete -c pump -n "__fish_pump_using_subcommand finish" -l notes -d 'Notes for the workout (they replace any it has)' -r
complete -c pump -n "__fish_pump_using_subcommand finish" -l db -d 'The database file (one per device); works before or after any command' -r -F
complete -c pump -n "__fish_pump_using_subcommand finish" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pump -n "__fish_pump_using_subcommand list" -l since -r
complete -c pump -n "__fish_pump_using_subcommand list" -l until -r
complete -c pump -n "__fish_pump_using_subcommand list" -l exercise -d 'Only workouts with this exercise' -r
complete -c pump -n "__fish_pump_using_subcommand list" -l limit -d 'Show at most this many, newest first' -r
complete -c pump -n "__fish_pump_using_subcommand list" -l db -d 'The database file (one per device); works before or after any command' -r -F
complete -c pump -n "__fish_pump_using_subcommand list" -l deleted -d 'Deleted workouts instead: what `pump restore ID` can bring back'
complete -c pump -n "__fish_pump_using_subcommand list" -l json -d 'Print machine-readable JSON'
complete -c pump -n "__fish_pump_using_subcommand list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pump -n "__fish_pump_using_subcommand show" -l db -d 'The database file (one per device); works before or after any command' -r -F
complete -c pump -n "__fish_pump_using_subcommand show" -l json -d 'Print machine-readable JSON (weights in kg)'
complete -c pump -n "__fish_pump_using_subcommand show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pump -n "__fish_pump_using_subcommand edit" -l name -d 'The new name' -r
complete -c pump -n "__fish_pump_using_subcommand edit" -l at -d 'The new start' -r
complete -c pump -n "__fish_pump_using_subcommand edit" -l end -d 'The new end' -r
complete -c pump -n "__fish_pump_using_subcommand edit" -l notes -d 'The new notes (they replace the old ones)' -r
complete -c pump -n "__fish_pump_using_subcommand edit" -s e -l exercise -d 'Replace an exercise\'s sets (or add the exercise): -e "squat: 3x5@100kg"' -r
complete -c pump -n "__fish_pump_using_subcommand edit" -l exercise-note -d 'Set the notes of an exercise of the workout: --exercise-note "squat: belt on"' -r
complete -c pump -n "__fish_pump_using_subcommand edit" -l set-note -d 'Set the note of one set (numbered from 1): --set-note "squat 3: knee caved"' -r
complete -c pump -n "__fish_pump_using_subcommand edit" -l db -d 'The database file (one per device); works before or after any command' -r -F
complete -c pump -n "__fish_pump_using_subcommand edit" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pump -n "__fish_pump_using_subcommand rm" -l db -d 'The database file (one per device); works before or after any command' -r -F
complete -c pump -n "__fish_pump_using_subcommand rm" -l dry-run -d 'Show what would be deleted and change nothing'
complete -c pump -n "__fish_pump_using_subcommand rm" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pump -n "__fish_pump_using_subcommand restore" -l db -d 'The database file (one per device); works before or after any command' -r -F
complete -c pump -n "__fish_pump_using_subcommand restore" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pump -n "__fish_pump_using_subcommand status" -l db -d 'The database file (one per device); works before or after any command' -r -F
complete -c pump -n "__fish_pump_using_subcommand status" -l json -d 'Print machine-readable JSON'
complete -c pump -n "__fish_pump_using_subcommand status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pump -n "__fish_pump_using_subcommand device" -l name -d 'Rename this device' -r
complete -c pump -n "__fish_pump_using_subcommand device" -l db -d 'The database file (one per device); works before or after any command' -r -F
complete -c pump -n "__fish_pump_using_subcommand device" -l reset-id -d 'Take a new device id (after copying a database file to a second device)'
complete -c pump -n "__fish_pump_using_subcommand device" -l json -d 'Print machine-readable JSON'
complete -c pump -n "__fish_pump_using_subcommand device" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pump -n "__fish_pump_using_subcommand config; and not __fish_seen_subcommand_from get set list path help" -l db -d 'The database file (one per device); works before or after any command' -r -F
complete -c pump -n "__fish_pump_using_subcommand config; and not __fish_seen_subcommand_from get set list path help" -s h -l help -d 'Print help'
complete -c pump -n "__fish_pump_using_subcommand config; and not __fish_seen_subcommand_from get set list path help" -f -a "get" -d 'Print one setting'
complete -c pump -n "__fish_pump_using_subcommand config; and not __fish_seen_subcommand_from get set list path help" -f -a "set" -d 'Change one setting'
complete -c pump -n "__fish_pump_using_subcommand config; and not __fish_seen_subcommand_from get set list path help" -f -a "list" -d 'Print every setting'
complete -c pump -n "__fish_pump_using_subcommand config; and not __fish_seen_subcommand_from get set list path help" -f -a "path" -d 'Print the config file\'s path'
complete -c pump -n "__fish_pump_using_subcommand config; and not __fish_seen_subcommand_from get set list path help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pump -n "__fish_pump_using_subcommand config; and __fish_seen_subcommand_from get" -l db -d 'The database file (one per device); works before or after any command' -r -F
complete -c pump -n "__fish_pump_using_subcommand config; and __fish_seen_subcommand_from get" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pump -n "__fish_pump_using_subcommand config; and __fish_seen_subcommand_from set" -l db -d 'The database file (one per device); works before or after any command' -r -F
complete -c pump -n "__fish_pump_using_subcommand config; and __fish_seen_subcommand_from set" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pump -n "__fish_pump_using_subcommand config; and __fish_seen_subcommand_from list" -l db -d 'The database file (one per device); works before or after any command' -r -F
complete -c pump -n "__fish_pump_using_subcommand config; and __fish_seen_subcommand_from list" -l json -d 'Print machine-readable JSON'
complete -c pump -n "__fish_pump_using_subcommand config; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pump -n "__fish_pump_using_subcommand config; and __fish_seen_subcommand_from path" -l db -d 'The database file (one per device); works before or after any command' -r -F
complete -c pump -n "__fish_pump_using_subcommand config; and __fish_seen_subcommand_from path" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pump -n "__fish_pump_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "get" -d 'Print one setting'
complete -c pump -n "__fish_pump_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "set" -d 'Change one setting'
complete -c pump -n "__fish_pump_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "list" -d 'Print every setting'
complete -c pump -n "__fish_pump_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "path" -d 'Print the config file\'s path'
complete -c pump -n "__fish_pump_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pump -n "__fish_pump_using_subcommand sync" -l prefer -d 'Resolve true conflicts this way without prompting (for scripts)' -r -f -a "mine\t'This device\'s version'
theirs\t'The server\'s version'"
complete -c pump -n "__fish_pump_using_subcommand sync" -l every -d 'Keep running, syncing at this interval: a number with its unit, s, m or h, at least 10s (e.g. --every 15m)' -r
complete -c pump -n "__fish_pump_using_subcommand sync" -l db -d 'The database file (one per device); works before or after any command' -r -F
complete -c pump -n "__fish_pump_using_subcommand sync" -s q -l quiet -d 'Print nothing unless something needs attention (an unreachable server only once syncs have failed for longer than the sync_warn_after setting, 24h by default), e.g. from cron'
complete -c pump -n "__fish_pump_using_subcommand sync" -l non-interactive -d 'Never prompt (implied when standard input is not a terminal)'
complete -c pump -n "__fish_pump_using_subcommand sync" -l full -d 'Send every record this device holds again, not only its changes, and pull everything anew: for a server restored from a backup or replaced (pump notices both by itself), e.g. `pump sync --full`'
complete -c pump -n "__fish_pump_using_subcommand sync" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pump -n "__fish_pump_using_subcommand exercises; and not __fish_seen_subcommand_from merge rename help" -l search -d 'Only names, categories or muscle groups containing this, e.g. --search chest' -r
complete -c pump -n "__fish_pump_using_subcommand exercises; and not __fish_seen_subcommand_from merge rename help" -l db -d 'The database file (one per device); works before or after any command' -r -F
complete -c pump -n "__fish_pump_using_subcommand exercises; and not __fish_seen_subcommand_from merge rename help" -l unmatched -d 'Only the names you logged that the catalogue does not know, each with the catalogue exercise it may be (merge it with `pump exercises merge`)'
complete -c pump -n "__fish_pump_using_subcommand exercises; and not __fish_seen_subcommand_from merge rename help" -l json -d 'Print machine-readable JSON'
complete -c pump -n "__fish_pump_using_subcommand exercises; and not __fish_seen_subcommand_from merge rename help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pump -n "__fish_pump_using_subcommand exercises; and not __fish_seen_subcommand_from merge rename help" -f -a "merge" -d 'Move every set of one exercise into another, in all history'
complete -c pump -n "__fish_pump_using_subcommand exercises; and not __fish_seen_subcommand_from merge rename help" -f -a "rename" -d 'Give an exercise another name in all history'
complete -c pump -n "__fish_pump_using_subcommand exercises; and not __fish_seen_subcommand_from merge rename help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pump -n "__fish_pump_using_subcommand exercises; and __fish_seen_subcommand_from merge" -l db -d 'The database file (one per device); works before or after any command' -r -F
complete -c pump -n "__fish_pump_using_subcommand exercises; and __fish_seen_subcommand_from merge" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pump -n "__fish_pump_using_subcommand exercises; and __fish_seen_subcommand_from rename" -l db -d 'The database file (one per device); works before or after any command' -r -F
complete -c pump -n "__fish_pump_using_subcommand exercises; and __fish_seen_subcommand_from rename" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pump -n "__fish_pump_using_subcommand exercises; and __fish_seen_subcommand_from help" -f -a "merge" -d 'Move every set of one exercise into another, in all history'
complete -c pump -n "__fish_pump_using_subcommand exercises; and __fish_seen_subcommand_from help" -f -a "rename" -d 'Give an exercise another name in all history'
complete -c pump -n "__fish_pump_using_subcommand exercises; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pump -n "__fish_pump_using_subcommand history" -l limit -d 'Show at most this many sessions, newest first' -r
complete -c pump -n "__fish_pump_using_subcommand history" -l db -d 'The database file (one per device); works before or after any command' -r -F
complete -c pump -n "__fish_pump_using_subcommand history" -l json -d 'Print machine-readable JSON (weights in kg)'
complete -c pump -n "__fish_pump_using_subcommand history" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pump -n "__fish_pump_using_subcommand alias" -l rm -d 'Remove this alias' -r
complete -c pump -n "__fish_pump_using_subcommand alias" -l db -d 'The database file (one per device); works before or after any command' -r -F
complete -c pump -n "__fish_pump_using_subcommand alias" -l json -d 'Print machine-readable JSON'
complete -c pump -n "__fish_pump_using_subcommand alias" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pump -n "__fish_pump_using_subcommand pr" -l formula -d 'How to estimate a one-rep max: epley or brzycki' -r
complete -c pump -n "__fish_pump_using_subcommand pr" -l db -d 'The database file (one per device); works before or after any command' -r -F
complete -c pump -n "__fish_pump_using_subcommand pr" -l json -d 'Print machine-readable JSON (weights in kg, times in seconds, distances in metres)'
complete -c pump -n "__fish_pump_using_subcommand pr" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pump -n "__fish_pump_using_subcommand stats" -l weeks -d 'How many weeks back, this week included' -r
complete -c pump -n "__fish_pump_using_subcommand stats" -l db -d 'The database file (one per device); works before or after any command' -r -F
complete -c pump -n "__fish_pump_using_subcommand stats" -l json -d 'Print machine-readable JSON (volumes in kg, times in seconds)'
complete -c pump -n "__fish_pump_using_subcommand stats" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pump -n "__fish_pump_using_subcommand progress" -l metric -d 'What to chart: e1rm, top-set or volume' -r
complete -c pump -n "__fish_pump_using_subcommand progress" -l formula -d 'How to estimate a one-rep max: epley or brzycki' -r
complete -c pump -n "__fish_pump_using_subcommand progress" -l since -d 'Only sessions from then on' -r
complete -c pump -n "__fish_pump_using_subcommand progress" -l db -d 'The database file (one per device); works before or after any command' -r -F
complete -c pump -n "__fish_pump_using_subcommand progress" -l json -d 'Print the series, one point per session with its date, as JSON'
complete -c pump -n "__fish_pump_using_subcommand progress" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pump -n "__fish_pump_using_subcommand calendar" -l year -d 'A past year (default: the last 12 months)' -r
complete -c pump -n "__fish_pump_using_subcommand calendar" -l db -d 'The database file (one per device); works before or after any command' -r -F
complete -c pump -n "__fish_pump_using_subcommand calendar" -l json -d 'Print machine-readable JSON'
complete -c pump -n "__fish_pump_using_subcommand calendar" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pump -n "__fish_pump_using_subcommand report" -s o -l output -d 'The file to write (readable by you only; replaced if it exists)' -r -F
complete -c pump -n "__fish_pump_using_subcommand report" -l since -d 'The first day to show (default: the day of your first workout)' -r
complete -c pump -n "__fish_pump_using_subcommand report" -l until -d 'The last day to show, included (default: today)' -r
complete -c pump -n "__fish_pump_using_subcommand report" -l formula -d 'How to estimate a one-rep max: epley or brzycki' -r
complete -c pump -n "__fish_pump_using_subcommand report" -l db -d 'The database file (one per device); works before or after any command' -r -F
complete -c pump -n "__fish_pump_using_subcommand report" -l open -d 'Open the report in your browser once written ($BROWSER, else xdg-open, or open on macOS)'
complete -c pump -n "__fish_pump_using_subcommand report" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pump -n "__fish_pump_using_subcommand template; and not __fish_seen_subcommand_from save new list show rm help" -l db -d 'The database file (one per device); works before or after any command' -r -F
complete -c pump -n "__fish_pump_using_subcommand template; and not __fish_seen_subcommand_from save new list show rm help" -s h -l help -d 'Print help'
complete -c pump -n "__fish_pump_using_subcommand template; and not __fish_seen_subcommand_from save new list show rm help" -f -a "save" -d 'Save a workout\'s exercises and sets as a template'
complete -c pump -n "__fish_pump_using_subcommand template; and not __fish_seen_subcommand_from save new list show rm help" -f -a "new" -d 'Write a template from exercise specs'
complete -c pump -n "__fish_pump_using_subcommand template; and not __fish_seen_subcommand_from save new list show rm help" -f -a "list" -d 'List templates'
complete -c pump -n "__fish_pump_using_subcommand template; and not __fish_seen_subcommand_from save new list show rm help" -f -a "show" -d 'Show one template'
complete -c pump -n "__fish_pump_using_subcommand template; and not __fish_seen_subcommand_from save new list show rm help" -f -a "rm" -d 'Delete a template'
complete -c pump -n "__fish_pump_using_subcommand template; and not __fish_seen_subcommand_from save new list show rm help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pump -n "__fish_pump_using_subcommand template; and __fish_seen_subcommand_from save" -l from -d 'The workout: an id, a unique prefix, or `last`' -r
complete -c pump -n "__fish_pump_using_subcommand template; and __fish_seen_subcommand_from save" -l db -d 'The database file (one per device); works before or after any command' -r -F
complete -c pump -n "__fish_pump_using_subcommand template; and __fish_seen_subcommand_from save" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pump -n "__fish_pump_using_subcommand template; and __fish_seen_subcommand_from new" -s e -l exercise -d 'An exercise and its planned sets: -e "squat: 3x5@100kg" (repeatable)' -r
complete -c pump -n "__fish_pump_using_subcommand template; and __fish_seen_subcommand_from new" -l db -d 'The database file (one per device); works before or after any command' -r -F
complete -c pump -n "__fish_pump_using_subcommand template; and __fish_seen_subcommand_from new" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pump -n "__fish_pump_using_subcommand template; and __fish_seen_subcommand_from list" -l db -d 'The database file (one per device); works before or after any command' -r -F
complete -c pump -n "__fish_pump_using_subcommand template; and __fish_seen_subcommand_from list" -l json -d 'Print machine-readable JSON'
complete -c pump -n "__fish_pump_using_subcommand template; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pump -n "__fish_pump_using_subcommand template; and __fish_seen_subcommand_from show" -l db -d 'The database file (one per device); works before or after any command' -r -F
complete -c pump -n "__fish_pump_using_subcommand template; and __fish_seen_subcommand_from show" -l json -d 'Print machine-readable JSON'
complete -c pump -n "__fish_pump_using_subcommand template; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pump -n "__fish_pump_using_subcommand template; and __fish_seen_subcommand_from rm" -l db -d 'The database file (one per device); works before or after any command' -r -F
complete -c pump -n "__fish_pump_using_subcommand template; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pump -n "__fish_pump_using_subcommand template; and __fish_seen_subcommand_from help" -f -a "save" -d 'Save a workout\'s exercises and sets as a template'
complete -c pump -n "__fish_pump_using_subcommand template; and __fish_seen_subcommand_from help" -f -a "new" -d 'Write a template from exercise specs'
complete -c pump -n "__fish_pump_using_subcommand template; and __fish_seen_subcommand_from help" -f -a "list" -d 'List templates'
complete -c pump -n "__fish_pump_using_subcommand template; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show one template'
complete -c pump -n "__fish_pump_using_subcommand template; and __fish_seen_subcommand_from help" -f -a "rm" -d 'Delete a template'
complete -c pump -n "__fish_pump_using_subcommand template; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pump -n "__fish_pump_using_subcommand weight" -l at -d 'When it was weighed (default: now)' -r
complete -c pump -n "__fish_pump_using_subcommand weight" -l db -d 'The database file (one per device); works before or after any command' -r -F
complete -c pump -n "__fish_pump_using_subcommand weight" -l json -d 'Print machine-readable JSON'
complete -c pump -n "__fish_pump_using_subcommand weight" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pump -n "__fish_pump_using_subcommand plates" -l bar -d 'Bar weight in your unit (default 20 kg / 45 lb)' -r
complete -c pump -n "__fish_pump_using_subcommand plates" -l plates -d 'Plate sizes you have, e.g. 25,20,15,10,5,2.5,1.25' -r
complete -c pump -n "__fish_pump_using_subcommand plates" -l db -d 'The database file (one per device); works before or after any command' -r -F
complete -c pump -n "__fish_pump_using_subcommand plates" -l json -d 'Print machine-readable JSON'
complete -c pump -n "__fish_pump_using_subcommand plates" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pump -n "__fish_pump_using_subcommand import" -l from -d 'Which app wrote the file (detected when absent)' -r -f -a "strong\t''
hevy\t''
fitnotes\t''
pump\t''"
complete -c pump -n "__fish_pump_using_subcommand import" -l unit -d 'The unit of weights in files that do not say (Strong\'s comma export, some FitNotes files)' -r
complete -c pump -n "__fish_pump_using_subcommand import" -l undo -d 'Delete exactly the workouts import ID added (see --list); they sync as deletions' -r
complete -c pump -n "__fish_pump_using_subcommand import" -l db -d 'The database file (one per device); works before or after any command' -r -F
complete -c pump -n "__fish_pump_using_subcommand import" -l strict -d 'Refuse the whole file at the first row that cannot be understood (by default it is listed and skipped)'
complete -c pump -n "__fish_pump_using_subcommand import" -l skip-invalid -d 'Skipping rows that cannot be understood is the default now; kept so older scripts still run'
complete -c pump -n "__fish_pump_using_subcommand import" -l replace -d 'Undo an earlier import of this file made with another --unit, then import it, in one step'
complete -c pump -n "__fish_pump_using_subcommand import" -l list -d 'List the imports made on this device: when, file, format, unit, workouts and sets added'
complete -c pump -n "__fish_pump_using_subcommand import" -l json -d 'With --list: print machine-readable JSON'
complete -c pump -n "__fish_pump_using_subcommand import" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pump -n "__fish_pump_using_subcommand export" -l format -d 'json: everything, lossless (`pump import` reads it back); csv: one row per set' -r -f -a "json\t''
csv\t''"
complete -c pump -n "__fish_pump_using_subcommand export" -s o -l output -d 'Write to this file instead of standard output' -r -F
complete -c pump -n "__fish_pump_using_subcommand export" -l db -d 'The database file (one per device); works before or after any command' -r -F
complete -c pump -n "__fish_pump_using_subcommand export" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pump -n "__fish_pump_using_subcommand conflicts" -l db -d 'The database file (one per device); works before or after any command' -r -F
complete -c pump -n "__fish_pump_using_subcommand conflicts" -l json -d 'Print machine-readable JSON'
complete -c pump -n "__fish_pump_using_subcommand conflicts" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pump -n "__fish_pump_using_subcommand resolve" -l db -d 'The database file (one per device); works before or after any command' -r -F
complete -c pump -n "__fish_pump_using_subcommand resolve" -l mine -d 'Keep this device\'s version'
complete -c pump -n "__fish_pump_using_subcommand resolve" -l theirs -d 'Keep the server\'s version'
complete -c pump -n "__fish_pump_using_subcommand resolve" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pump -n "__fish_pump_using_subcommand register" -l server -d 'The sync server, e.g. https://pump.example.org or http://127.0.0.1:8787' -r
complete -c pump -n "__fish_pump_using_subcommand register" -l user -d 'The account name' -r
complete -c pump -n "__fish_pump_using_subcommand register" -l ca-file -d 'Also trust the CAs in this PEM file for the server\'s certificate (a private CA; remembered for this server), e.g. --ca-file ~/pump-ca.pem' -r -F
complete -c pump -n "__fish_pump_using_subcommand register" -l db -d 'The database file (one per device); works before or after any command' -r -F
complete -c pump -n "__fish_pump_using_subcommand register" -l password-stdin -d 'Read the password from standard input instead of prompting'
complete -c pump -n "__fish_pump_using_subcommand register" -l allow-http -d 'Allow plain http:// to a server that is not this machine: the password, the session and every workout cross the network in clear (remembered for this server), e.g. --server http://192.168.1.20:8787 --allow-http'
complete -c pump -n "__fish_pump_using_subcommand register" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pump -n "__fish_pump_using_subcommand login" -l server -d 'The sync server, e.g. https://pump.example.org or http://127.0.0.1:8787' -r
complete -c pump -n "__fish_pump_using_subcommand login" -l user -d 'The account name' -r
complete -c pump -n "__fish_pump_using_subcommand login" -l ca-file -d 'Also trust the CAs in this PEM file for the server\'s certificate (a private CA; remembered for this server), e.g. --ca-file ~/pump-ca.pem' -r -F
complete -c pump -n "__fish_pump_using_subcommand login" -l key-file -d 'Read the account key from this file (the words or the hex, as `pump key` prints them), e.g. --key-file ~/pump-key.txt' -r -F
complete -c pump -n "__fish_pump_using_subcommand login" -l db -d 'The database file (one per device); works before or after any command' -r -F
complete -c pump -n "__fish_pump_using_subcommand login" -l password-stdin -d 'Read the password from standard input instead of prompting'
complete -c pump -n "__fish_pump_using_subcommand login" -l allow-http -d 'Allow plain http:// to a server that is not this machine: the password, the session and every workout cross the network in clear (remembered for this server), e.g. --server http://192.168.1.20:8787 --allow-http'
complete -c pump -n "__fish_pump_using_subcommand login" -l key-stdin -d 'Read the account key (the 24 words or 64 hex digits `pump key` shows on another device) from standard input; with --password-stdin, the key is the second line, e.g. printf \'%s\\n%s\\n\' "$PASSWORD" "$KEY" | pump login … --password-stdin --key-stdin'
complete -c pump -n "__fish_pump_using_subcommand login" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pump -n "__fish_pump_using_subcommand key" -l db -d 'The database file (one per device); works before or after any command' -r -F
complete -c pump -n "__fish_pump_using_subcommand key" -l enable -d 'Encrypt this account (one without a key yet): make its key here and send every row to the server again, sealed'
complete -c pump -n "__fish_pump_using_subcommand key" -l rotate -d 'Change this account\'s key: make a new one here and send every row to the server again, sealed under it; the other devices log in again'
complete -c pump -n "__fish_pump_using_subcommand key" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pump -n "__fish_pump_using_subcommand logout" -l db -d 'The database file (one per device); works before or after any command' -r -F
complete -c pump -n "__fish_pump_using_subcommand logout" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pump -n "__fish_pump_using_subcommand password" -l db -d 'The database file (one per device); works before or after any command' -r -F
complete -c pump -n "__fish_pump_using_subcommand password" -l revoke-other-sessions -d 'Also sign out every other device and session of the account'
complete -c pump -n "__fish_pump_using_subcommand password" -l password-stdin -d 'Read the current password, then the new one, a line each, from standard input'
complete -c pump -n "__fish_pump_using_subcommand password" -s h -l help -d 'Print help'
complete -c pump -n "__fish_pump_using_subcommand devices; and not __fish_seen_subcommand_from revoke help" -l db -d 'The database file (one per device); works before or after any command' -r -F
complete -c pump -n "__fish_pump_using_subcommand devices; and not __fish_seen_subcommand_from revoke help" -l json -d 'Print machine-readable JSON'
complete -c pump -n "__fish_pump_using_subcommand devices; and not __fish_seen_subcommand_from revoke help" -s h -l help -d 'Print help'
complete -c pump -n "__fish_pump_using_subcommand devices; and not __fish_seen_subcommand_from revoke help" -f -a "revoke" -d 'Sign a device out: its sessions end, and it syncs again only after `pump login`'
complete -c pump -n "__fish_pump_using_subcommand devices; and not __fish_seen_subcommand_from revoke help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pump -n "__fish_pump_using_subcommand devices; and __fish_seen_subcommand_from revoke" -l db -d 'The database file (one per device); works before or after any command' -r -F
complete -c pump -n "__fish_pump_using_subcommand devices; and __fish_seen_subcommand_from revoke" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pump -n "__fish_pump_using_subcommand devices; and __fish_seen_subcommand_from help" -f -a "revoke" -d 'Sign a device out: its sessions end, and it syncs again only after `pump login`'
complete -c pump -n "__fish_pump_using_subcommand devices; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pump -n "__fish_pump_using_subcommand doctor" -l db -d 'The database file (one per device); works before or after any command' -r -F
complete -c pump -n "__fish_pump_using_subcommand doctor" -l rebuild -d 'Make the set table again from the workouts'
complete -c pump -n "__fish_pump_using_subcommand doctor" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pump -n "__fish_pump_using_subcommand server; and not __fish_seen_subcommand_from start add-user users passwd del-user sessions help" -l db -d 'The database file (one per device); works before or after any command' -r -F
complete -c pump -n "__fish_pump_using_subcommand server; and not __fish_seen_subcommand_from start add-user users passwd del-user sessions help" -s h -l help -d 'Print help'
complete -c pump -n "__fish_pump_using_subcommand server; and not __fish_seen_subcommand_from start add-user users passwd del-user sessions help" -f -a "start" -d 'Serve sync for your devices (prints `listening on http://HOST:PORT`)'
complete -c pump -n "__fish_pump_using_subcommand server; and not __fish_seen_subcommand_from start add-user users passwd del-user sessions help" -f -a "add-user" -d 'Create an account without the network'
complete -c pump -n "__fish_pump_using_subcommand server; and not __fish_seen_subcommand_from start add-user users passwd del-user sessions help" -f -a "users" -d 'List the accounts, with what each stores'
complete -c pump -n "__fish_pump_using_subcommand server; and not __fish_seen_subcommand_from start add-user users passwd del-user sessions help" -f -a "passwd" -d 'Set an account\'s password'
complete -c pump -n "__fish_pump_using_subcommand server; and not __fish_seen_subcommand_from start add-user users passwd del-user sessions help" -f -a "del-user" -d 'Delete an account and everything it stored'
complete -c pump -n "__fish_pump_using_subcommand server; and not __fish_seen_subcommand_from start add-user users passwd del-user sessions help" -f -a "sessions" -d 'List an account\'s sessions, or end them all with --revoke'
complete -c pump -n "__fish_pump_using_subcommand server; and not __fish_seen_subcommand_from start add-user users passwd del-user sessions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pump -n "__fish_pump_using_subcommand server; and __fish_seen_subcommand_from start" -l listen -d 'Address to listen on; port 0 picks a free one' -r
complete -c pump -n "__fish_pump_using_subcommand server; and __fish_seen_subcommand_from start" -l data -d 'Folder for the server\'s SQLite database (default: the platform data dir)' -r -F
complete -c pump -n "__fish_pump_using_subcommand server; and __fish_seen_subcommand_from start" -l database -d 'A PostgreSQL database instead, which several server processes can share: postgres://USER@HOST/DB' -r
complete -c pump -n "__fish_pump_using_subcommand server; and __fish_seen_subcommand_from start" -l database-password-file -d 'Read the PostgreSQL password from this file, when the URL has none (else $PGPASSWORD)' -r -F
complete -c pump -n "__fish_pump_using_subcommand server; and __fish_seen_subcommand_from start" -l registrations-per-hour -d 'Accounts one address may register an hour (with --open-registration)' -r
complete -c pump -n "__fish_pump_using_subcommand server; and __fish_seen_subcommand_from start" -l max-body-mib -d 'Largest request body accepted, in MiB' -r
complete -c pump -n "__fish_pump_using_subcommand server; and __fish_seen_subcommand_from start" -l session-idle -d 'A session unused for this long ends; the device must `pump login`' -r
complete -c pump -n "__fish_pump_using_subcommand server; and __fish_seen_subcommand_from start" -l session-lifetime -d 'A session ends this long after its login, however often it is used' -r
complete -c pump -n "__fish_pump_using_subcommand server; and __fish_seen_subcommand_from start" -l max-sessions -d 'Sessions one account may hold; a new login ends the least recently used' -r
complete -c pump -n "__fish_pump_using_subcommand server; and __fish_seen_subcommand_from start" -l quota-rows -d 'Rows one account may store (a workout, an alias, a body weight: a row each)' -r
complete -c pump -n "__fish_pump_using_subcommand server; and __fish_seen_subcommand_from start" -l quota-mib -d 'MiB of records one account may store' -r
complete -c pump -n "__fish_pump_using_subcommand server; and __fish_seen_subcommand_from start" -l max-connections -d 'Connections open at once; more wait until one closes' -r
complete -c pump -n "__fish_pump_using_subcommand server; and __fish_seen_subcommand_from start" -l header-timeout -d 'How long a request\'s headers may take, and a kept-alive connection may idle' -r
complete -c pump -n "__fish_pump_using_subcommand server; and __fish_seen_subcommand_from start" -l trusted-proxy -d 'A reverse proxy whose X-Forwarded-For names the client (repeatable)' -r
complete -c pump -n "__fish_pump_using_subcommand server; and __fish_seen_subcommand_from start" -l database-connections -d 'With --database: PostgreSQL calls this process runs at once (default 16); N processes on one database share about 16, so give each 16/N' -r
complete -c pump -n "__fish_pump_using_subcommand server; and __fish_seen_subcommand_from start" -l threads -d 'Threads serving requests (default: one per core); N processes on one machine: cores/N each' -r
complete -c pump -n "__fish_pump_using_subcommand server; and __fish_seen_subcommand_from start" -l db -d 'The database file (one per device); works before or after any command' -r -F
complete -c pump -n "__fish_pump_using_subcommand server; and __fish_seen_subcommand_from start" -l open-registration -d 'Let clients create accounts with `pump register`'
complete -c pump -n "__fish_pump_using_subcommand server; and __fish_seen_subcommand_from start" -l allow-plaintext -d 'Let accounts without a key push plaintext rows, while their devices upgrade (`pump key --enable` encrypts an account)'
complete -c pump -n "__fish_pump_using_subcommand server; and __fish_seen_subcommand_from start" -l fast-unsafe -d 'Commit without waiting for the disk (synchronous=NORMAL): faster, but a power cut may lose the last synced rounds (a crash of pump cannot)'
complete -c pump -n "__fish_pump_using_subcommand server; and __fish_seen_subcommand_from start" -s h -l help -d 'Print help'
complete -c pump -n "__fish_pump_using_subcommand server; and __fish_seen_subcommand_from add-user" -l data -d 'Folder for the server\'s SQLite database (default: the platform data dir)' -r -F
complete -c pump -n "__fish_pump_using_subcommand server; and __fish_seen_subcommand_from add-user" -l database -d 'A PostgreSQL database instead, which several server processes can share: postgres://USER@HOST/DB' -r
complete -c pump -n "__fish_pump_using_subcommand server; and __fish_seen_subcommand_from add-user" -l database-password-file -d 'Read the PostgreSQL password from this file, when the URL has none (else $PGPASSWORD)' -r -F
complete -c pump -n "__fish_pump_using_subcommand server; and __fish_seen_subcommand_from add-user" -l db -d 'The database file (one per device); works before or after any command' -r -F
complete -c pump -n "__fish_pump_using_subcommand server; and __fish_seen_subcommand_from add-user" -l password-stdin -d 'Read the password from standard input instead of prompting'
complete -c pump -n "__fish_pump_using_subcommand server; and __fish_seen_subcommand_from add-user" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pump -n "__fish_pump_using_subcommand server; and __fish_seen_subcommand_from users" -l data -d 'Folder for the server\'s SQLite database (default: the platform data dir)' -r -F
complete -c pump -n "__fish_pump_using_subcommand server; and __fish_seen_subcommand_from users" -l database -d 'A PostgreSQL database instead, which several server processes can share: postgres://USER@HOST/DB' -r
complete -c pump -n "__fish_pump_using_subcommand server; and __fish_seen_subcommand_from users" -l database-password-file -d 'Read the PostgreSQL password from this file, when the URL has none (else $PGPASSWORD)' -r -F
complete -c pump -n "__fish_pump_using_subcommand server; and __fish_seen_subcommand_from users" -l db -d 'The database file (one per device); works before or after any command' -r -F
complete -c pump -n "__fish_pump_using_subcommand server; and __fish_seen_subcommand_from users" -l json -d 'Print machine-readable JSON'
complete -c pump -n "__fish_pump_using_subcommand server; and __fish_seen_subcommand_from users" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pump -n "__fish_pump_using_subcommand server; and __fish_seen_subcommand_from passwd" -l data -d 'Folder for the server\'s SQLite database (default: the platform data dir)' -r -F
complete -c pump -n "__fish_pump_using_subcommand server; and __fish_seen_subcommand_from passwd" -l database -d 'A PostgreSQL database instead, which several server processes can share: postgres://USER@HOST/DB' -r
complete -c pump -n "__fish_pump_using_subcommand server; and __fish_seen_subcommand_from passwd" -l database-password-file -d 'Read the PostgreSQL password from this file, when the URL has none (else $PGPASSWORD)' -r -F
complete -c pump -n "__fish_pump_using_subcommand server; and __fish_seen_subcommand_from passwd" -l db -d 'The database file (one per device); works before or after any command' -r -F
complete -c pump -n "__fish_pump_using_subcommand server; and __fish_seen_subcommand_from passwd" -l password-stdin -d 'Read the password from standard input instead of prompting'
complete -c pump -n "__fish_pump_using_subcommand server; and __fish_seen_subcommand_from passwd" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pump -n "__fish_pump_using_subcommand server; and __fish_seen_subcommand_from del-user" -l data -d 'Folder for the server\'s SQLite database (default: the platform data dir)' -r -F
complete -c pump -n "__fish_pump_using_subcommand server; and __fish_seen_subcommand_from del-user" -l database -d 'A PostgreSQL database instead, which several server processes can share: postgres://USER@HOST/DB' -r
complete -c pump -n "__fish_pump_using_subcommand server; and __fish_seen_subcommand_from del-user" -l database-password-file -d 'Read the PostgreSQL password from this file, when the URL has none (else $PGPASSWORD)' -r -F
complete -c pump -n "__fish_pump_using_subcommand server; and __fish_seen_subcommand_from del-user" -l db -d 'The database file (one per device); works before or after any command' -r -F
complete -c pump -n "__fish_pump_using_subcommand server; and __fish_seen_subcommand_from del-user" -l yes -d 'Really delete it: its synced data cannot be recovered from the server'
complete -c pump -n "__fish_pump_using_subcommand server; and __fish_seen_subcommand_from del-user" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pump -n "__fish_pump_using_subcommand server; and __fish_seen_subcommand_from sessions" -l data -d 'Folder for the server\'s SQLite database (default: the platform data dir)' -r -F
complete -c pump -n "__fish_pump_using_subcommand server; and __fish_seen_subcommand_from sessions" -l database -d 'A PostgreSQL database instead, which several server processes can share: postgres://USER@HOST/DB' -r
complete -c pump -n "__fish_pump_using_subcommand server; and __fish_seen_subcommand_from sessions" -l database-password-file -d 'Read the PostgreSQL password from this file, when the URL has none (else $PGPASSWORD)' -r -F
complete -c pump -n "__fish_pump_using_subcommand server; and __fish_seen_subcommand_from sessions" -l db -d 'The database file (one per device); works before or after any command' -r -F
complete -c pump -n "__fish_pump_using_subcommand server; and __fish_seen_subcommand_from sessions" -l revoke -d 'End every session of the account: each device must `pump login` again'
complete -c pump -n "__fish_pump_using_subcommand server; and __fish_seen_subcommand_from sessions" -l json -d 'Print machine-readable JSON'
complete -c pump -n "__fish_pump_using_subcommand server; and __fish_seen_subcommand_from sessions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pump -n "__fish_pump_using_subcommand server; and __fish_seen_subcommand_from help" -f -a "start" -d 'Serve sync for your devices (prints `listening on http://HOST:PORT`)'
complete -c pump -n "__fish_pump_using_subcommand server; and __fish_seen_subcommand_from help" -f -a "add-user" -d 'Create an account without the network'
complete -c pump -n "__fish_pump_using_subcommand server; and __fish_seen_subcommand_from help" -f -a "users" -d 'List the accounts, with what each stores'
complete -c pump -n "__fish_pump_using_subcommand server; and __fish_seen_subcommand_from help" -f -a "passwd" -d 'Set an account\'s password'
complete -c pump -n "__fish_pump_using_subcommand server; and __fish_seen_subcommand_from help" -f -a "del-user" -d 'Delete an account and everything it stored'
complete -c pump -n "__fish_pump_using_subcommand server; and __fish_seen_subcommand_from help" -f -a "sessions" -d 'List an account\'s sessions, or end them all with --revoke'
complete -c pump -n "__fish_pump_using_subcommand server; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pump -n "__fish_pump_using_subcommand sets" -l db -d 'The database file (one per device); works before or after any command' -r -F
complete -c pump -n "__fish_pump_using_subcommand sets" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pump -n "__fish_pump_using_subcommand completions" -l db -d 'The database file (one per device); works before or after any command' -r -F
complete -c pump -n "__fish_pump_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pump -n "__fish_pump_using_subcommand man" -l db -d 'The database file (one per device); works before or after any command' -r -F
complete -c pump -n "__fish_pump_using_subcommand man" -l list -d 'List the commands that have a page, one a line'
complete -c pump -n "__fish_pump_using_subcommand man" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pump -n "__fish_pump_using_subcommand help; and not __fish_seen_subcommand_from log start add finish list show edit rm restore status device config sync exercises history alias pr stats progress calendar report template weight plates import export conflicts resolve register login key logout password devices doctor server sets completions man help" -f -a "log" -d 'Record a finished workout in one command; prints its id'
complete -c pump -n "__fish_pump_using_subcommand help; and not __fish_seen_subcommand_from log start add finish list show edit rm restore status device config sync exercises history alias pr stats progress calendar report template weight plates import export conflicts resolve register login key logout password devices doctor server sets completions man help" -f -a "start" -d 'Open a workout to fill in set by set at the gym'
complete -c pump -n "__fish_pump_using_subcommand help; and not __fish_seen_subcommand_from log start add finish list show edit rm restore status device config sync exercises history alias pr stats progress calendar report template weight plates import export conflicts resolve register login key logout password devices doctor server sets completions man help" -f -a "add" -d 'Append sets to the open workout'
complete -c pump -n "__fish_pump_using_subcommand help; and not __fish_seen_subcommand_from log start add finish list show edit rm restore status device config sync exercises history alias pr stats progress calendar report template weight plates import export conflicts resolve register login key logout password devices doctor server sets completions man help" -f -a "finish" -d 'Close the open workout'
complete -c pump -n "__fish_pump_using_subcommand help; and not __fish_seen_subcommand_from log start add finish list show edit rm restore status device config sync exercises history alias pr stats progress calendar report template weight plates import export conflicts resolve register login key logout password devices doctor server sets completions man help" -f -a "list" -d 'List workouts, newest first'
complete -c pump -n "__fish_pump_using_subcommand help; and not __fish_seen_subcommand_from log start add finish list show edit rm restore status device config sync exercises history alias pr stats progress calendar report template weight plates import export conflicts resolve register login key logout password devices doctor server sets completions man help" -f -a "show" -d 'Show one workout'
complete -c pump -n "__fish_pump_using_subcommand help; and not __fish_seen_subcommand_from log start add finish list show edit rm restore status device config sync exercises history alias pr stats progress calendar report template weight plates import export conflicts resolve register login key logout password devices doctor server sets completions man help" -f -a "edit" -d 'Change a workout (opens $EDITOR when given no flags)'
complete -c pump -n "__fish_pump_using_subcommand help; and not __fish_seen_subcommand_from log start add finish list show edit rm restore status device config sync exercises history alias pr stats progress calendar report template weight plates import export conflicts resolve register login key logout password devices doctor server sets completions man help" -f -a "rm" -d 'Delete workouts (they sync as deletions)'
complete -c pump -n "__fish_pump_using_subcommand help; and not __fish_seen_subcommand_from log start add finish list show edit rm restore status device config sync exercises history alias pr stats progress calendar report template weight plates import export conflicts resolve register login key logout password devices doctor server sets completions man help" -f -a "restore" -d 'Bring back a deleted workout (it syncs, and wins over the delete)'
complete -c pump -n "__fish_pump_using_subcommand help; and not __fish_seen_subcommand_from log start add finish list show edit rm restore status device config sync exercises history alias pr stats progress calendar report template weight plates import export conflicts resolve register login key logout password devices doctor server sets completions man help" -f -a "status" -d 'This device, its database, the open workout, and what is waiting to sync'
complete -c pump -n "__fish_pump_using_subcommand help; and not __fish_seen_subcommand_from log start add finish list show edit rm restore status device config sync exercises history alias pr stats progress calendar report template weight plates import export conflicts resolve register login key logout password devices doctor server sets completions man help" -f -a "device" -d 'Show or rename this device'
complete -c pump -n "__fish_pump_using_subcommand help; and not __fish_seen_subcommand_from log start add finish list show edit rm restore status device config sync exercises history alias pr stats progress calendar report template weight plates import export conflicts resolve register login key logout password devices doctor server sets completions man help" -f -a "config" -d 'Read or change preferences (unit, auto_sync, sync_interval, timeout)'
complete -c pump -n "__fish_pump_using_subcommand help; and not __fish_seen_subcommand_from log start add finish list show edit rm restore status device config sync exercises history alias pr stats progress calendar report template weight plates import export conflicts resolve register login key logout password devices doctor server sets completions man help" -f -a "sync" -d 'Send this device\'s changes to the sync server and receive the others\''
complete -c pump -n "__fish_pump_using_subcommand help; and not __fish_seen_subcommand_from log start add finish list show edit rm restore status device config sync exercises history alias pr stats progress calendar report template weight plates import export conflicts resolve register login key logout password devices doctor server sets completions man help" -f -a "exercises" -d 'The exercise catalogue and your own; merge or rename exercises across history'
complete -c pump -n "__fish_pump_using_subcommand help; and not __fish_seen_subcommand_from log start add finish list show edit rm restore status device config sync exercises history alias pr stats progress calendar report template weight plates import export conflicts resolve register login key logout password devices doctor server sets completions man help" -f -a "history" -d 'One exercise\'s past sessions with their sets, newest first'
complete -c pump -n "__fish_pump_using_subcommand help; and not __fish_seen_subcommand_from log start add finish list show edit rm restore status device config sync exercises history alias pr stats progress calendar report template weight plates import export conflicts resolve register login key logout password devices doctor server sets completions man help" -f -a "alias" -d 'Short names for exercises: `pump alias bp "Bench Press"`; alone, lists them'
complete -c pump -n "__fish_pump_using_subcommand help; and not __fish_seen_subcommand_from log start add finish list show edit rm restore status device config sync exercises history alias pr stats progress calendar report template weight plates import export conflicts resolve register login key logout password devices doctor server sets completions man help" -f -a "pr" -d 'Personal records: heaviest set, e1RM, rep maxes, best volumes'
complete -c pump -n "__fish_pump_using_subcommand help; and not __fish_seen_subcommand_from log start add finish list show edit rm restore status device config sync exercises history alias pr stats progress calendar report template weight plates import export conflicts resolve register login key logout password devices doctor server sets completions man help" -f -a "stats" -d 'Sessions, sets, reps and volume per week and muscle group, and streaks'
complete -c pump -n "__fish_pump_using_subcommand help; and not __fish_seen_subcommand_from log start add finish list show edit rm restore status device config sync exercises history alias pr stats progress calendar report template weight plates import export conflicts resolve register login key logout password devices doctor server sets completions man help" -f -a "progress" -d 'A chart of one exercise\'s e1RM, top set or volume over time'
complete -c pump -n "__fish_pump_using_subcommand help; and not __fish_seen_subcommand_from log start add finish list show edit rm restore status device config sync exercises history alias pr stats progress calendar report template weight plates import export conflicts resolve register login key logout password devices doctor server sets completions man help" -f -a "calendar" -d 'A heatmap of training days over a year'
complete -c pump -n "__fish_pump_using_subcommand help; and not __fish_seen_subcommand_from log start add finish list show edit rm restore status device config sync exercises history alias pr stats progress calendar report template weight plates import export conflicts resolve register login key logout password devices doctor server sets completions man help" -f -a "report" -d 'Your progress as one HTML page that opens in any browser, offline: charts, calendar, records'
complete -c pump -n "__fish_pump_using_subcommand help; and not __fish_seen_subcommand_from log start add finish list show edit rm restore status device config sync exercises history alias pr stats progress calendar report template weight plates import export conflicts resolve register login key logout password devices doctor server sets completions man help" -f -a "template" -d 'Routines to start a workout from'
complete -c pump -n "__fish_pump_using_subcommand help; and not __fish_seen_subcommand_from log start add finish list show edit rm restore status device config sync exercises history alias pr stats progress calendar report template weight plates import export conflicts resolve register login key logout password devices doctor server sets completions man help" -f -a "weight" -d 'Record body weight (`pump weight 80.5`), or list recent entries with a trend'
complete -c pump -n "__fish_pump_using_subcommand help; and not __fish_seen_subcommand_from log start add finish list show edit rm restore status device config sync exercises history alias pr stats progress calendar report template weight plates import export conflicts resolve register login key logout password devices doctor server sets completions man help" -f -a "plates" -d 'The plates to load on each side of the bar'
complete -c pump -n "__fish_pump_using_subcommand help; and not __fish_seen_subcommand_from log start add finish list show edit rm restore status device config sync exercises history alias pr stats progress calendar report template weight plates import export conflicts resolve register login key logout password devices doctor server sets completions man help" -f -a "import" -d 'Import workouts from Strong, Hevy, FitNotes (CSV) or a pump export (JSON)'
complete -c pump -n "__fish_pump_using_subcommand help; and not __fish_seen_subcommand_from log start add finish list show edit rm restore status device config sync exercises history alias pr stats progress calendar report template weight plates import export conflicts resolve register login key logout password devices doctor server sets completions man help" -f -a "export" -d 'Export everything as JSON (lossless) or CSV (one row per set)'
complete -c pump -n "__fish_pump_using_subcommand help; and not __fish_seen_subcommand_from log start add finish list show edit rm restore status device config sync exercises history alias pr stats progress calendar report template weight plates import export conflicts resolve register login key logout password devices doctor server sets completions man help" -f -a "conflicts" -d 'List conflicts held for you to resolve'
complete -c pump -n "__fish_pump_using_subcommand help; and not __fish_seen_subcommand_from log start add finish list show edit rm restore status device config sync exercises history alias pr stats progress calendar report template weight plates import export conflicts resolve register login key logout password devices doctor server sets completions man help" -f -a "resolve" -d 'Resolve held conflicts (interactive without a flag)'
complete -c pump -n "__fish_pump_using_subcommand help; and not __fish_seen_subcommand_from log start add finish list show edit rm restore status device config sync exercises history alias pr stats progress calendar report template weight plates import export conflicts resolve register login key logout password devices doctor server sets completions man help" -f -a "register" -d 'Create an account on a sync server and log this device in'
complete -c pump -n "__fish_pump_using_subcommand help; and not __fish_seen_subcommand_from log start add finish list show edit rm restore status device config sync exercises history alias pr stats progress calendar report template weight plates import export conflicts resolve register login key logout password devices doctor server sets completions man help" -f -a "login" -d 'Log this device in to a sync server (an account with a key asks for it)'
complete -c pump -n "__fish_pump_using_subcommand help; and not __fish_seen_subcommand_from log start add finish list show edit rm restore status device config sync exercises history alias pr stats progress calendar report template weight plates import export conflicts resolve register login key logout password devices doctor server sets completions man help" -f -a "key" -d 'Show this account\'s encryption key (24 words and hex), or encrypt an account with --enable'
complete -c pump -n "__fish_pump_using_subcommand help; and not __fish_seen_subcommand_from log start add finish list show edit rm restore status device config sync exercises history alias pr stats progress calendar report template weight plates import export conflicts resolve register login key logout password devices doctor server sets completions man help" -f -a "logout" -d 'Forget this device\'s session token'
complete -c pump -n "__fish_pump_using_subcommand help; and not __fish_seen_subcommand_from log start add finish list show edit rm restore status device config sync exercises history alias pr stats progress calendar report template weight plates import export conflicts resolve register login key logout password devices doctor server sets completions man help" -f -a "password" -d 'Change your account\'s password (optionally signing out every other device)'
complete -c pump -n "__fish_pump_using_subcommand help; and not __fish_seen_subcommand_from log start add finish list show edit rm restore status device config sync exercises history alias pr stats progress calendar report template weight plates import export conflicts resolve register login key logout password devices doctor server sets completions man help" -f -a "devices" -d 'The devices of your account: last sync, pending rows; `revoke` signs one out'
complete -c pump -n "__fish_pump_using_subcommand help; and not __fish_seen_subcommand_from log start add finish list show edit rm restore status device config sync exercises history alias pr stats progress calendar report template weight plates import export conflicts resolve register login key logout password devices doctor server sets completions man help" -f -a "doctor" -d 'Check the set table the analytics read against your workouts, or rebuild it'
complete -c pump -n "__fish_pump_using_subcommand help; and not __fish_seen_subcommand_from log start add finish list show edit rm restore status device config sync exercises history alias pr stats progress calendar report template weight plates import export conflicts resolve register login key logout password devices doctor server sets completions man help" -f -a "server" -d 'Run or administer the sync server'
complete -c pump -n "__fish_pump_using_subcommand help; and not __fish_seen_subcommand_from log start add finish list show edit rm restore status device config sync exercises history alias pr stats progress calendar report template weight plates import export conflicts resolve register login key logout password devices doctor server sets completions man help" -f -a "sets" -d 'Print the set grammar'
complete -c pump -n "__fish_pump_using_subcommand help; and not __fish_seen_subcommand_from log start add finish list show edit rm restore status device config sync exercises history alias pr stats progress calendar report template weight plates import export conflicts resolve register login key logout password devices doctor server sets completions man help" -f -a "completions" -d 'Print a shell completion script'
complete -c pump -n "__fish_pump_using_subcommand help; and not __fish_seen_subcommand_from log start add finish list show edit rm restore status device config sync exercises history alias pr stats progress calendar report template weight plates import export conflicts resolve register login key logout password devices doctor server sets completions man help" -f -a "man" -d 'Print a manual page (`pump man | man -l -`)'
complete -c pump -n "__fish_pump_using_subcommand help; and not __fish_seen_subcommand_from log start add finish list show edit rm restore status device config sync exercises history alias pr stats progress calendar report template weight plates import export conflicts resolve register login key logout password devices doctor server sets completions man help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pump -n "__fish_pump_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "get" -d 'Print one setting'
complete -c pump -n "__fish_pump_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "set" -d 'Change one setting'
complete -c pump -n "__fish_pump_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "list" -d 'Print every setting'
complete -c pump -n "__fish_pump_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "path" -d 'Print the config file\'s path'
complete -c pump -n "__fish_pump_using_subcommand help; and __fish_seen_subcommand_from exercises" -f -a "merge" -d 'Move every set of one exercise into another, in all history'
complete -c pump -n "__fish_pump_using_subcommand help; and __fish_seen_subcommand_from exercises" -f -a "rename" -d 'Give an exercise another name in all history'
complete -c pump -n "__fish_pump_using_subcommand help; and __fish_seen_subcommand_from template" -f -a "save" -d 'Save a workout\'s exercises and sets as a template'
complete -c pump -n "__fish_pump_using_subcommand help; and __fish_seen_subcommand_from template" -f -a "new" -d 'Write a template from exercise specs'
complete -c pump -n "__fish_pump_using_subcommand help; and __fish_seen_subcommand_from template" -f -a "list" -d 'List templates'
complete -c pump -n "__fish_pump_using_subcommand help; and __fish_seen_subcommand_from template" -f -a "show" -d 'Show one template'
complete -c pump -n "__fish_pump_using_subcommand help; and __fish_seen_subcommand_from template" -f -a "rm" -d 'Delete a template'
complete -c pump -n "__fish_pump_using_subcommand help; and __fish_seen_subcommand_from devices" -f -a "revoke" -d 'Sign a device out: its sessions end, and it syncs again only after `pump login`'
complete -c pump -n "__fish_pump_using_subcommand help; and __fish_seen_subcommand_from server" -f -a "start" -d 'Serve sync for your devices (prints `listening on http://HOST:PORT`)'
complete -c pump -n "__fish_pump_using_subcommand help; and __fish_seen_subcommand_from server" -f -a "add-user" -d 'Create an account without the network'
complete -c pump -n "__fish_pump_using_subcommand help; and __fish_seen_subcommand_from server" -f -a "users" -d 'List the accounts, with what each stores'
complete -c pump -n "__fish_pump_using_subcommand help; and __fish_seen_subcommand_from server" -f -a "passwd" -d 'Set an account\'s password'
complete -c pump -n "__fish_pump_using_subcommand help; and __fish_seen_subcommand_from server" -f -a "del-user" -d 'Delete an account and everything it stored'
complete -c pump -n "__fish_pump_using_subcommand help; and __fish_seen_subcommand_from server" -f -a "sessions" -d 'List an account\'s sessions, or end them all with --revoke'
