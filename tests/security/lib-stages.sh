# lib-stages.sh (sourced): the stage processes of a running run or watch.
#   stage_pid PARENT NAME  the pid of PARENT's child letterkit-NAME ("" when none)
#   running PID            PID exists and is not a zombie (an orphan's zombie is
#                          never reaped where there is no init)
#   has_key PID            NOTIFY_API_KEY is in /proc/PID/environ
stage_pid() {
    ps -o pid=,args= --ppid "$1" 2>/dev/null | awk -v n="letterkit-$2" '{ k = split($2, p, "/"); if (p[k] == n) { print $1; exit } }'
}
running() { [ -e "/proc/$1/stat" ] && [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]; }
has_key() { tr '\0' '\n' <"/proc/$1/environ" | grep -q '^NOTIFY_API_KEY='; }
