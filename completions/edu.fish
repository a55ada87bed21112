# fish completion for edu(1).
#
# edu itself knows its commands and options: `edu --completion-helper WORDS...` takes the
# words after `edu`, the last being the one under completion (possibly empty), and prints
# the candidates one per line, already filtered by that word. This file only passes the
# words, so it never has to change when a command is added.

function __edu_complete
	# The words before the cursor, then the one under it.
	set -l words (commandline -opc)
	set -l current (commandline -ct)
	# Ask the edu that is being completed (./cli/edu while hacking); a leading ~ is not
	# expanded in what commandline returns.
	set -l edu (string replace -r '^~' -- $HOME $words[1])
	set -e words[1]
	# Quoted, an empty current word is still passed, as an empty argument.
	command $edu --completion-helper $words "$current" 2>/dev/null
end

complete -c edu -f -a '(__edu_complete)'
