# Large hostile inputs (tests/hostile/gen.sh big): each gets its documented exit code and one
# error line, leaves the database as it was, and stays within a stated peak RSS.

case_ "big hostile inputs: 100 MB lines, gzip bombs, 100,000 metrics, 200,000 tests"
BH="$T/big"
sh "$ROOT/tests/hostile/gen.sh" big "$BH" || fail "gen.sh big failed"
BDB="$T/bighostile.db"
rm -f "$BDB" "$BDB"-*
pc --db "$BDB" ingest "$FIX/k6/S1-smoke-baseline/summary-export.json"; expect_rc 0
BIG_REPORT=""

# big_case FILE WANT_RC MAX_RSS_MIB [MESSAGE]
big_case() {
	before=$(db_state "$BDB")
	s0=$(date +%s%N)
	rss_pc --db "$BDB" ingest ${BIG_OPTS:-} "$1"
	ms=$((($(date +%s%N) - s0) / 1000000))
	expect_rc "$2"
	if [ "$2" -ne 0 ]; then
		expect_one_line_error
		[ -z "${4:-}" ] || expect_err "$4"
		[ "$(db_state "$BDB")" = "$before" ] || fail "$1 changed the database"
	fi
	[ "$RSS" -le "$3" ] || fail "$(basename "$1"): peak RSS $RSS MiB over the $3 MiB bound"
	BIG_REPORT="$BIG_REPORT
  $(basename "$1") ($(wc -c <"$1") bytes): exit $rc, peak RSS $RSS MiB (bound $3), ${ms} ms: $(head -n 1 "$T/err" | cut -c1-160)"
}

big_case "$BH/line-100mb.ndjson" 3 64 "line 2 is longer than the 1048576-byte line limit"
big_case "$BH/doc-100mb.json" 0 400
BIG_OPTS="--max-size 50000000" big_case "$BH/doc-100mb.json" 3 128 "over the 50000000-byte limit"
BIG_REPORT="$BIG_REPORT (with --max-size 50000000)"
big_case "$BH/bomb-points.ndjson.gz" 3 64 "gzip bomb"
big_case "$BH/bomb-doc.json.gz" 3 256 "gzip bomb"
big_case "$BH/summary-100k-metrics.json" 0 1024
big_case "$BH/playwright-200k-tests.json" 0 2048
echo "big hostile inputs:$BIG_REPORT" >&2
[ "$(db_sound "$BDB")" = "ok" ] || fail "unsound after the big inputs"
done_
