# What the screen tests of edu-tui share (tests/e2e/1NN-tui-*.sh), sourced after lib.sh:
# edu-tui in the environment edu-tui(1) documents, run in a tmux session of a fixed size
# on a private tmux server, keys sent to it and its screen read back, and a course to
# drive it on.
#
#   tui_start NAME USER [COLSxROWS] [VAR=VALUE...]	edu-tui --profile USER in the tmux
#					session NAME (default 100x30), the variables added to its
#					environment; when it exits, the pane says "[edu-tui exited N]"
#   tui_keys NAME KEY...		tmux send-keys (tmux's key names: Enter, Down, BTab, C-l)
#   tui_type NAME TEXT			sends TEXT as it is (send-keys -l)
#   tui_screen NAME			prints the screen as text (capture-pane)
#   tui_wait NAME PATTERN [SECONDS]	waits until the screen matches PATTERN (grep -E; default
#					20 s); else prints the screen to the log and fails
#   tui_wait_not NAME PATTERN [SECONDS]	waits until no line of the screen matches PATTERN
#   tui_resize NAME COLSxROWS		makes the session's window that size
#   tui_course				teacher1's course "Physics 1": a lesson in Markdown with
#					an attachment, an assignment with a rubric taking files,
#					student01 and student02 enrolled. Sets COURSE, LESSON,
#					ASSIGNMENT (ids)

: "${EDU_TUI:=$top_builddir/tui/edu-tui}"
[ -x "$EDU_TUI" ] || bail_out "no edu-tui binary at '$EDU_TUI' (build first, or set EDU_TUI)"
command -v tmux >/dev/null 2>&1 || bail_out "tmux not found: run scripts/deps.sh (Debian package tmux)"
[ -f "$top_srcdir/man/edu-tui.1.scd" ] || bail_out "no manual page man/edu-tui.1.scd"
write_env_wrapper_ "$EDU_TEST_DIR/bin/edu-tui" "$EDU_TUI" "$top_srcdir/man/edu-tui.1.scd"
EDU_TUI_BIN=$EDU_TUI
EDU_TUI=$EDU_TEST_DIR/bin/edu-tui

TMUX_SOCKET=$EDU_TEST_DIR/tmux.sock
cat >"$EDU_TEST_DIR/tmux.conf" <<'CONF'
set -g default-terminal tmux-256color
set -g status off
set -g escape-time 0
CONF
unset TMUX
test_when_finished 'tmux -S "$TMUX_SOCKET" kill-server'

tmux_ () {
	tmux -S "$TMUX_SOCKET" -f "$EDU_TEST_DIR/tmux.conf" "$@"
}

tui_start () {
	local name=$1 user=$2 size=${3:-100x30} vars=()
	shift 2
	[ $# -gt 0 ] && shift
	vars=("$@")
	tmux_ new-session -d -s "$name" -x "${size%x*}" -y "${size#*x}" \
		"env ${vars[*]} $(printf '%q' "$EDU_TUI") --profile $user 2>>$EDU_TEST_DIR/tui-$name.err; echo \"[edu-tui exited \$?]\"; sleep 3600"
}

tui_keys () {
	local name=$1
	shift
	tmux_ send-keys -t "$name" "$@"
}

tui_type () {
	tmux_ send-keys -t "$1" -l "$2"
}

tui_screen () {
	tmux_ capture-pane -p -t "$1"
}

tui_wait () {
	local name=$1 pattern=$2 limit=$((${3:-20} * 10)) i
	for ((i = 0; i < limit; i++)); do
		tui_screen "$name" >"$EDU_TEST_DIR/screen" 2>/dev/null &&
			grep -qE -- "$pattern" "$EDU_TEST_DIR/screen" && return 0
		sleep 0.1
	done
	echo "tui_wait: '$pattern' never showed on $name's screen; it shows:" >&6
	cat "$EDU_TEST_DIR/screen" >&6
	[ -s "$EDU_TEST_DIR/tui-$name.err" ] && { echo "its stderr:" >&6; cat "$EDU_TEST_DIR/tui-$name.err" >&6; }
	return 1
}

tui_wait_not () {
	local name=$1 pattern=$2 limit=$((${3:-20} * 10)) i
	for ((i = 0; i < limit; i++)); do
		tui_screen "$name" >"$EDU_TEST_DIR/screen" 2>/dev/null &&
			! grep -qE -- "$pattern" "$EDU_TEST_DIR/screen" && return 0
		sleep 0.1
	done
	echo "tui_wait_not: '$pattern' stays on $name's screen:" >&6
	cat "$EDU_TEST_DIR/screen" >&6
	return 1
}

tui_resize () {
	tmux_ resize-window -t "$1" -x "${2%x*}" -y "${2#*x}"
}

tui_course () {
	local out
	edu_as teacher1 -q course create "Physics 1" --term "2026 autumn" >course.id &&
	COURSE=$(cat course.id) &&
	edu_as teacher1 course enrol "$COURSE" student01 >/dev/null &&
	edu_as teacher1 course enrol "$COURSE" student02 >/dev/null &&
	cat >newton.md <<'MD' &&
# Newton's laws

A body stays at rest *or in uniform motion* unless a **force** acts on it.

- the first law: inertia
- the second law: `F = m a`
  1. measure the mass
  2. measure the acceleration

```
F = m * a
```

Read [the notes](https://example.org/newton) before the lab.
MD
	edu_as teacher1 -q lesson create "$COURSE" --title "Newton" --content-file newton.md >lesson.id &&
	LESSON=$(cat lesson.id) &&
	printf 'Worksheet: drop a ball and a feather.\n' >worksheet.txt &&
	edu_as teacher1 lesson attach "$LESSON" worksheet.txt >/dev/null &&
	edu_as teacher1 -q assignment create "$COURSE" --title "Lab report" --due 2030-06-01 \
		--points 20 --kind files --publish -m "Report **what you saw**." >assignment.id &&
	ASSIGNMENT=$(cat assignment.id) &&
	printf 'Method: Weak=2, Sound=6, Rigorous=10\nClarity: Muddled=0, Clear=5, Excellent=10\n' >rubric.txt &&
	edu_as teacher1 rubric set "$ASSIGNMENT" rubric.txt >/dev/null 2>&1
}
