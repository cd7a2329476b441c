
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
            cand --db 'The database file (one per device)'
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
            cand rm 'Delete a workout (it syncs as a deletion)'
            cand status 'This device, its database, and what is waiting to sync'
            cand device 'Show or rename this device'
            cand config 'Read or change preferences (unit, auto_sync, sync_interval, timeout)'
            cand sync 'Send this device''s changes to the sync server and receive the others'''
            cand conflicts 'List conflicts held for you to resolve'
            cand resolve 'Resolve held conflicts (interactive without a flag)'
            cand register 'Create an account on a sync server and log this device in'
            cand login 'Log this device in to a sync server'
            cand logout 'Forget this device''s session token'
            cand server 'Run or administer the sync server'
            cand sets 'Print the set grammar'
            cand completions 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pump;log'= {
            cand --at 'When it started'
            cand --end 'When it ended'
            cand --duration 'How long it took, e.g. 1h10m'
            cand --notes 'notes'
            cand -e 'An exercise and its sets: -e "squat: 3x5@100kg" (repeatable)'
            cand --exercise 'An exercise and its sets: -e "squat: 3x5@100kg" (repeatable)'
            cand --db 'The database file (one per device)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pump;start'= {
            cand --at 'at'
            cand --db 'The database file (one per device)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pump;add'= {
            cand --db 'The database file (one per device)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pump;finish'= {
            cand --at 'at'
            cand --notes 'notes'
            cand --db 'The database file (one per device)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pump;list'= {
            cand --since 'since'
            cand --until 'until'
            cand --exercise 'Only workouts with this exercise'
            cand --limit 'limit'
            cand --db 'The database file (one per device)'
            cand --json 'json'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pump;show'= {
            cand --db 'The database file (one per device)'
            cand --json 'json'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'pump;edit'= {
            cand --name 'name'
            cand --at 'at'
            cand --end 'end'
            cand --notes 'notes'
            cand -e 'Replace an exercise''s sets (or add the exercise): -e "squat: 3x5@100kg"'
            cand --exercise 'Replace an exercise''s sets (or add the exercise): -e "squat: 3x5@100kg"'
            cand --db 'The database file (one per device)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pump;rm'= {
            cand --db 'The database file (one per device)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'pump;status'= {
            cand --db 'The database file (one per device)'
            cand --json 'Print machine-readable JSON'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'pump;device'= {
            cand --name 'Rename this device'
            cand --db 'The database file (one per device)'
            cand --reset-id 'Take a new device id (after copying a database file to a second device)'
            cand --json 'json'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'pump;config'= {
            cand --db 'The database file (one per device)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand get 'Print one setting'
            cand set 'Change one setting'
            cand list 'Print every setting'
            cand path 'Print the config file''s path'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pump;config;get'= {
            cand --db 'The database file (one per device)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'pump;config;set'= {
            cand --db 'The database file (one per device)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'pump;config;list'= {
            cand --db 'The database file (one per device)'
            cand --json 'json'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'pump;config;path'= {
            cand --db 'The database file (one per device)'
            cand -h 'Print help'
            cand --help 'Print help'
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
            cand --every 'Keep running, syncing at this interval (e.g. 10m)'
            cand --db 'The database file (one per device)'
            cand -q 'Print nothing unless something needs attention'
            cand --quiet 'Print nothing unless something needs attention'
            cand --non-interactive 'Never prompt (implied when standard input is not a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pump;conflicts'= {
            cand --db 'The database file (one per device)'
            cand --json 'Print machine-readable JSON'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'pump;resolve'= {
            cand --db 'The database file (one per device)'
            cand --mine 'Keep this device''s version'
            cand --theirs 'Keep the server''s version'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'pump;register'= {
            cand --server 'The sync server, e.g. https://pump.example.org or http://127.0.0.1:8787'
            cand --user 'The account name'
            cand --db 'The database file (one per device)'
            cand --password-stdin 'Read the password from standard input instead of prompting'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'pump;login'= {
            cand --server 'The sync server, e.g. https://pump.example.org or http://127.0.0.1:8787'
            cand --user 'The account name'
            cand --db 'The database file (one per device)'
            cand --password-stdin 'Read the password from standard input instead of prompting'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'pump;logout'= {
            cand --db 'The database file (one per device)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'pump;server'= {
            cand --db 'The database file (one per device)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand start 'Serve sync for your devices (prints `listening on http://HOST:PORT`)'
            cand add-user 'Create an account without the network'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pump;server;start'= {
            cand --listen 'Address to listen on; port 0 picks a free one'
            cand --data 'Folder for the server''s database (default: the platform data dir)'
            cand --max-body-mib 'Largest request body accepted, in MiB'
            cand --db 'The database file (one per device)'
            cand --open-registration 'Let clients create accounts with `pump register`'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'pump;server;add-user'= {
            cand --data 'data'
            cand --db 'The database file (one per device)'
            cand --password-stdin 'Read the password from standard input instead of prompting'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'pump;server;help'= {
            cand start 'Serve sync for your devices (prints `listening on http://HOST:PORT`)'
            cand add-user 'Create an account without the network'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pump;server;help;start'= {
        }
        &'pump;server;help;add-user'= {
        }
        &'pump;server;help;help'= {
        }
        &'pump;sets'= {
            cand --db 'The database file (one per device)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pump;completions'= {
            cand --db 'The database file (one per device)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'pump;help'= {
            cand log 'Record a finished workout in one command; prints its id'
            cand start 'Open a workout to fill in set by set at the gym'
            cand add 'Append sets to the open workout'
            cand finish 'Close the open workout'
            cand list 'List workouts, newest first'
            cand show 'Show one workout'
            cand edit 'Change a workout (opens $EDITOR when given no flags)'
            cand rm 'Delete a workout (it syncs as a deletion)'
            cand status 'This device, its database, and what is waiting to sync'
            cand device 'Show or rename this device'
            cand config 'Read or change preferences (unit, auto_sync, sync_interval, timeout)'
            cand sync 'Send this device''s changes to the sync server and receive the others'''
            cand conflicts 'List conflicts held for you to resolve'
            cand resolve 'Resolve held conflicts (interactive without a flag)'
            cand register 'Create an account on a sync server and log this device in'
            cand login 'Log this device in to a sync server'
            cand logout 'Forget this device''s session token'
            cand server 'Run or administer the sync server'
            cand sets 'Print the set grammar'
            cand completions 'Print a shell completion script'
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
        &'pump;help;conflicts'= {
        }
        &'pump;help;resolve'= {
        }
        &'pump;help;register'= {
        }
        &'pump;help;login'= {
        }
        &'pump;help;logout'= {
        }
        &'pump;help;server'= {
            cand start 'Serve sync for your devices (prints `listening on http://HOST:PORT`)'
            cand add-user 'Create an account without the network'
        }
        &'pump;help;server;start'= {
        }
        &'pump;help;server;add-user'= {
        }
        &'pump;help;sets'= {
        }
        &'pump;help;completions'= {
        }
        &'pump;help;help'= {
        }
    ]
    $completions[$command]
}
