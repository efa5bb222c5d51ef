# Helpers for the CLI cases: run the real binary, check exit status, stdout and stderr.
# Sourced by tests/cli/run.sh. POSIX sh.

: "${PERFCMP:?set PERFCMP to the perfcmp binary}"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
FIX="$ROOT/tests/fixtures"
SHARED="$ROOT/../shared/samples"
T=$(mktemp -d "${TMPDIR:-/tmp}/perfcmp-cli.XXXXXX")
trap 'rm -rf "$T"' EXIT INT TERM
PASS=0
FAIL=0
SKIP=0
CASE=""

# pc ARGS...: run perfcmp (under $PERFCMP_WRAP, e.g. valgrind); sets $rc, $T/out, $T/err.
pc() {
	# shellcheck disable=SC2086
	$PERFCMP_WRAP "$PERFCMP" "$@" >"$T/out" 2>"$T/err" </dev/null
	rc=$?
	check_report
}

# A valgrind error or leak (exit 99 under PERFCMP_WRAP) or a sanitizer report fails the case,
# whatever exit status the case expects.
check_report() {
	if [ "$rc" -eq 99 ] && [ -n "$PERFCMP_WRAP" ]; then
		fail "the wrapper ($PERFCMP_WRAP) reported errors: $(head -c 2000 "$T/err")"
	elif grep -qE '^==[0-9]+== |ERROR: (Address|Leak)Sanitizer|runtime error: ' "$T/err"; then
		fail "sanitizer or valgrind report: $(grep -m 5 -E '^==[0-9]+==|Sanitizer|runtime error' "$T/err")"
	fi
}

# pc_in FILE ARGS...: the same with FILE on standard input.
pc_in() {
	f=$1
	shift
	# shellcheck disable=SC2086
	$PERFCMP_WRAP "$PERFCMP" "$@" >"$T/out" 2>"$T/err" <"$f"
	rc=$?
	check_report
}

case_() {
	CASE=$1
	CASE_FAILED=0
}

fail() {
	echo "FAIL [$CASE]: $*" >&2
	echo "  exit $rc; stderr: $(head -c 600 "$T/err" 2>/dev/null)" >&2
	CASE_FAILED=1
}

# done_: close the current case.
done_() {
	if [ "$CASE_FAILED" -eq 0 ]; then
		PASS=$((PASS + 1))
	else
		FAIL=$((FAIL + 1))
	fi
}

skip() {
	echo "skip [$1]: $2" >&2
	SKIP=$((SKIP + 1))
}

expect_rc() {
	[ "$rc" -eq "$1" ] || fail "expected exit $1, got $rc"
}

expect_out() {
	grep -qF -- "$1" "$T/out" || fail "stdout lacks: $1"
}

expect_no_out() {
	! grep -qF -- "$1" "$T/out" || fail "stdout has: $1"
}

expect_no_err() {
	! grep -qF -- "$1" "$T/err" || fail "stderr has: $1"
}

expect_err() {
	grep -qF -- "$1" "$T/err" || fail "stderr lacks: $1"
}

# Every error is one line "perfcmp: subject: problem", optionally one "hint: ..." line.
expect_one_line_error() {
	n=$(grep -cv '^hint: ' "$T/err")
	[ "$n" -eq 1 ] || fail "expected one error line, got $n"
	head -n 1 "$T/err" | grep -q '^perfcmp: ' || fail "error does not start with 'perfcmp: '"
}

expect_err_empty() {
	[ ! -s "$T/err" ] || fail "stderr not empty: $(head -c 300 "$T/err")"
}

# jqv EXPR: evaluate jq on stdout.
jqv() {
	jq -r "$1" "$T/out"
}

expect_jq() {
	got=$(jq -r "$1" "$T/out" 2>&1)
	[ "$got" = "$2" ] || fail "jq '$1': expected '$2', got '$got'"
}

# A fingerprint of the database's content (not its bytes: WAL checkpoints move bytes around).
db_state() {
	if [ -f "$1" ]; then
		sqlite3 "$1" "SELECT count(*) FROM runs; SELECT count(*) FROM series; SELECT count(*) FROM stats; SELECT group_concat(id) FROM runs;" 2>&1
	else
		echo "no database"
	fi
}

summary() {
	echo "cli: $PASS passed, $FAIL failed, $SKIP skipped"
	[ "$FAIL" -eq 0 ]
}
