
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'pump' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'pump'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'pump' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file (one per device); works before or after any command')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('log', 'log', [CompletionResultType]::ParameterValue, 'Record a finished workout in one command; prints its id')
            [CompletionResult]::new('start', 'start', [CompletionResultType]::ParameterValue, 'Open a workout to fill in set by set at the gym')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Append sets to the open workout')
            [CompletionResult]::new('finish', 'finish', [CompletionResultType]::ParameterValue, 'Close the open workout')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List workouts, newest first')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one workout')
            [CompletionResult]::new('edit', 'edit', [CompletionResultType]::ParameterValue, 'Change a workout (opens $EDITOR when given no flags)')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Delete workouts (they sync as deletions)')
            [CompletionResult]::new('restore', 'restore', [CompletionResultType]::ParameterValue, 'Bring back a deleted workout (it syncs, and wins over the delete)')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'This device, its database, the open workout, and what is waiting to sync')
            [CompletionResult]::new('device', 'device', [CompletionResultType]::ParameterValue, 'Show or rename this device')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Read or change preferences (unit, auto_sync, sync_interval, timeout)')
            [CompletionResult]::new('sync', 'sync', [CompletionResultType]::ParameterValue, 'Send this device''s changes to the sync server and receive the others''')
            [CompletionResult]::new('exercises', 'exercises', [CompletionResultType]::ParameterValue, 'The exercise catalogue and your own; merge or rename exercises across history')
            [CompletionResult]::new('history', 'history', [CompletionResultType]::ParameterValue, 'One exercise''s past sessions with their sets, newest first')
            [CompletionResult]::new('alias', 'alias', [CompletionResultType]::ParameterValue, 'Short names for exercises: `pump alias bp "Bench Press"`; alone, lists them')
            [CompletionResult]::new('pr', 'pr', [CompletionResultType]::ParameterValue, 'Personal records: heaviest set, e1RM, rep maxes, best volumes')
            [CompletionResult]::new('stats', 'stats', [CompletionResultType]::ParameterValue, 'Sessions, sets, reps and volume per week and muscle group, and streaks')
            [CompletionResult]::new('progress', 'progress', [CompletionResultType]::ParameterValue, 'A chart of one exercise''s e1RM, top set or volume over time')
            [CompletionResult]::new('calendar', 'calendar', [CompletionResultType]::ParameterValue, 'A heatmap of training days over a year')
            [CompletionResult]::new('report', 'report', [CompletionResultType]::ParameterValue, 'Your progress as one HTML page that opens in any browser, offline: charts, calendar, records')
            [CompletionResult]::new('template', 'template', [CompletionResultType]::ParameterValue, 'Routines to start a workout from')
            [CompletionResult]::new('weight', 'weight', [CompletionResultType]::ParameterValue, 'Record body weight (`pump weight 80.5`), or list recent entries with a trend')
            [CompletionResult]::new('plates', 'plates', [CompletionResultType]::ParameterValue, 'The plates to load on each side of the bar')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Import workouts from Strong, Hevy, FitNotes (CSV) or a pump export (JSON)')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Export everything as JSON (lossless) or CSV (one row per set)')
            [CompletionResult]::new('conflicts', 'conflicts', [CompletionResultType]::ParameterValue, 'List conflicts held for you to resolve')
            [CompletionResult]::new('resolve', 'resolve', [CompletionResultType]::ParameterValue, 'Resolve held conflicts (interactive without a flag)')
            [CompletionResult]::new('register', 'register', [CompletionResultType]::ParameterValue, 'Create an account on a sync server and log this device in')
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Log this device in to a sync server (an account with a key asks for it)')
            [CompletionResult]::new('key', 'key', [CompletionResultType]::ParameterValue, 'Show this account''s encryption key (24 words and hex), or encrypt an account with --enable')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'Forget this device''s session token')
            [CompletionResult]::new('password', 'password', [CompletionResultType]::ParameterValue, 'Change your account''s password (optionally signing out every other device)')
            [CompletionResult]::new('devices', 'devices', [CompletionResultType]::ParameterValue, 'The devices of your account: last sync, pending rows; `revoke` signs one out')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check the set table the analytics read against your workouts, or rebuild it')
            [CompletionResult]::new('server', 'server', [CompletionResultType]::ParameterValue, 'Run or administer the sync server')
            [CompletionResult]::new('sets', 'sets', [CompletionResultType]::ParameterValue, 'Print the set grammar')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print a manual page (`pump man | man -l -`)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pump;log' {
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'When it started')
            [CompletionResult]::new('--end', '--end', [CompletionResultType]::ParameterName, 'When it ended')
            [CompletionResult]::new('--duration', '--duration', [CompletionResultType]::ParameterName, 'How long it took: 1h10m, 45m, 1:10:00, or a bare number of minutes (90 is 1h30m)')
            [CompletionResult]::new('--notes', '--notes', [CompletionResultType]::ParameterName, 'Notes for the workout')
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'An exercise and its sets: -e "squat: 3x5@100kg" (repeatable)')
            [CompletionResult]::new('--exercise', '--exercise', [CompletionResultType]::ParameterName, 'An exercise and its sets: -e "squat: 3x5@100kg" (repeatable)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file (one per device); works before or after any command')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pump;start' {
            [CompletionResult]::new('--template', '--template', [CompletionResultType]::ParameterName, 'Pre-fill the plan from a template (`pump template list`)')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'When it started')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file (one per device); works before or after any command')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pump;add' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file (one per device); works before or after any command')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pump;finish' {
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'When it ended')
            [CompletionResult]::new('--notes', '--notes', [CompletionResultType]::ParameterName, 'Notes for the workout (they replace any it has)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file (one per device); works before or after any command')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pump;list' {
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'since')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'until')
            [CompletionResult]::new('--exercise', '--exercise', [CompletionResultType]::ParameterName, 'Only workouts with this exercise')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'Show at most this many, newest first')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file (one per device); works before or after any command')
            [CompletionResult]::new('--deleted', '--deleted', [CompletionResultType]::ParameterName, 'Deleted workouts instead: what `pump restore ID` can bring back')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pump;show' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file (one per device); works before or after any command')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON (weights in kg)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pump;edit' {
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'The new name')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'The new start')
            [CompletionResult]::new('--end', '--end', [CompletionResultType]::ParameterName, 'The new end')
            [CompletionResult]::new('--notes', '--notes', [CompletionResultType]::ParameterName, 'The new notes (they replace the old ones)')
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'Replace an exercise''s sets (or add the exercise): -e "squat: 3x5@100kg"')
            [CompletionResult]::new('--exercise', '--exercise', [CompletionResultType]::ParameterName, 'Replace an exercise''s sets (or add the exercise): -e "squat: 3x5@100kg"')
            [CompletionResult]::new('--exercise-note', '--exercise-note', [CompletionResultType]::ParameterName, 'Set the notes of an exercise of the workout: --exercise-note "squat: belt on"')
            [CompletionResult]::new('--set-note', '--set-note', [CompletionResultType]::ParameterName, 'Set the note of one set (numbered from 1): --set-note "squat 3: knee caved"')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file (one per device); works before or after any command')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pump;rm' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file (one per device); works before or after any command')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would be deleted and change nothing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pump;restore' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file (one per device); works before or after any command')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pump;status' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file (one per device); works before or after any command')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pump;device' {
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Rename this device')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file (one per device); works before or after any command')
            [CompletionResult]::new('--reset-id', '--reset-id', [CompletionResultType]::ParameterName, 'Take a new device id (after copying a database file to a second device)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pump;config' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file (one per device); works before or after any command')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Print one setting')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Change one setting')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Print every setting')
            [CompletionResult]::new('path', 'path', [CompletionResultType]::ParameterValue, 'Print the config file''s path')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pump;config;get' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file (one per device); works before or after any command')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pump;config;set' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file (one per device); works before or after any command')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pump;config;list' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file (one per device); works before or after any command')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pump;config;path' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file (one per device); works before or after any command')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pump;config;help' {
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Print one setting')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Change one setting')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Print every setting')
            [CompletionResult]::new('path', 'path', [CompletionResultType]::ParameterValue, 'Print the config file''s path')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pump;config;help;get' {
            break
        }
        'pump;config;help;set' {
            break
        }
        'pump;config;help;list' {
            break
        }
        'pump;config;help;path' {
            break
        }
        'pump;config;help;help' {
            break
        }
        'pump;sync' {
            [CompletionResult]::new('--prefer', '--prefer', [CompletionResultType]::ParameterName, 'Resolve true conflicts this way without prompting (for scripts)')
            [CompletionResult]::new('--every', '--every', [CompletionResultType]::ParameterName, 'Keep running, syncing at this interval: a number with its unit, s, m or h, at least 10s (e.g. --every 15m)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file (one per device); works before or after any command')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing unless something needs attention (an unreachable server only once syncs have failed for longer than the sync_warn_after setting, 24h by default), e.g. from cron')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing unless something needs attention (an unreachable server only once syncs have failed for longer than the sync_warn_after setting, 24h by default), e.g. from cron')
            [CompletionResult]::new('--non-interactive', '--non-interactive', [CompletionResultType]::ParameterName, 'Never prompt (implied when standard input is not a terminal)')
            [CompletionResult]::new('--full', '--full', [CompletionResultType]::ParameterName, 'Send every record this device holds again, not only its changes, and pull everything anew: for a server restored from a backup or replaced (pump notices both by itself), e.g. `pump sync --full`')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pump;exercises' {
            [CompletionResult]::new('--search', '--search', [CompletionResultType]::ParameterName, 'Only names, categories or muscle groups containing this, e.g. --search chest')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file (one per device); works before or after any command')
            [CompletionResult]::new('--unmatched', '--unmatched', [CompletionResultType]::ParameterName, 'Only the names you logged that the catalogue does not know, each with the catalogue exercise it may be (merge it with `pump exercises merge`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('merge', 'merge', [CompletionResultType]::ParameterValue, 'Move every set of one exercise into another, in all history')
            [CompletionResult]::new('rename', 'rename', [CompletionResultType]::ParameterValue, 'Give an exercise another name in all history')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pump;exercises;merge' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file (one per device); works before or after any command')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pump;exercises;rename' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file (one per device); works before or after any command')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pump;exercises;help' {
            [CompletionResult]::new('merge', 'merge', [CompletionResultType]::ParameterValue, 'Move every set of one exercise into another, in all history')
            [CompletionResult]::new('rename', 'rename', [CompletionResultType]::ParameterValue, 'Give an exercise another name in all history')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pump;exercises;help;merge' {
            break
        }
        'pump;exercises;help;rename' {
            break
        }
        'pump;exercises;help;help' {
            break
        }
        'pump;history' {
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'Show at most this many sessions, newest first')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file (one per device); works before or after any command')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON (weights in kg)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pump;alias' {
            [CompletionResult]::new('--rm', '--rm', [CompletionResultType]::ParameterName, 'Remove this alias')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file (one per device); works before or after any command')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pump;pr' {
            [CompletionResult]::new('--formula', '--formula', [CompletionResultType]::ParameterName, 'How to estimate a one-rep max: epley or brzycki')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file (one per device); works before or after any command')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON (weights in kg, times in seconds, distances in metres)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pump;stats' {
            [CompletionResult]::new('--weeks', '--weeks', [CompletionResultType]::ParameterName, 'How many weeks back, this week included')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file (one per device); works before or after any command')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON (volumes in kg, times in seconds)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pump;progress' {
            [CompletionResult]::new('--metric', '--metric', [CompletionResultType]::ParameterName, 'What to chart: e1rm, top-set or volume')
            [CompletionResult]::new('--formula', '--formula', [CompletionResultType]::ParameterName, 'How to estimate a one-rep max: epley or brzycki')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only sessions from then on')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file (one per device); works before or after any command')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the series, one point per session with its date, as JSON')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pump;calendar' {
            [CompletionResult]::new('--year', '--year', [CompletionResultType]::ParameterName, 'A past year (default: the last 12 months)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file (one per device); works before or after any command')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pump;report' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'The file to write (readable by you only; replaced if it exists)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'The file to write (readable by you only; replaced if it exists)')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'The first day to show (default: the day of your first workout)')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'The last day to show, included (default: today)')
            [CompletionResult]::new('--formula', '--formula', [CompletionResultType]::ParameterName, 'How to estimate a one-rep max: epley or brzycki')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file (one per device); works before or after any command')
            [CompletionResult]::new('--open', '--open', [CompletionResultType]::ParameterName, 'Open the report in your browser once written ($BROWSER, else xdg-open, or open on macOS)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pump;template' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file (one per device); works before or after any command')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('save', 'save', [CompletionResultType]::ParameterValue, 'Save a workout''s exercises and sets as a template')
            [CompletionResult]::new('new', 'new', [CompletionResultType]::ParameterValue, 'Write a template from exercise specs')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List templates')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one template')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Delete a template')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pump;template;save' {
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'The workout: an id, a unique prefix, or `last`')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file (one per device); works before or after any command')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pump;template;new' {
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'An exercise and its planned sets: -e "squat: 3x5@100kg" (repeatable)')
            [CompletionResult]::new('--exercise', '--exercise', [CompletionResultType]::ParameterName, 'An exercise and its planned sets: -e "squat: 3x5@100kg" (repeatable)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file (one per device); works before or after any command')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pump;template;list' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file (one per device); works before or after any command')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pump;template;show' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file (one per device); works before or after any command')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pump;template;rm' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file (one per device); works before or after any command')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pump;template;help' {
            [CompletionResult]::new('save', 'save', [CompletionResultType]::ParameterValue, 'Save a workout''s exercises and sets as a template')
            [CompletionResult]::new('new', 'new', [CompletionResultType]::ParameterValue, 'Write a template from exercise specs')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List templates')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one template')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Delete a template')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pump;template;help;save' {
            break
        }
        'pump;template;help;new' {
            break
        }
        'pump;template;help;list' {
            break
        }
        'pump;template;help;show' {
            break
        }
        'pump;template;help;rm' {
            break
        }
        'pump;template;help;help' {
            break
        }
        'pump;weight' {
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'When it was weighed (default: now)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file (one per device); works before or after any command')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pump;plates' {
            [CompletionResult]::new('--bar', '--bar', [CompletionResultType]::ParameterName, 'Bar weight in your unit (default 20 kg / 45 lb)')
            [CompletionResult]::new('--plates', '--plates', [CompletionResultType]::ParameterName, 'Plate sizes you have, e.g. 25,20,15,10,5,2.5,1.25')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file (one per device); works before or after any command')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pump;import' {
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Which app wrote the file (detected when absent)')
            [CompletionResult]::new('--unit', '--unit', [CompletionResultType]::ParameterName, 'The unit of weights in files that do not say (Strong''s comma export, some FitNotes files)')
            [CompletionResult]::new('--undo', '--undo', [CompletionResultType]::ParameterName, 'Delete exactly the workouts import ID added (see --list); they sync as deletions')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file (one per device); works before or after any command')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Refuse the whole file at the first row that cannot be understood (by default it is listed and skipped)')
            [CompletionResult]::new('--skip-invalid', '--skip-invalid', [CompletionResultType]::ParameterName, 'Skipping rows that cannot be understood is the default now; kept so older scripts still run')
            [CompletionResult]::new('--replace', '--replace', [CompletionResultType]::ParameterName, 'Undo an earlier import of this file made with another --unit, then import it, in one step')
            [CompletionResult]::new('--list', '--list', [CompletionResultType]::ParameterName, 'List the imports made on this device: when, file, format, unit, workouts and sets added')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'With --list: print machine-readable JSON')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pump;export' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'json: everything, lossless (`pump import` reads it back); csv: one row per set')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write to this file instead of standard output')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write to this file instead of standard output')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file (one per device); works before or after any command')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pump;conflicts' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file (one per device); works before or after any command')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pump;resolve' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file (one per device); works before or after any command')
            [CompletionResult]::new('--mine', '--mine', [CompletionResultType]::ParameterName, 'Keep this device''s version')
            [CompletionResult]::new('--theirs', '--theirs', [CompletionResultType]::ParameterName, 'Keep the server''s version')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pump;register' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'The sync server, e.g. https://pump.example.org or http://127.0.0.1:8787')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The account name')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Also trust the CAs in this PEM file for the server''s certificate (a private CA; remembered for this server), e.g. --ca-file ~/pump-ca.pem')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file (one per device); works before or after any command')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from standard input instead of prompting')
            [CompletionResult]::new('--allow-http', '--allow-http', [CompletionResultType]::ParameterName, 'Allow plain http:// to a server that is not this machine: the password, the session and every workout cross the network in clear (remembered for this server), e.g. --server http://192.168.1.20:8787 --allow-http')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pump;login' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'The sync server, e.g. https://pump.example.org or http://127.0.0.1:8787')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The account name')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Also trust the CAs in this PEM file for the server''s certificate (a private CA; remembered for this server), e.g. --ca-file ~/pump-ca.pem')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'Read the account key from this file (the words or the hex, as `pump key` prints them), e.g. --key-file ~/pump-key.txt')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file (one per device); works before or after any command')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from standard input instead of prompting')
            [CompletionResult]::new('--allow-http', '--allow-http', [CompletionResultType]::ParameterName, 'Allow plain http:// to a server that is not this machine: the password, the session and every workout cross the network in clear (remembered for this server), e.g. --server http://192.168.1.20:8787 --allow-http')
            [CompletionResult]::new('--key-stdin', '--key-stdin', [CompletionResultType]::ParameterName, 'Read the account key (the 24 words or 64 hex digits `pump key` shows on another device) from standard input; with --password-stdin, the key is the second line, e.g. printf ''%s\n%s\n'' "$PASSWORD" "$KEY" | pump login … --password-stdin --key-stdin')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pump;key' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file (one per device); works before or after any command')
            [CompletionResult]::new('--enable', '--enable', [CompletionResultType]::ParameterName, 'Encrypt this account (one without a key yet): make its key here and send every row to the server again, sealed')
            [CompletionResult]::new('--rotate', '--rotate', [CompletionResultType]::ParameterName, 'Change this account''s key: make a new one here and send every row to the server again, sealed under it; the other devices log in again')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pump;logout' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file (one per device); works before or after any command')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pump;password' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file (one per device); works before or after any command')
            [CompletionResult]::new('--revoke-other-sessions', '--revoke-other-sessions', [CompletionResultType]::ParameterName, 'Also sign out every other device and session of the account')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the current password, then the new one, a line each, from standard input')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'pump;devices' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file (one per device); works before or after any command')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Sign a device out: its sessions end, and it syncs again only after `pump login`')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pump;devices;revoke' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file (one per device); works before or after any command')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pump;devices;help' {
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Sign a device out: its sessions end, and it syncs again only after `pump login`')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pump;devices;help;revoke' {
            break
        }
        'pump;devices;help;help' {
            break
        }
        'pump;doctor' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file (one per device); works before or after any command')
            [CompletionResult]::new('--rebuild', '--rebuild', [CompletionResultType]::ParameterName, 'Make the set table again from the workouts')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pump;server' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file (one per device); works before or after any command')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('start', 'start', [CompletionResultType]::ParameterValue, 'Serve sync for your devices (prints `listening on http://HOST:PORT`)')
            [CompletionResult]::new('add-user', 'add-user', [CompletionResultType]::ParameterValue, 'Create an account without the network')
            [CompletionResult]::new('users', 'users', [CompletionResultType]::ParameterValue, 'List the accounts, with what each stores')
            [CompletionResult]::new('passwd', 'passwd', [CompletionResultType]::ParameterValue, 'Set an account''s password')
            [CompletionResult]::new('del-user', 'del-user', [CompletionResultType]::ParameterValue, 'Delete an account and everything it stored')
            [CompletionResult]::new('sessions', 'sessions', [CompletionResultType]::ParameterValue, 'List an account''s sessions, or end them all with --revoke')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pump;server;start' {
            [CompletionResult]::new('--listen', '--listen', [CompletionResultType]::ParameterName, 'Address to listen on; port 0 picks a free one')
            [CompletionResult]::new('--data', '--data', [CompletionResultType]::ParameterName, 'Folder for the server''s SQLite database (default: the platform data dir)')
            [CompletionResult]::new('--database', '--database', [CompletionResultType]::ParameterName, 'A PostgreSQL database instead, which several server processes can share: postgres://USER@HOST/DB')
            [CompletionResult]::new('--database-password-file', '--database-password-file', [CompletionResultType]::ParameterName, 'Read the PostgreSQL password from this file, when the URL has none (else $PGPASSWORD)')
            [CompletionResult]::new('--registrations-per-hour', '--registrations-per-hour', [CompletionResultType]::ParameterName, 'Accounts one address may register an hour (with --open-registration)')
            [CompletionResult]::new('--max-body-mib', '--max-body-mib', [CompletionResultType]::ParameterName, 'Largest request body accepted, in MiB')
            [CompletionResult]::new('--session-idle', '--session-idle', [CompletionResultType]::ParameterName, 'A session unused for this long ends; the device must `pump login`')
            [CompletionResult]::new('--session-lifetime', '--session-lifetime', [CompletionResultType]::ParameterName, 'A session ends this long after its login, however often it is used')
            [CompletionResult]::new('--max-sessions', '--max-sessions', [CompletionResultType]::ParameterName, 'Sessions one account may hold; a new login ends the least recently used')
            [CompletionResult]::new('--quota-rows', '--quota-rows', [CompletionResultType]::ParameterName, 'Rows one account may store (a workout, an alias, a body weight: a row each)')
            [CompletionResult]::new('--quota-mib', '--quota-mib', [CompletionResultType]::ParameterName, 'MiB of records one account may store')
            [CompletionResult]::new('--max-connections', '--max-connections', [CompletionResultType]::ParameterName, 'Connections open at once; more wait until one closes')
            [CompletionResult]::new('--header-timeout', '--header-timeout', [CompletionResultType]::ParameterName, 'How long a request''s headers may take, and a kept-alive connection may idle')
            [CompletionResult]::new('--trusted-proxy', '--trusted-proxy', [CompletionResultType]::ParameterName, 'A reverse proxy whose X-Forwarded-For names the client (repeatable)')
            [CompletionResult]::new('--database-connections', '--database-connections', [CompletionResultType]::ParameterName, 'With --database: PostgreSQL calls this process runs at once (default 16); N processes on one database share about 16, so give each 16/N')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Threads serving requests (default: one per core); N processes on one machine: cores/N each')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file (one per device); works before or after any command')
            [CompletionResult]::new('--open-registration', '--open-registration', [CompletionResultType]::ParameterName, 'Let clients create accounts with `pump register`')
            [CompletionResult]::new('--allow-plaintext', '--allow-plaintext', [CompletionResultType]::ParameterName, 'Let accounts without a key push plaintext rows, while their devices upgrade (`pump key --enable` encrypts an account)')
            [CompletionResult]::new('--fast-unsafe', '--fast-unsafe', [CompletionResultType]::ParameterName, 'Commit without waiting for the disk (synchronous=NORMAL): faster, but a power cut may lose the last synced rounds (a crash of pump cannot)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'pump;server;add-user' {
            [CompletionResult]::new('--data', '--data', [CompletionResultType]::ParameterName, 'Folder for the server''s SQLite database (default: the platform data dir)')
            [CompletionResult]::new('--database', '--database', [CompletionResultType]::ParameterName, 'A PostgreSQL database instead, which several server processes can share: postgres://USER@HOST/DB')
            [CompletionResult]::new('--database-password-file', '--database-password-file', [CompletionResultType]::ParameterName, 'Read the PostgreSQL password from this file, when the URL has none (else $PGPASSWORD)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file (one per device); works before or after any command')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from standard input instead of prompting')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pump;server;users' {
            [CompletionResult]::new('--data', '--data', [CompletionResultType]::ParameterName, 'Folder for the server''s SQLite database (default: the platform data dir)')
            [CompletionResult]::new('--database', '--database', [CompletionResultType]::ParameterName, 'A PostgreSQL database instead, which several server processes can share: postgres://USER@HOST/DB')
            [CompletionResult]::new('--database-password-file', '--database-password-file', [CompletionResultType]::ParameterName, 'Read the PostgreSQL password from this file, when the URL has none (else $PGPASSWORD)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file (one per device); works before or after any command')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pump;server;passwd' {
            [CompletionResult]::new('--data', '--data', [CompletionResultType]::ParameterName, 'Folder for the server''s SQLite database (default: the platform data dir)')
            [CompletionResult]::new('--database', '--database', [CompletionResultType]::ParameterName, 'A PostgreSQL database instead, which several server processes can share: postgres://USER@HOST/DB')
            [CompletionResult]::new('--database-password-file', '--database-password-file', [CompletionResultType]::ParameterName, 'Read the PostgreSQL password from this file, when the URL has none (else $PGPASSWORD)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file (one per device); works before or after any command')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from standard input instead of prompting')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pump;server;del-user' {
            [CompletionResult]::new('--data', '--data', [CompletionResultType]::ParameterName, 'Folder for the server''s SQLite database (default: the platform data dir)')
            [CompletionResult]::new('--database', '--database', [CompletionResultType]::ParameterName, 'A PostgreSQL database instead, which several server processes can share: postgres://USER@HOST/DB')
            [CompletionResult]::new('--database-password-file', '--database-password-file', [CompletionResultType]::ParameterName, 'Read the PostgreSQL password from this file, when the URL has none (else $PGPASSWORD)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file (one per device); works before or after any command')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Really delete it: its synced data cannot be recovered from the server')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pump;server;sessions' {
            [CompletionResult]::new('--data', '--data', [CompletionResultType]::ParameterName, 'Folder for the server''s SQLite database (default: the platform data dir)')
            [CompletionResult]::new('--database', '--database', [CompletionResultType]::ParameterName, 'A PostgreSQL database instead, which several server processes can share: postgres://USER@HOST/DB')
            [CompletionResult]::new('--database-password-file', '--database-password-file', [CompletionResultType]::ParameterName, 'Read the PostgreSQL password from this file, when the URL has none (else $PGPASSWORD)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file (one per device); works before or after any command')
            [CompletionResult]::new('--revoke', '--revoke', [CompletionResultType]::ParameterName, 'End every session of the account: each device must `pump login` again')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pump;server;help' {
            [CompletionResult]::new('start', 'start', [CompletionResultType]::ParameterValue, 'Serve sync for your devices (prints `listening on http://HOST:PORT`)')
            [CompletionResult]::new('add-user', 'add-user', [CompletionResultType]::ParameterValue, 'Create an account without the network')
            [CompletionResult]::new('users', 'users', [CompletionResultType]::ParameterValue, 'List the accounts, with what each stores')
            [CompletionResult]::new('passwd', 'passwd', [CompletionResultType]::ParameterValue, 'Set an account''s password')
            [CompletionResult]::new('del-user', 'del-user', [CompletionResultType]::ParameterValue, 'Delete an account and everything it stored')
            [CompletionResult]::new('sessions', 'sessions', [CompletionResultType]::ParameterValue, 'List an account''s sessions, or end them all with --revoke')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pump;server;help;start' {
            break
        }
        'pump;server;help;add-user' {
            break
        }
        'pump;server;help;users' {
            break
        }
        'pump;server;help;passwd' {
            break
        }
        'pump;server;help;del-user' {
            break
        }
        'pump;server;help;sessions' {
            break
        }
        'pump;server;help;help' {
            break
        }
        'pump;sets' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file (one per device); works before or after any command')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pump;completions' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file (one per device); works before or after any command')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pump;man' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file (one per device); works before or after any command')
            [CompletionResult]::new('--list', '--list', [CompletionResultType]::ParameterName, 'List the commands that have a page, one a line')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pump;help' {
            [CompletionResult]::new('log', 'log', [CompletionResultType]::ParameterValue, 'Record a finished workout in one command; prints its id')
            [CompletionResult]::new('start', 'start', [CompletionResultType]::ParameterValue, 'Open a workout to fill in set by set at the gym')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Append sets to the open workout')
            [CompletionResult]::new('finish', 'finish', [CompletionResultType]::ParameterValue, 'Close the open workout')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List workouts, newest first')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one workout')
            [CompletionResult]::new('edit', 'edit', [CompletionResultType]::ParameterValue, 'Change a workout (opens $EDITOR when given no flags)')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Delete workouts (they sync as deletions)')
            [CompletionResult]::new('restore', 'restore', [CompletionResultType]::ParameterValue, 'Bring back a deleted workout (it syncs, and wins over the delete)')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'This device, its database, the open workout, and what is waiting to sync')
            [CompletionResult]::new('device', 'device', [CompletionResultType]::ParameterValue, 'Show or rename this device')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Read or change preferences (unit, auto_sync, sync_interval, timeout)')
            [CompletionResult]::new('sync', 'sync', [CompletionResultType]::ParameterValue, 'Send this device''s changes to the sync server and receive the others''')
            [CompletionResult]::new('exercises', 'exercises', [CompletionResultType]::ParameterValue, 'The exercise catalogue and your own; merge or rename exercises across history')
            [CompletionResult]::new('history', 'history', [CompletionResultType]::ParameterValue, 'One exercise''s past sessions with their sets, newest first')
            [CompletionResult]::new('alias', 'alias', [CompletionResultType]::ParameterValue, 'Short names for exercises: `pump alias bp "Bench Press"`; alone, lists them')
            [CompletionResult]::new('pr', 'pr', [CompletionResultType]::ParameterValue, 'Personal records: heaviest set, e1RM, rep maxes, best volumes')
            [CompletionResult]::new('stats', 'stats', [CompletionResultType]::ParameterValue, 'Sessions, sets, reps and volume per week and muscle group, and streaks')
            [CompletionResult]::new('progress', 'progress', [CompletionResultType]::ParameterValue, 'A chart of one exercise''s e1RM, top set or volume over time')
            [CompletionResult]::new('calendar', 'calendar', [CompletionResultType]::ParameterValue, 'A heatmap of training days over a year')
            [CompletionResult]::new('report', 'report', [CompletionResultType]::ParameterValue, 'Your progress as one HTML page that opens in any browser, offline: charts, calendar, records')
            [CompletionResult]::new('template', 'template', [CompletionResultType]::ParameterValue, 'Routines to start a workout from')
            [CompletionResult]::new('weight', 'weight', [CompletionResultType]::ParameterValue, 'Record body weight (`pump weight 80.5`), or list recent entries with a trend')
            [CompletionResult]::new('plates', 'plates', [CompletionResultType]::ParameterValue, 'The plates to load on each side of the bar')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Import workouts from Strong, Hevy, FitNotes (CSV) or a pump export (JSON)')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Export everything as JSON (lossless) or CSV (one row per set)')
            [CompletionResult]::new('conflicts', 'conflicts', [CompletionResultType]::ParameterValue, 'List conflicts held for you to resolve')
            [CompletionResult]::new('resolve', 'resolve', [CompletionResultType]::ParameterValue, 'Resolve held conflicts (interactive without a flag)')
            [CompletionResult]::new('register', 'register', [CompletionResultType]::ParameterValue, 'Create an account on a sync server and log this device in')
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Log this device in to a sync server (an account with a key asks for it)')
            [CompletionResult]::new('key', 'key', [CompletionResultType]::ParameterValue, 'Show this account''s encryption key (24 words and hex), or encrypt an account with --enable')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'Forget this device''s session token')
            [CompletionResult]::new('password', 'password', [CompletionResultType]::ParameterValue, 'Change your account''s password (optionally signing out every other device)')
            [CompletionResult]::new('devices', 'devices', [CompletionResultType]::ParameterValue, 'The devices of your account: last sync, pending rows; `revoke` signs one out')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check the set table the analytics read against your workouts, or rebuild it')
            [CompletionResult]::new('server', 'server', [CompletionResultType]::ParameterValue, 'Run or administer the sync server')
            [CompletionResult]::new('sets', 'sets', [CompletionResultType]::ParameterValue, 'Print the set grammar')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print a manual page (`pump man | man -l -`)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pump;help;log' {
            break
        }
        'pump;help;start' {
            break
        }
        'pump;help;add' {
            break
        }
        'pump;help;finish' {
            break
        }
        'pump;help;list' {
            break
        }
        'pump;help;show' {
            break
        }
        'pump;help;edit' {
            break
        }
        'pump;help;rm' {
            break
        }
        'pump;help;restore' {
            break
        }
        'pump;help;status' {
            break
        }
        'pump;help;device' {
            break
        }
        'pump;help;config' {
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Print one setting')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Change one setting')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Print every setting')
            [CompletionResult]::new('path', 'path', [CompletionResultType]::ParameterValue, 'Print the config file''s path')
            break
        }
        'pump;help;config;get' {
            break
        }
        'pump;help;config;set' {
            break
        }
        'pump;help;config;list' {
            break
        }
        'pump;help;config;path' {
            break
        }
        'pump;help;sync' {
            break
        }
        'pump;help;exercises' {
            [CompletionResult]::new('merge', 'merge', [CompletionResultType]::ParameterValue, 'Move every set of one exercise into another, in all history')
            [CompletionResult]::new('rename', 'rename', [CompletionResultType]::ParameterValue, 'Give an exercise another name in all history')
            break
        }
        'pump;help;exercises;merge' {
            break
        }
        'pump;help;exercises;rename' {
            break
        }
        'pump;help;history' {
            break
        }
        'pump;help;alias' {
            break
        }
        'pump;help;pr' {
            break
        }
        'pump;help;stats' {
            break
        }
        'pump;help;progress' {
            break
        }
        'pump;help;calendar' {
            break
        }
        'pump;help;report' {
            break
        }
        'pump;help;template' {
            [CompletionResult]::new('save', 'save', [CompletionResultType]::ParameterValue, 'Save a workout''s exercises and sets as a template')
            [CompletionResult]::new('new', 'new', [CompletionResultType]::ParameterValue, 'Write a template from exercise specs')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List templates')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one template')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Delete a template')
            break
        }
        'pump;help;template;save' {
            break
        }
        'pump;help;template;new' {
            break
        }
        'pump;help;template;list' {
            break
        }
        'pump;help;template;show' {
            break
        }
        'pump;help;template;rm' {
            break
        }
        'pump;help;weight' {
            break
        }
        'pump;help;plates' {
            break
        }
        'pump;help;import' {
            break
        }
        'pump;help;export' {
            break
        }
        'pump;help;conflicts' {
            break
        }
        'pump;help;resolve' {
            break
        }
        'pump;help;register' {
            break
        }
        'pump;help;login' {
            break
        }
        'pump;help;key' {
            break
        }
        'pump;help;logout' {
            break
        }
        'pump;help;password' {
            break
        }
        'pump;help;devices' {
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Sign a device out: its sessions end, and it syncs again only after `pump login`')
            break
        }
        'pump;help;devices;revoke' {
            break
        }
        'pump;help;doctor' {
            break
        }
        'pump;help;server' {
            [CompletionResult]::new('start', 'start', [CompletionResultType]::ParameterValue, 'Serve sync for your devices (prints `listening on http://HOST:PORT`)')
            [CompletionResult]::new('add-user', 'add-user', [CompletionResultType]::ParameterValue, 'Create an account without the network')
            [CompletionResult]::new('users', 'users', [CompletionResultType]::ParameterValue, 'List the accounts, with what each stores')
            [CompletionResult]::new('passwd', 'passwd', [CompletionResultType]::ParameterValue, 'Set an account''s password')
            [CompletionResult]::new('del-user', 'del-user', [CompletionResultType]::ParameterValue, 'Delete an account and everything it stored')
            [CompletionResult]::new('sessions', 'sessions', [CompletionResultType]::ParameterValue, 'List an account''s sessions, or end them all with --revoke')
            break
        }
        'pump;help;server;start' {
            break
        }
        'pump;help;server;add-user' {
            break
        }
        'pump;help;server;users' {
            break
        }
        'pump;help;server;passwd' {
            break
        }
        'pump;help;server;del-user' {
            break
        }
        'pump;help;server;sessions' {
            break
        }
        'pump;help;sets' {
            break
        }
        'pump;help;completions' {
            break
        }
        'pump;help;man' {
            break
        }
        'pump;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
