#!/bin/bash
# 005-environment: edud and edu need nothing from the environment beyond what their manual
# pages list. edud finds PostgreSQL's server programs whatever the PATH, and runs them so
# that they find each other (a service or a cron job has only /usr/bin and /bin on its PATH,
# and PostgreSQL's programs are in /usr/lib/postgresql/VERSION/bin); it says which
# PostgreSQL it runs, and what to install or set when it has none. edu needs no HOME when
# the XDG_* variables are set, and uses ~/.config and ~/.local/state when they are not.
# Every other test runs edud and edu the same way (lib.sh's wrappers); this one checks the
# wrappers themselves.
. "$(dirname "$0")/lib.sh"

# Programs named like PostgreSQL's, first on the PATH, that only leave a mark: edud must
# never run them, nor make initdb or pg_ctl find them.
mkdir -p decoy
for p in initdb pg_ctl postgres; do
	printf '#!/bin/sh\necho "$0 $*" >>%q/decoy.log\nexit 1\n' "$EDU_TEST_DIR" >"decoy/$p"
	chmod 755 "decoy/$p"
done

test_expect_success 'the wrappers pass on only what edud(8) and edu(1) list' '
	write_env_wrapper_ bin/env-edud /usr/bin/env "$top_srcdir/man/edud.8.scd" &&
	write_env_wrapper_ bin/env-edu /usr/bin/env "$top_srcdir/man/edu.1.scd.in" &&
	EDU_JWT_ISSUER=x EDU_SERVER=y EDU_TEST_PROBE=z SOMETHING_ELSE=1 bin/env-edud >edud.env &&
	EDU_JWT_ISSUER=x EDU_SERVER=y EDU_TEST_PROBE=z SOMETHING_ELSE=1 bin/env-edu >edu.env &&
	test_grep -x "EDU_JWT_ISSUER=x" edud.env &&
	test_grep -v "^EDU_SERVER=" edud.env &&
	test_grep -x "EDU_SERVER=y" edu.env &&
	test_grep -v "^EDU_JWT_ISSUER=" edu.env &&
	test_grep -x "PATH=/usr/sbin:/usr/bin:/sbin:/bin" edu.env &&
	test_grep -v -e "^EDU_TEST_PROBE=" -e "^SOMETHING_ELSE=" -e "^HOME=" edud.env &&
	test_grep -v -e "^EDU_TEST_PROBE=" -e "^SOMETHING_ELSE=" -e "^HOME=" edu.env
'

test_expect_success 'edud starts its cluster with decoys of initdb, pg_ctl and postgres first on the PATH' '
	PATH=$EDU_TEST_DIR/decoy:$PATH start_edud &&
	test ! -e decoy.log &&
	test_grep -E "embedded cluster: postgres \(PostgreSQL\) [0-9]+.*, from /usr/lib/postgresql/[0-9.]+/bin" edud.log &&
	curl -sf "$EDU_TEST_URL/ready" >/dev/null
'

test_expect_success 'and stops it, without a decoy run' '
	stop_edud &&
	test "$EDUD_STATUS" = 0 &&
	test ! -e "$EDU_TEST_DATA/pg/data/postmaster.pid" &&
	test ! -e decoy.log
'

test_expect_success 'a pg_bindir without the server programs says which one is missing (exit 1)' '
	test_exit_code 1 edud_cmd --pg-bindir "$EDU_TEST_DIR/home" --listen 127.0.0.1:0 serve \
		>out 2>err &&
	test_grep "pg_bindir .*/home.* has no program .initdb." err &&
	test_grep "initdb, pg_ctl, postgres" err
'

test_expect_success 'pg_bindir names a directory of its own: the decoys there are refused' '
	test_exit_code 1 edud_cmd --pg-bindir "$EDU_TEST_DIR/decoy" --listen 127.0.0.1:0 serve \
		>out 2>err &&
	test_grep "initdb failed\|did not start" err &&
	test -s decoy.log &&
	rm -f decoy.log
'

start_edud
seed_demo

test_expect_success 'edu logs in and answers with no HOME, the XDG_* variables set' '
	login_as teacher1 >out 2>err &&
	edu_as teacher1 whoami >out &&
	test_grep "^user *teacher1" out &&
	test -f "$XDG_STATE_HOME/edu/credentials/teacher1.json" &&
	test ! -e "$HOME/.config" && test ! -e "$HOME/.local"
'

test_expect_success 'with HOME and no XDG_* variables, edu keeps its files under HOME' '
	(
		export HOME=$EDU_TEST_DIR/other-home &&
		unset XDG_CONFIG_HOME XDG_STATE_HOME XDG_CACHE_HOME XDG_DATA_HOME &&
		mkdir -p "$HOME" &&
		login_as teacher2 >out 2>err &&
		edu_as teacher2 whoami >out &&
		test_grep "^user *teacher2" out &&
		test -f "$HOME/.config/edu/config" &&
		test_mode 600 "$HOME/.local/state/edu/credentials/teacher2.json"
	)
'

test_expect_success 'with neither, edu says what to set instead of guessing a directory' '
	(
		unset XDG_CONFIG_HOME XDG_STATE_HOME XDG_CACHE_HOME XDG_DATA_HOME &&
		test_exit_code 11 edu --server "$EDU_TEST_URL" whoami >out 2>err &&
		test_grep "^edu: .*set HOME or XDG_CONFIG_HOME" err
	)
'

# A fresh machine has no less and no vi: edu falls back on Debian's pager and editor (and on
# more, vi, nano), found on the PATH. Here the PATH holds only shims that leave a mark.
mkdir -p progs
for p in pager editor; do
	printf '#!/bin/sh\necho "%s $*" >>%q/progs.log\n' "$p" "$EDU_TEST_DIR" >"progs/$p"
done
# the editor writes the text; the pager reads what it is given
printf 'printf "# Written in the fallback editor\\n" >"$1"\n' >>progs/editor
printf '/bin/cat >%q/paged.txt\n' "$EDU_TEST_DIR" >>progs/pager
chmod 755 progs/pager progs/editor

test_expect_success 'with no EDITOR or VISUAL, edu uses the editor it finds on the PATH' '
	C=$(edu_as teacher1 -q course create "Fallbacks") &&
	PATH=$EDU_TEST_DIR/progs edu_as teacher1 -q lesson create "$C" --title "Fresh" -e >lesson.id &&
	test_grep "^editor .*edu-lesson-" progs.log &&
	edu_as teacher1 lesson show "$(cat lesson.id)" >out &&
	test_grep "Written in the fallback editor" out
'

test_expect_success 'VISUAL wins over EDITOR, as in git' '
	printf "#!/bin/sh\necho visual >>%q/progs.log\nprintf \"# by VISUAL\\\\n\" >\"\$1\"\n" \
		"$EDU_TEST_DIR" >visual.sh && chmod 755 visual.sh &&
	VISUAL=$EDU_TEST_DIR/visual.sh EDITOR=/bin/false \
		edu_as teacher1 -q lesson create "$C" --title "Visual" -e >lesson2.id &&
	test_grep -x visual progs.log
'

test_expect_success 'with no editor at all, edu says what to set and creates nothing (exit 2)' '
	edu_as teacher1 lesson list "$C" >before &&
	PATH=/nonexistent test_exit_code 2 edu_as teacher1 lesson create "$C" --title "None" -e \
		>out 2>err &&
	test_grep "^edu: no editor .*set VISUAL or EDITOR" err &&
	edu_as teacher1 lesson list "$C" >after &&
	test_cmp before after
'

test_expect_success 'with no PAGER on a terminal, edu pages through the pager it finds' '
	: >progs.log &&
	L=$(cat lesson.id) &&
	PATH=$EDU_TEST_DIR/progs /usr/bin/script -qec "$(printf "%q " "$EDU" --profile teacher1 lesson show "$L")" /dev/null \
		>tty.out 2>&1 &&
	test_grep "^pager" progs.log &&
	test_grep "Written in the fallback editor" paged.txt
'

test_done
