#!/bin/bash
# Benchmark: edu-tui against a local edud, in tmux, in one run.
#
#	bench/tui.sh [RUNS]	(default 5)
#
# Run from a build tree (or set EDUD, EDU and EDU_TUI). Prints:
#
# 1. Exec to the first full screen: the wall clock just before tmux starts edu-tui, to the
#    moment edu-tui has drawn its first screen with every answer of its start in it (a
#    --script whose first line is !stamp: a script's line runs only once no request is in
#    flight, and !stamp draws before it writes the time). The median of RUNS, and the
#    fastest. Target: under 200 ms.
# 2. Bytes written to the terminal for one page down a list of 300 lessons (100x30), read
#    with tmux pipe-pane, beside those of a whole repaint of the same screen (C-l): the
#    scroll must write only what changed, ncurses' optimisation kept.
#
# Benchmarks print figures; they never fail a build.
runs=${1:-5}
. "$(dirname "$0")/../tests/e2e/lib.sh"
. "$top_srcdir/tests/e2e/data/tui.sh"

start_edud >/dev/null
seed_demo
login_as teacher1 >/dev/null 2>&1 && login_as student01 >/dev/null 2>&1 || bail_out "cannot log in"
tui_course || bail_out "cannot make the course"
T=$(token_for teacher1)
for i in $(seq 1 300); do
	api POST "/courses/$COURSE/lessons" "{\"title\": \"Lesson number $i of a long course\"}" "$T" >/dev/null
done

# 1. exec to the first full screen
printf '!stamp %s/stamp\n' "$EDU_TEST_DIR" >first.keys
times=()
for r in $(seq 1 "$runs"); do
	rm -f stamp
	t0=$(date +%s%N)
	tmux_ new-session -d -s "first$r" -x 100 -y 30 "$(printf %q "$EDU_TUI") --profile student01 --script $EDU_TEST_DIR/first.keys"
	for ((i = 0; i < 200; i++)); do [ -s stamp ] && break; sleep 0.05; done
	[ -s stamp ] || bail_out "edu-tui drew no first screen"
	times+=($((($(head -n 1 stamp) - t0) / 1000000)))
done
sorted=$(printf '%s\n' "${times[@]}" | sort -n)
echo "exec to first full screen: median $(echo "$sorted" | sed -n "$(((runs + 1) / 2))p") ms, fastest $(echo "$sorted" | head -n 1) ms over $runs runs (target < 200 ms)" >&5

# 2. bytes per scroll
tui_start s student01 100x30 >/dev/null
tui_wait s "Physics 1" || bail_out "no course on the screen"
tui_keys s Enter
tui_wait s "Lesson number 20 " || bail_out "no lessons on the screen"
measure () {
	rm -f bytes
	tmux_ pipe-pane -o -t s "cat >$EDU_TEST_DIR/bytes"
	tui_keys s "$1"
	tui_wait s "$2" >/dev/null || bail_out "the screen did not change after $1"
	sleep 0.5
	tmux_ pipe-pane -t s
	sleep 0.2
	wc -c <bytes
}
scroll=$(measure PgDn "Lesson number 4[0-9] ")
repaint=$(measure C-l "Lesson number 4[0-9] ")
echo "one page down a list of 300 (100x30): $scroll bytes written; a whole repaint: $repaint bytes" >&5
test_done >/dev/null
