# Hostile inputs (tests/hostile/gen.sh small, plus the fuzzers' regressions in tests/hostile/):
# the documented exit code, one error line naming the file, nothing stored for bad input.

HDB="$T/hostile.db"
H="$T/hostile"
sh "$ROOT/tests/hostile/gen.sh" small "$H" || fail "gen.sh small failed"
rm -f "$HDB" "$HDB"-*
pc --db "$HDB" ingest "$FIX/k6/S1-smoke-baseline/summary-export.json"

# hostile_bad FILE MESSAGE: exit 3, one error line naming the file, database unchanged
hostile_bad() {
	before=$(db_state "$HDB")
	pc --db "$HDB" ingest "$1"
	expect_rc 3; expect_one_line_error
	expect_err "perfcmp: $1: $2"
	[ "$(db_state "$HDB")" = "$before" ] || fail "$1 changed the database"
}

# hostile_ok FILE [WARNING]: exit 0, one run stored (then removed again), the warning if given
hostile_ok() {
	pc --db "$HDB" ingest "$1"
	expect_rc 0
	[ -z "${2:-}" ] || expect_err "perfcmp: warning: $1: $2"
	id=$(sqlite3 "$HDB" "SELECT max(id) FROM runs")
	[ "$id" -gt 1 ] || fail "$1 stored no run"
	pc --db "$HDB" show --format json "$id"; expect_rc 0
	jq -e . "$T/out" >/dev/null || fail "show --format json of $1 is not JSON"
	pc --db "$HDB" show "$id"; expect_rc 0
	pc --db "$HDB" rm "$id"; expect_rc 0
}

case_ "hostile gzip: cut member, cut document, two members"
hostile_ok "$H/cut-points.ndjson.gz" "the gzip stream ends without its trailer"
hostile_bad "$H/cut-summary.json.gz" "truncated gzip stream"
pc --db "$HDB" ingest "$H/members.json.gz"; expect_rc 0
expect_out "already stored as run 1"
done_

case_ "hostile nesting: 100,000 levels in a document, in one line of a stream"
hostile_bad "$H/nested.json" "malformed JSON at byte"
hostile_ok "$H/nested-line.ndjson" "skipped 1 of 4 lines (the first is line 3): 1 not k6 JSON"
done_

case_ "hostile bytes: invalid UTF-8 comes out as U+FFFD in JSON, NUL is not JSON"
hostile_ok "$H/bad-utf8.ndjson"
hostile_bad "$H/nul.json" "malformed JSON at byte 200: a NUL byte"
hostile_ok "$H/nul.ndjson" "skipped 1 of 4 lines (the first is line 3): 1 not k6 JSON"
done_

case_ "hostile keys and numbers: duplicates, 1e999, -0, NaN, Infinity"
hostile_bad "$H/dup-keys.json" 'metric "http_req_duration" appears twice'
hostile_ok "$H/dup-keys.ndjson"
pc --db "$HDB" ingest "$H/numbers.json"; expect_rc 0
id=$(sqlite3 "$HDB" "SELECT max(id) FROM runs")
pc --db "$HDB" show --format json "$id"; expect_rc 0
expect_jq '.series[0].stats | [.avg, .p90, .min, .p50, .max] | map(tostring) | join(",")' 'null,null,0,0,1e+308'
pc --db "$HDB" show "$id"; expect_rc 0
expect_out "1e+308"
pc --db "$HDB" rm "$id"
hostile_bad "$H/nan.json" "malformed JSON at byte"
hostile_ok "$H/numbers.ndjson" "skipped 5 of 9 lines (the first is line 3): 1 not k6 JSON, 4 with a value that is not a finite number"
hostile_bad "$H/no-finite.ndjson" "no valid k6 data point"
done_

case_ "fuzz regressions: timestamps outside 1900..2100 are skipped, not overflowed"
hostile_ok "$ROOT/tests/hostile/fuzz-time-far-years.ndjson" "skipped 2 of 4 lines"
done_

case_ "fuzz regressions: a zone offset of -83:00 or +05:99 is skipped by both line paths"
hostile_ok "$ROOT/tests/hostile/fuzz-bad-zone-offset.ndjson" "skipped 2 of 4 lines (the first is line 2): 2 not k6 JSON"
done_

case_ "fuzz regressions: a value of .1 is skipped on either line path (cJSON reads -.5)"
hostile_ok "$ROOT/tests/hostile/fuzz-leading-dot-value.ndjson" "skipped 1 of 4 lines (the first is line 2): 1 not k6 JSON"
done_
