
use builtin;
use str;

set edit:completion:arg-completer[pump] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'pump'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'pump'= {
            cand --db 'The database file (one per device); works before or after any command'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand log 'Record a finished workout in one command; prints its id'
            cand start 'Open a workout to fill in set by set at the gym'
            cand add 'Append sets to the open workout'
            cand finish 'Close the open workout'
            cand list 'List workouts, newest first'
            cand show 'Show one workout'
            cand edit 'Change a workout (opens $EDITOR when given no flags)'
            cand rm 'Delete workouts (they sync as deletions)'
            cand restore 'Bring back a deleted workout (it syncs, and wins over the delete)'
            cand status 'This device, its database, the open workout, and what is waiting to sync'
            cand device 'Show or rename this device'
            cand config 'Read or change preferences (unit, auto_sync, sync_interval, timeout)'
            cand sync 'Send this device''s changes to the sync server and receive the others'''
            cand exercises 'The exercise catalogue and your own; merge or rename exercises across history'
            cand history 'One exercise''s past sessions with their sets, newest first'
            cand alias 'Short names for exercises: `pump alias bp "Bench Press"`; alone, lists them'
            cand pr 'Personal records: heaviest set, e1RM, rep maxes, best volumes'
            cand stats 'Sessions, sets, reps and volume per week and muscle group, and streaks'
            cand progress 'A chart of one exercise''s e1RM, top set or volume over time'
            cand calendar 'A heatmap of training days over a year'
            cand report 'Your progress as one HTML page that opens in any browser, offline: charts, calendar, records'
            cand template 'Routines to start a workout from'
            cand weight 'Record body weight (`pump weight 80.5`), or list recent entries with a trend'
            cand plates 'The plates to load on each side of the bar'
            cand import 'Import workouts from Strong, Hevy, FitNotes (CSV) or a pump export (JSON)'
            cand export 'Export everything as JSON (lossless) or CSV (one row per set)'
            cand conflicts 'List conflicts held for you to resolve'
            cand resolve 'Resolve held conflicts (interactive without a flag)'
            cand register 'Create an account on a sync server and log this device in'
            cand login 'Log this device in to a sync server (an account with a key asks for it)'
            cand key 'Show this account''s encryption key (24 words and hex), or encrypt an account with --enable'
            cand logout 'Forget this device''s session token'
            cand password 'Change your account''s password (optionally signing out every other device)'
            cand devices 'The devices of your account: last sync, pending rows; `revoke` signs one out'
            cand doctor 'Check the set table the analytics read against your workouts, or rebuild it'
            cand server 'Run or administer the sync server'
            cand sets 'Print the set grammar'
            cand completions 'Print a shell completion script'
            cand man 'Print a manual page (`pump man | man -l -`)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pump;log'= {
            cand --at 'When it started'
            cand --end 'When it ended'
            cand --duration 'How long it took: 1h10m, 45m, 1:10:00, or a bare number of minutes (90 is 1h30m)'
            cand --notes 'Notes for the workout'
            cand -e 'An exercise and its sets: -e "squat: 3x5@100kg" (repeatable)'
            cand --exercise 'An exercise and its sets: -e "squat: 3x5@100kg" (repeatable)'
            cand --db 'The database file (one per device); works before or after any command'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pump;start'= {
            cand --template 'Pre-fill the plan from a template (`pump template list`)'
            cand --at 'When it started'
            cand --db 'The database file (one per device); works before or after any command'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pump;add'= {
            cand --db 'The database file (one per device); works before or after any command'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pump;finish'= {
            cand --at 'When it ended'
            cand --notes 'Notes for the workout (they replace any it has)'
            cand --db 'The database file (one per device); works before or after any command'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pump;list'= {
            cand --since 'since'
            cand --until 'until'
            cand --exercise 'Only workouts with this exercise'
            cand --limit 'Show at most this many, newest first'
            cand --db 'The database file (one per device); works before or after any command'
            cand --deleted 'Deleted workouts instead: what `pump restore ID` can bring back'
            cand --json 'Print machine-readable JSON'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pump;show'= {
            cand --db 'The database file (one per device); works before or after any command'
            cand --json 'Print machine-readable JSON (weights in kg)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pump;edit'= {
            cand --name 'The new name'
            cand --at 'The new start'
            cand --end 'The new end'
            cand --notes 'The new notes (they replace the old ones)'
            cand -e 'Replace an exercise''s sets (or add the exercise): -e "squat: 3x5@100kg"'
            cand --exercise 'Replace an exercise''s sets (or add the exercise): -e "squat: 3x5@100kg"'
            cand --exercise-note 'Set the notes of an exercise of the workout: --exercise-note "squat: belt on"'
            cand --set-note 'Set the note of one set (numbered from 1): --set-note "squat 3: knee caved"'
            cand --db 'The database file (one per device); works before or after any command'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pump;rm'= {
            cand --db 'The database file (one per device); works before or after any command'
            cand --dry-run 'Show what would be deleted and change nothing'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pump;restore'= {
            cand --db 'The database file (one per device); works before or after any command'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pump;status'= {
            cand --db 'The database file (one per device); works before or after any command'
            cand --json 'Print machine-readable JSON'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pump;device'= {
            cand --name 'Rename this device'
            cand --db 'The database file (one per device); works before or after any command'
            cand --reset-id 'Take a new device id (after copying a database file to a second device)'
            cand --json 'Print machine-readable JSON'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pump;config'= {
            cand --db 'The database file (one per device); works before or after any command'
            cand -h 'Print help'
            cand --help 'Print help'
            cand get 'Print one setting'
            cand set 'Change one setting'
            cand list 'Print every setting'
            cand path 'Print the config file''s path'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pump;config;get'= {
            cand --db 'The database file (one per device); works before or after any command'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pump;config;set'= {
            cand --db 'The database file (one per device); works before or after any command'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pump;config;list'= {
            cand --db 'The database file (one per device); works before or after any command'
            cand --json 'Print machine-readable JSON'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pump;config;path'= {
            cand --db 'The database file (one per device); works before or after any command'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pump;config;help'= {
            cand get 'Print one setting'
            cand set 'Change one setting'
            cand list 'Print every setting'
            cand path 'Print the config file''s path'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pump;config;help;get'= {
        }
        &'pump;config;help;set'= {
        }
        &'pump;config;help;list'= {
        }
        &'pump;config;help;path'= {
        }
        &'pump;config;help;help'= {
        }
        &'pump;sync'= {
            cand --prefer 'Resolve true conflicts this way without prompting (for scripts)'
            cand --every 'Keep running, syncing at this interval: a number with its unit, s, m or h, at least 10s (e.g. --every 15m)'
            cand --db 'The database file (one per device); works before or after any command'
            cand -q 'Print nothing unless something needs attention (an unreachable server only once syncs have failed for longer than the sync_warn_after setting, 24h by default), e.g. from cron'
            cand --quiet 'Print nothing unless something needs attention (an unreachable server only once syncs have failed for longer than the sync_warn_after setting, 24h by default), e.g. from cron'
            cand --non-interactive 'Never prompt (implied when standard input is not a terminal)'
            cand --full 'Send every record this device holds again, not only its changes, and pull everything anew: for a server restored from a backup or replaced (pump notices both by itself), e.g. `pump sync --full`'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pump;exercises'= {
            cand --search 'Only names, categories or muscle groups containing this, e.g. --search chest'
            cand --db 'The database file (one per device); works before or after any command'
            cand --unmatched 'Only the names you logged that the catalogue does not know, each with the catalogue exercise it may be (merge it with `pump exercises merge`)'
            cand --json 'Print machine-readable JSON'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand merge 'Move every set of one exercise into another, in all history'
            cand rename 'Give an exercise another name in all history'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pump;exercises;merge'= {
            cand --db 'The database file (one per device); works before or after any command'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pump;exercises;rename'= {
            cand --db 'The database file (one per device); works before or after any command'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pump;exercises;help'= {
            cand merge 'Move every set of one exercise into another, in all history'
            cand rename 'Give an exercise another name in all history'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pump;exercises;help;merge'= {
        }
        &'pump;exercises;help;rename'= {
        }
        &'pump;exercises;help;help'= {
        }
        &'pump;history'= {
            cand --limit 'Show at most this many sessions, newest first'
            cand --db 'The database file (one per device); works before or after any command'
            cand --json 'Print machine-readable JSON (weights in kg)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pump;alias'= {
            cand --rm 'Remove this alias'
            cand --db 'The database file (one per device); works before or after any command'
            cand --json 'Print machine-readable JSON'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pump;pr'= {
            cand --formula 'How to estimate a one-rep max: epley or brzycki'
            cand --db 'The database file (one per device); works before or after any command'
            cand --json 'Print machine-readable JSON (weights in kg, times in seconds, distances in metres)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pump;stats'= {
            cand --weeks 'How many weeks back, this week included'
            cand --db 'The database file (one per device); works before or after any command'
            cand --json 'Print machine-readable JSON (volumes in kg, times in seconds)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pump;progress'= {
            cand --metric 'What to chart: e1rm, top-set or volume'
            cand --formula 'How to estimate a one-rep max: epley or brzycki'
            cand --since 'Only sessions from then on'
            cand --db 'The database file (one per device); works before or after any command'
            cand --json 'Print the series, one point per session with its date, as JSON'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pump;calendar'= {
            cand --year 'A past year (default: the last 12 months)'
            cand --db 'The database file (one per device); works before or after any command'
            cand --json 'Print machine-readable JSON'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pump;report'= {
            cand -o 'The file to write (readable by you only; replaced if it exists)'
            cand --output 'The file to write (readable by you only; replaced if it exists)'
            cand --since 'The first day to show (default: the day of your first workout)'
            cand --until 'The last day to show, included (default: today)'
            cand --formula 'How to estimate a one-rep max: epley or brzycki'
            cand --db 'The database file (one per device); works before or after any command'
            cand --open 'Open the report in your browser once written ($BROWSER, else xdg-open, or open on macOS)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pump;template'= {
            cand --db 'The database file (one per device); works before or after any command'
            cand -h 'Print help'
            cand --help 'Print help'
            cand save 'Save a workout''s exercises and sets as a template'
            cand new 'Write a template from exercise specs'
            cand list 'List templates'
            cand show 'Show one template'
            cand rm 'Delete a template'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pump;template;save'= {
            cand --from 'The workout: an id, a unique prefix, or `last`'
            cand --db 'The database file (one per device); works before or after any command'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pump;template;new'= {
            cand -e 'An exercise and its planned sets: -e "squat: 3x5@100kg" (repeatable)'
            cand --exercise 'An exercise and its planned sets: -e "squat: 3x5@100kg" (repeatable)'
            cand --db 'The database file (one per device); works before or after any command'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pump;template;list'= {
            cand --db 'The database file (one per device); works before or after any command'
            cand --json 'Print machine-readable JSON'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pump;template;show'= {
            cand --db 'The database file (one per device); works before or after any command'
            cand --json 'Print machine-readable JSON'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pump;template;rm'= {
            cand --db 'The database file (one per device); works before or after any command'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pump;template;help'= {
            cand save 'Save a workout''s exercises and sets as a template'
            cand new 'Write a template from exercise specs'
            cand list 'List templates'
            cand show 'Show one template'
            cand rm 'Delete a template'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pump;template;help;save'= {
        }
        &'pump;template;help;new'= {
        }
        &'pump;template;help;list'= {
        }
        &'pump;template;help;show'= {
        }
        &'pump;template;help;rm'= {
        }
        &'pump;template;help;help'= {
        }
        &'pump;weight'= {
            cand --at 'When it was weighed (default: now)'
            cand --db 'The database file (one per device); works before or after any command'
            cand --json 'Print machine-readable JSON'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pump;plates'= {
            cand --bar 'Bar weight in your unit (default 20 kg / 45 lb)'
            cand --plates 'Plate sizes you have, e.g. 25,20,15,10,5,2.5,1.25'
            cand --db 'The database file (one per device); works before or after any command'
            cand --json 'Print machine-readable JSON'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pump;import'= {
            cand --from 'Which app wrote the file (detected when absent)'
            cand --unit 'The unit of weights in files that do not say (Strong''s comma export, some FitNotes files)'
            cand --undo 'Delete exactly the workouts import ID added (see --list); they sync as deletions'
            cand --db 'The database file (one per device); works before or after any command'
            cand --strict 'Refuse the whole file at the first row that cannot be understood (by default it is listed and skipped)'
            cand --skip-invalid 'Skipping rows that cannot be understood is the default now; kept so older scripts still run'
            cand --replace 'Undo an earlier import of this file made with another --unit, then import it, in one step'
            cand --list 'List the imports made on this device: when, file, format, unit, workouts and sets added'
            cand --json 'With --list: print machine-readable JSON'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pump;export'= {
            cand --format 'json: everything, lossless (`pump import` reads it back); csv: one row per set'
            cand -o 'Write to this file instead of standard output'
            cand --output 'Write to this file instead of standard output'
            cand --db 'The database file (one per device); works before or after any command'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pump;conflicts'= {
            cand --db 'The database file (one per device); works before or after any command'
            cand --json 'Print machine-readable JSON'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pump;resolve'= {
            cand --db 'The database file (one per device); works before or after any command'
            cand --mine 'Keep this device''s version'
            cand --theirs 'Keep the server''s version'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pump;register'= {
            cand --server 'The sync server, e.g. https://pump.example.org or http://127.0.0.1:8787'
            cand --user 'The account name'
            cand --ca-file 'Also trust the CAs in this PEM file for the server''s certificate (a private CA; remembered for this server), e.g. --ca-file ~/pump-ca.pem'
            cand --db 'The database file (one per device); works before or after any command'
            cand --password-stdin 'Read the password from standard input instead of prompting'
            cand --allow-http 'Allow plain http:// to a server that is not this machine: the password, the session and every workout cross the network in clear (remembered for this server), e.g. --server http://192.168.1.20:8787 --allow-http'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pump;login'= {
            cand --server 'The sync server, e.g. https://pump.example.org or http://127.0.0.1:8787'
            cand --user 'The account name'
            cand --ca-file 'Also trust the CAs in this PEM file for the server''s certificate (a private CA; remembered for this server), e.g. --ca-file ~/pump-ca.pem'
            cand --key-file 'Read the account key from this file (the words or the hex, as `pump key` prints them), e.g. --key-file ~/pump-key.txt'
            cand --db 'The database file (one per device); works before or after any command'
            cand --password-stdin 'Read the password from standard input instead of prompting'
            cand --allow-http 'Allow plain http:// to a server that is not this machine: the password, the session and every workout cross the network in clear (remembered for this server), e.g. --server http://192.168.1.20:8787 --allow-http'
            cand --key-stdin 'Read the account key (the 24 words or 64 hex digits `pump key` shows on another device) from standard input; with --password-stdin, the key is the second line, e.g. printf ''%s\n%s\n'' "$PASSWORD" "$KEY" | pump login … --password-stdin --key-stdin'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pump;key'= {
            cand --db 'The database file (one per device); works before or after any command'
            cand --enable 'Encrypt this account (one without a key yet): make its key here and send every row to the server again, sealed'
            cand --rotate 'Change this account''s key: make a new one here and send every row to the server again, sealed under it; the other devices log in again'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pump;logout'= {
            cand --db 'The database file (one per device); works before or after any command'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pump;password'= {
            cand --db 'The database file (one per device); works before or after any command'
            cand --revoke-other-sessions 'Also sign out every other device and session of the account'
            cand --password-stdin 'Read the current password, then the new one, a line each, from standard input'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'pump;devices'= {
            cand --db 'The database file (one per device); works before or after any command'
            cand --json 'Print machine-readable JSON'
            cand -h 'Print help'
            cand --help 'Print help'
            cand revoke 'Sign a device out: its sessions end, and it syncs again only after `pump login`'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pump;devices;revoke'= {
            cand --db 'The database file (one per device); works before or after any command'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pump;devices;help'= {
            cand revoke 'Sign a device out: its sessions end, and it syncs again only after `pump login`'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pump;devices;help;revoke'= {
        }
        &'pump;devices;help;help'= {
        }
        &'pump;doctor'= {
            cand --db 'The database file (one per device); works before or after any command'
            cand --rebuild 'Make the set table again from the workouts'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pump;server'= {
            cand --db 'The database file (one per device); works before or after any command'
            cand -h 'Print help'
            cand --help 'Print help'
            cand start 'Serve sync for your devices (prints `listening on http://HOST:PORT`)'
            cand add-user 'Create an account without the network'
            cand users 'List the accounts, with what each stores'
            cand passwd 'Set an account''s password'
            cand del-user 'Delete an account and everything it stored'
            cand sessions 'List an account''s sessions, or end them all with --revoke'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pump;server;start'= {
            cand --listen 'Address to listen on; port 0 picks a free one'
            cand --data 'Folder for the server''s SQLite database (default: the platform data dir)'
            cand --database 'A PostgreSQL database instead, which several server processes can share: postgres://USER@HOST/DB'
            cand --database-password-file 'Read the PostgreSQL password from this file, when the URL has none (else $PGPASSWORD)'
            cand --registrations-per-hour 'Accounts one address may register an hour (with --open-registration)'
            cand --max-body-mib 'Largest request body accepted, in MiB'
            cand --session-idle 'A session unused for this long ends; the device must `pump login`'
            cand --session-lifetime 'A session ends this long after its login, however often it is used'
            cand --max-sessions 'Sessions one account may hold; a new login ends the least recently used'
            cand --quota-rows 'Rows one account may store (a workout, an alias, a body weight: a row each)'
            cand --quota-mib 'MiB of records one account may store'
            cand --max-connections 'Connections open at once; more wait until one closes'
            cand --header-timeout 'How long a request''s headers may take, and a kept-alive connection may idle'
            cand --trusted-proxy 'A reverse proxy whose X-Forwarded-For names the client (repeatable)'
            cand --database-connections 'With --database: PostgreSQL calls this process runs at once (default 16); N processes on one database share about 16, so give each 16/N'
            cand --threads 'Threads serving requests (default: one per core); N processes on one machine: cores/N each'
            cand --db 'The database file (one per device); works before or after any command'
            cand --open-registration 'Let clients create accounts with `pump register`'
            cand --allow-plaintext 'Let accounts without a key push plaintext rows, while their devices upgrade (`pump key --enable` encrypts an account)'
            cand --fast-unsafe 'Commit without waiting for the disk (synchronous=NORMAL): faster, but a power cut may lose the last synced rounds (a crash of pump cannot)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'pump;server;add-user'= {
            cand --data 'Folder for the server''s SQLite database (default: the platform data dir)'
            cand --database 'A PostgreSQL database instead, which several server processes can share: postgres://USER@HOST/DB'
            cand --database-password-file 'Read the PostgreSQL password from this file, when the URL has none (else $PGPASSWORD)'
            cand --db 'The database file (one per device); works before or after any command'
            cand --password-stdin 'Read the password from standard input instead of prompting'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pump;server;users'= {
            cand --data 'Folder for the server''s SQLite database (default: the platform data dir)'
            cand --database 'A PostgreSQL database instead, which several server processes can share: postgres://USER@HOST/DB'
            cand --database-password-file 'Read the PostgreSQL password from this file, when the URL has none (else $PGPASSWORD)'
            cand --db 'The database file (one per device); works before or after any command'
            cand --json 'Print machine-readable JSON'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pump;server;passwd'= {
            cand --data 'Folder for the server''s SQLite database (default: the platform data dir)'
            cand --database 'A PostgreSQL database instead, which several server processes can share: postgres://USER@HOST/DB'
            cand --database-password-file 'Read the PostgreSQL password from this file, when the URL has none (else $PGPASSWORD)'
            cand --db 'The database file (one per device); works before or after any command'
            cand --password-stdin 'Read the password from standard input instead of prompting'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pump;server;del-user'= {
            cand --data 'Folder for the server''s SQLite database (default: the platform data dir)'
            cand --database 'A PostgreSQL database instead, which several server processes can share: postgres://USER@HOST/DB'
            cand --database-password-file 'Read the PostgreSQL password from this file, when the URL has none (else $PGPASSWORD)'
            cand --db 'The database file (one per device); works before or after any command'
            cand --yes 'Really delete it: its synced data cannot be recovered from the server'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pump;server;sessions'= {
            cand --data 'Folder for the server''s SQLite database (default: the platform data dir)'
            cand --database 'A PostgreSQL database instead, which several server processes can share: postgres://USER@HOST/DB'
            cand --database-password-file 'Read the PostgreSQL password from this file, when the URL has none (else $PGPASSWORD)'
            cand --db 'The database file (one per device); works before or after any command'
            cand --revoke 'End every session of the account: each device must `pump login` again'
            cand --json 'Print machine-readable JSON'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pump;server;help'= {
            cand start 'Serve sync for your devices (prints `listening on http://HOST:PORT`)'
            cand add-user 'Create an account without the network'
            cand users 'List the accounts, with what each stores'
            cand passwd 'Set an account''s password'
            cand del-user 'Delete an account and everything it stored'
            cand sessions 'List an account''s sessions, or end them all with --revoke'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pump;server;help;start'= {
        }
        &'pump;server;help;add-user'= {
        }
        &'pump;server;help;users'= {
        }
        &'pump;server;help;passwd'= {
        }
        &'pump;server;help;del-user'= {
        }
        &'pump;server;help;sessions'= {
        }
        &'pump;server;help;help'= {
        }
        &'pump;sets'= {
            cand --db 'The database file (one per device); works before or after any command'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pump;completions'= {
            cand --db 'The database file (one per device); works before or after any command'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pump;man'= {
            cand --db 'The database file (one per device); works before or after any command'
            cand --list 'List the commands that have a page, one a line'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pump;help'= {
            cand log 'Record a finished workout in one command; prints its id'
            cand start 'Open a workout to fill in set by set at the gym'
            cand add 'Append sets to the open workout'
            cand finish 'Close the open workout'
            cand list 'List workouts, newest first'
            cand show 'Show one workout'
            cand edit 'Change a workout (opens $EDITOR when given no flags)'
            cand rm 'Delete workouts (they sync as deletions)'
            cand restore 'Bring back a deleted workout (it syncs, and wins over the delete)'
            cand status 'This device, its database, the open workout, and what is waiting to sync'
            cand device 'Show or rename this device'
            cand config 'Read or change preferences (unit, auto_sync, sync_interval, timeout)'
            cand sync 'Send this device''s changes to the sync server and receive the others'''
            cand exercises 'The exercise catalogue and your own; merge or rename exercises across history'
            cand history 'One exercise''s past sessions with their sets, newest first'
            cand alias 'Short names for exercises: `pump alias bp "Bench Press"`; alone, lists them'
            cand pr 'Personal records: heaviest set, e1RM, rep maxes, best volumes'
            cand stats 'Sessions, sets, reps and volume per week and muscle group, and streaks'
            cand progress 'A chart of one exercise''s e1RM, top set or volume over time'
            cand calendar 'A heatmap of training days over a year'
            cand report 'Your progress as one HTML page that opens in any browser, offline: charts, calendar, records'
            cand template 'Routines to start a workout from'
            cand weight 'Record body weight (`pump weight 80.5`), or list recent entries with a trend'
            cand plates 'The plates to load on each side of the bar'
            cand import 'Import workouts from Strong, Hevy, FitNotes (CSV) or a pump export (JSON)'
            cand export 'Export everything as JSON (lossless) or CSV (one row per set)'
            cand conflicts 'List conflicts held for you to resolve'
            cand resolve 'Resolve held conflicts (interactive without a flag)'
            cand register 'Create an account on a sync server and log this device in'
            cand login 'Log this device in to a sync server (an account with a key asks for it)'
            cand key 'Show this account''s encryption key (24 words and hex), or encrypt an account with --enable'
            cand logout 'Forget this device''s session token'
            cand password 'Change your account''s password (optionally signing out every other device)'
            cand devices 'The devices of your account: last sync, pending rows; `revoke` signs one out'
            cand doctor 'Check the set table the analytics read against your workouts, or rebuild it'
            cand server 'Run or administer the sync server'
            cand sets 'Print the set grammar'
            cand completions 'Print a shell completion script'
            cand man 'Print a manual page (`pump man | man -l -`)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pump;help;log'= {
        }
        &'pump;help;start'= {
        }
        &'pump;help;add'= {
        }
        &'pump;help;finish'= {
        }
        &'pump;help;list'= {
        }
        &'pump;help;show'= {
        }
        &'pump;help;edit'= {
        }
        &'pump;help;rm'= {
        }
        &'pump;help;restore'= {
        }
        &'pump;help;status'= {
        }
        &'pump;help;device'= {
        }
        &'pump;help;config'= {
            cand get 'Print one setting'
            cand set 'Change one setting'
            cand list 'Print every setting'
            cand path 'Print the config file''s path'
        }
        &'pump;help;config;get'= {
        }
        &'pump;help;config;set'= {
        }
        &'pump;help;config;list'= {
        }
        &'pump;help;config;path'= {
        }
        &'pump;help;sync'= {
        }
        &'pump;help;exercises'= {
            cand merge 'Move every set of one exercise into another, in all history'
            cand rename 'Give an exercise another name in all history'
        }
        &'pump;help;exercises;merge'= {
        }
        &'pump;help;exercises;rename'= {
        }
        &'pump;help;history'= {
        }
        &'pump;help;alias'= {
        }
        &'pump;help;pr'= {
        }
        &'pump;help;stats'= {
        }
        &'pump;help;progress'= {
        }
        &'pump;help;calendar'= {
        }
        &'pump;help;report'= {
        }
        &'pump;help;template'= {
            cand save 'Save a workout''s exercises and sets as a template'
            cand new 'Write a template from exercise specs'
            cand list 'List templates'
            cand show 'Show one template'
            cand rm 'Delete a template'
        }
        &'pump;help;template;save'= {
        }
        &'pump;help;template;new'= {
        }
        &'pump;help;template;list'= {
        }
        &'pump;help;template;show'= {
        }
        &'pump;help;template;rm'= {
        }
        &'pump;help;weight'= {
        }
        &'pump;help;plates'= {
        }
        &'pump;help;import'= {
        }
        &'pump;help;export'= {
        }
        &'pump;help;conflicts'= {
        }
        &'pump;help;resolve'= {
        }
        &'pump;help;register'= {
        }
        &'pump;help;login'= {
        }
        &'pump;help;key'= {
        }
        &'pump;help;logout'= {
        }
        &'pump;help;password'= {
        }
        &'pump;help;devices'= {
            cand revoke 'Sign a device out: its sessions end, and it syncs again only after `pump login`'
        }
        &'pump;help;devices;revoke'= {
        }
        &'pump;help;doctor'= {
        }
        &'pump;help;server'= {
            cand start 'Serve sync for your devices (prints `listening on http://HOST:PORT`)'
            cand add-user 'Create an account without the network'
            cand users 'List the accounts, with what each stores'
            cand passwd 'Set an account''s password'
            cand del-user 'Delete an account and everything it stored'
            cand sessions 'List an account''s sessions, or end them all with --revoke'
        }
        &'pump;help;server;start'= {
        }
        &'pump;help;server;add-user'= {
        }
        &'pump;help;server;users'= {
        }
        &'pump;help;server;passwd'= {
        }
        &'pump;help;server;del-user'= {
        }
        &'pump;help;server;sessions'= {
        }
        &'pump;help;sets'= {
        }
        &'pump;help;completions'= {
        }
        &'pump;help;man'= {
        }
        &'pump;help;help'= {
        }
    ]
    $completions[$command]
}
