# Foundation: help, ingest of k6 summaries, runs, show, label, rm, gc, bad input, database errors.

case_ "help and version"
pc --help; expect_rc 0; expect_out "usage: perfcmp"; expect_out "ingest"
pc --version; expect_rc 0; expect_out "perfcmp "
for c in ingest runs show label rm gc help; do
	pc "$c" --help; expect_rc 0; expect_out "usage: perfcmp $c"; expect_out "example:"
	pc help "$c"; expect_rc 0; expect_out "usage: perfcmp $c"
done
[ ! -e "$DB" ] || fail "help created a database"
done_

case_ "unknown command and option"
pc frobnicate; expect_rc 2; expect_err "'frobnicate' is not a perfcmp command"; expect_err "hint: 'perfcmp help'"
pc ing; expect_rc 2; expect_err "is not a perfcmp command"
pc ingest --nope x.json; expect_rc 2; expect_err "perfcmp: ingest: unknown option"
pc runs --limit 0; expect_rc 2; expect_err "--limit takes a whole number"
pc; expect_rc 2
done_

case_ "runs without a database"
pc runs; expect_rc 4; expect_err "no database here"; expect_err "hint: ingest results first"
[ ! -e "$DB" ] || fail "runs created a database"
done_

case_ "ingest k6 summaries with keys from flags and environment"
pc ingest --profile load --config stg --label base --sha 0123abcd --branch main "$K6/S3-load-baseline/summary-export.json"
expect_rc 0; expect_out "run 1: k6-summary load/stg, 28 series, 8 checks"; expect_err_empty
DOPPLER_CONFIG=dev_perf PERFCMP_PROFILE=load DOPPLER_PROJECT=shop GITHUB_SHA=feedbeef GITHUB_REF_NAME=feat \
	pc ingest "$K6/S4-load-candidate-slow/handle-summary.json"
expect_rc 0; expect_out "run 2: k6-handle-summary load/dev_perf"
pc runs --format json
expect_rc 0
expect_jq 'length' 2
expect_jq '.[0].id' 2
expect_jq '.[1].labels[0]' base
expect_jq '.[1].git_sha' 0123abcd
expect_jq '.[0].project' shop
expect_jq '.[0].git_sha' feedbeef
expect_jq '.[0].git_branch' feat
expect_jq '.[0].duration' "$(jq '.state.testRunDurationMs / 1000' "$K6/S4-load-candidate-slow/handle-summary.json")"
expect_jq '.[0].started_at_source' ingest
expect_jq '.[1].duration' null
pc runs; expect_rc 0; expect_out "* the file gives no start time"
done_

case_ "show json carries every number of the file"
pc show --format json 1; expect_rc 0
# an independent reading of the same file with jq: every value of every metric
jq -r '.metrics | to_entries[] | .key as $k | .value | to_entries[] | select(.key != "thresholds")
	| "\($k)\t\(.key)\t\(.value)"' "$K6/S3-load-baseline/summary-export.json" | sort >"$T/want"
jq -r '.series[] | (.metric + (if .tags == {} then "" else "{" + ([.tags | to_entries[] | "\(.key):\(.value)"] | join(",")) + "}" end)) as $n
	| .stats | to_entries[] | "\($n)\t\(.key)\t\(.value)"' "$T/out" \
	| sed -e 's/\tp50\t/\tmed\t/' -e 's/\tp\([0-9.]*\)\t/\tp(\1)\t/' >"$T/got.raw"
# rates: the legacy file's "value" is stored as "rate"; counters keep "rate"
jq -r '.series[] | select(.kind == "rate") | .metric' "$T/out" | sort -u >"$T/rates"
while IFS="$(printf '\t')" read -r n k v; do
	base=${n%%\{*}
	if [ "$k" = rate ] && grep -qx "$base" "$T/rates"; then k=value; fi
	printf '%s\t%s\t%s\n' "$n" "$k" "$v"
done <"$T/got.raw" | sort >"$T/got"
diff "$T/want" "$T/got" >"$T/diff" || fail "show json differs from the file: $(head -5 "$T/diff")"
expect_jq '[.series[] | select(.metric == "never_used_trend") | .empty][0]' true
expect_jq '[.series[].thresholds[] | select(.ok == false)] | length' 0
expect_jq '.checks | length' 8
expect_jq '.totals' null
expect_jq '.run.source' k6-summary
done_

case_ "thresholds: the legacy boolean is inverted"
pc ingest "$K6/S4-load-candidate-slow/summary-export.json"; expect_rc 0
pc show --format json latest
expect_jq '[.series[].thresholds[] | select(.ok == false) | .expr] | join(",")' "med<26"
done_

case_ "the same content twice, plain or gzip, is one run"
pc ingest "$K6/S3-load-baseline/summary-export.json"; expect_rc 0; expect_out "already stored as run 1"
gzip -c "$K6/S3-load-baseline/summary-export.json" >"$T/s3.json.gz"
pc ingest "$T/s3.json.gz"; expect_rc 0; expect_out "already stored as run 1"
pc_in "$K6/S3-load-baseline/summary-export.json" ingest -; expect_rc 0; expect_out "already stored as run 1"
pc runs --format csv; expect_rc 0
[ "$(wc -l <"$T/out")" -eq 4 ] || fail "expected a header and 3 runs"
expect_out "id,source,profile,config,project,git_sha,git_branch,labels,started_at,duration,file,content_hash,tool,tool_version,started_at_source"
# the last three columns say what the JSON says, run by run
tail -n +2 "$T/out" | awk -F, '{print $1, $(NF-2), $(NF-1), $NF}' >"$T/csv3"
pc runs --format json; expect_rc 0
jq -r '.[] | "\(.id) \(.tool) \(.tool_version // "") \(.started_at_source)"' "$T/out" >"$T/json3"
diff "$T/csv3" "$T/json3" >/dev/null || fail "CSV and JSON differ: $(diff "$T/csv3" "$T/json3" | head -4)"
grep -q ' k6 .* ingest$' "$T/csv3" || fail "no k6 run with an ingest-time start: $(cat "$T/csv3")"
done_

case_ "stdin and one-line handleSummary"
pc_in "$K6/S1-smoke-baseline/handle-summary.json" ingest --profile smoke -; expect_rc 0
expect_out "(stdin): run 4: k6-handle-summary smoke/local"
pc_in "$K6/S1-smoke-baseline/handle-summary.json" ingest --profile smoke -; expect_rc 0
expect_out "(stdin): already stored as run 4"
printf 'x\n' >"$T/x.txt"
pc_in "$T/x.txt" ingest -; expect_rc 3; expect_err "perfcmp: (stdin): not JSON"
done_

case_ "show renders table and markdown"
pc show 1; expect_rc 0; expect_out "trends"; expect_out "http_req_duration{name:items-list}"
expect_out "never_used_trend (no samples)"
grep -q "$(printf '\033')" "$T/out" && fail "colour on a pipe"
pc show --format md 1; expect_rc 0; expect_out "| series | unit | count |"; expect_out "|---|---|---:|"
expect_out "## Run 1: k6-summary load/stg"
pc show --format csv 1; expect_rc 2
done_

case_ "selectors"
pc show --format json latest~3; expect_rc 0; expect_jq '.run.id' 1
pc show --format json label:base; expect_rc 0; expect_jq '.run.id' 1
pc show --format json sha:0123; expect_rc 0; expect_jq '.run.id' 1
pc show --format json branch:feat; expect_rc 0; expect_jq '.run.id' 2
pc show --format json --profile load --config stg latest; expect_rc 0; expect_jq '.run.id' 1
pc show latest~9; expect_rc 2; expect_err "perfcmp: latest~9: matches no run: 4 runs stored"
pc show label:nope; expect_rc 2; expect_err "perfcmp: label:nope: matches no run"
pc show 99; expect_rc 2; expect_err "no run with id 99"
pc show nonsense; expect_rc 2; expect_err "not a run selector or a file"; expect_err "hint:"
pc show nosuch.json; expect_rc 3; expect_err "nosuch.json: cannot open: No such file"
pc show branch:; expect_rc 2; expect_err "needs a branch name"
pc --db= runs; expect_rc 2; expect_err "--db needs a PATH"
pc runs --db=; expect_rc 2; expect_err "--db needs a PATH"
pc show --profile nope latest; expect_rc 2; expect_err "in nope/*"
done_

case_ "ambiguous sha prefix"
pc ingest --sha 0123ffff "$K6/S5-stress/summary-export.json"; expect_rc 0
pc show sha:0123; expect_rc 2; expect_err "sha:0123: ambiguous: the prefix matches 2 commits (0123abcd, 0123ffff)"
pc show --format json sha:0123f; expect_rc 0; expect_jq '.run.git_sha' 0123ffff
done_

case_ "a file path as a selector is ingested first"
pc show --format json "$K6/S2-smoke-rerun-noise/summary-export.json"; expect_rc 0
expect_jq '.run.id' 6
pc show --format json "$K6/S2-smoke-rerun-noise/summary-export.json"; expect_rc 0; expect_jq '.run.id' 6
done_

case_ "label, rm and gc"
pc label 4 promoted; expect_rc 0; expect_out "run 4: labelled promoted"; expect_err_empty
pc label 1 promoted; expect_rc 0; expect_err "run 4, newer, has this label too"
pc label --remove 1 promoted; expect_rc 0; expect_out "run 1: label removed: promoted"
[ "$(sqlite3 "$DB" "SELECT count(*) FROM labels WHERE run_id = 1 AND label = 'promoted'")" = 0 ] \
	|| fail "the label is still stored"
[ "$(sqlite3 "$DB" "SELECT count(*) FROM labels WHERE run_id = 4 AND label = 'promoted'")" = 1 ] \
	|| fail "removing run 1's label touched run 4's"
pc label --remove 1 promoted; expect_rc 2; expect_err 'run 1 has no label "promoted"'
expect_one_line_error
pc label --remove 1; expect_rc 2; expect_err "needs a RUN and a TEXT"
pc label; expect_rc 2; expect_err "needs a RUN and a TEXT"
pc label --remove; expect_rc 2; expect_err "needs a RUN and a TEXT"
pc label 77 x; expect_rc 2
pc rm 4 77; expect_rc 2
pc runs --format json; expect_jq 'length' 6
pc rm 4 5; expect_rc 0; expect_out "run 4: deleted"; expect_out "run 5: deleted"
pc runs --format json; expect_jq 'length' 4
pc gc; expect_rc 2; expect_err "--older-than DAYS is required"
pc gc --older-than 0 --dry-run; expect_rc 0; expect_out "would delete 3 runs"
pc runs --format json; expect_jq 'length' 4
pc gc --older-than 0; expect_rc 0; expect_out "deleted 3 runs"
pc runs --format json; expect_jq 'length' 1; expect_jq '.[0].labels[0]' base
[ "$(sqlite3 "$DB" 'SELECT count(*) FROM series WHERE run_id NOT IN (SELECT id FROM runs)')" = 0 ] \
	|| fail "series of deleted runs left behind"
done_

BAD="$T/bad"
mkdir -p "$BAD"
: >"$BAD/empty.json"
printf '   \n' >"$BAD/blank.json"
head -c 3000 "$K6/S3-load-baseline/summary-export.json" >"$BAD/cut.json"
gzip -c "$K6/S3-load-baseline/summary-export.json" | head -c 2000 >"$BAD/cut.json.gz"
printf '{"hello": "world"}' >"$BAD/other.json"
printf 'id,value\n1,2\n' >"$BAD/data.csv"
printf '{"metrics": {"a": 1], "root_group": {}}' >"$BAD/malformed.json"
printf '{"metrics":{"x":{"value":1}},"root_group":{}} trailing' >"$BAD/trailing.json"
printf '\037\213\010\000garbage-not-deflate' >"$BAD/corrupt.gz"

bad_case() { # FILE MESSAGE [ARGS...]
	f=$1
	msg=$2
	shift 2
	before=$(db_state "$DB")
	pc ingest "$@" "$f"
	expect_rc 3
	expect_err "$msg"
	expect_one_line_error
	[ "$(db_state "$DB")" = "$before" ] || fail "the database changed"
}

case_ "bad input: exit 3, one line naming the file, database unchanged"
bad_case "$BAD/empty.json" "perfcmp: $BAD/empty.json: empty file"
bad_case "$BAD/blank.json" "only white space"
bad_case "$BAD/cut.json" "JSON stops at byte 3000"
bad_case "$BAD/cut.json.gz" "truncated gzip stream"
bad_case "$BAD/other.json" "neither k6 nor Playwright"
bad_case "$BAD/data.csv" "not JSON"
bad_case "$BAD/malformed.json" "malformed JSON at byte"
bad_case "$BAD/trailing.json" "unexpected data after the JSON document"
bad_case "$BAD/corrupt.gz" "corrupt gzip data"
bad_case "$BAD/missing.json" "cannot open: No such file or directory"
bad_case "$BAD" "is a directory"
bad_case "$K6/S3-load-baseline/summary-export.json" "over the 1000-byte limit" --max-size 1000
expect_err "hint: raise it with --max-size"
done_

case_ "bad input never creates a database"
rm -f "$T/new.db"
pc --db "$T/new.db" ingest "$BAD/empty.json"; expect_rc 3
[ ! -e "$T/new.db" ] || fail "a database was created for bad input"
done_

case_ "one bad file does not stop the others"
rm -f "$T/mix.db"
pc --db "$T/mix.db" ingest "$BAD/empty.json" "$K6/S1-smoke-baseline/summary-export.json" "$BAD/cut.json"
expect_rc 3; expect_out "run 1: k6-summary"
[ "$(grep -c '^perfcmp: ' "$T/err")" -eq 2 ] || fail "expected two error lines"
done_

case_ "database errors: exit 4"
printf 'this is not sqlite, just text that is long enough to be a header......\n' >"$T/text.db"
pc --db "$T/text.db" ingest "$K6/S1-smoke-baseline/summary-export.json"; expect_rc 4
expect_err "not a perfcmp database"; expect_one_line_error
pc --db "$T/no/such/dir/x.db" ingest "$K6/S1-smoke-baseline/summary-export.json"; expect_rc 4
expect_one_line_error
cp "$DB" "$T/newer.db"
sqlite3 "$T/newer.db" "PRAGMA user_version = 999"
pc --db "$T/newer.db" runs; expect_rc 4; expect_err "written by a newer perfcmp"
expect_err "hint: upgrade perfcmp"
sqlite3 "$T/other.db" "CREATE TABLE t(x); PRAGMA user_version = 0"
pc --db "$T/other.db" runs; expect_rc 4; expect_err "not a perfcmp database"
done_

case_ "every real sample ingests: the fixtures, and ../shared/samples when it is there"
rm -f "$T/all.db"
n=0
for f in "$FIX"/k6/S*/* "$FIX"/k6/public/*.json "$FIX"/k6/*.ndjson "$FIX"/playwright/pw*.json*; do
	pc --db "$T/all.db" ingest "$f"
	[ "$rc" -eq 0 ] || fail "$f: exit $rc"
	n=$((n + 1))
done
[ "$n" -ge 30 ] || fail "only $n fixture files"
done_

if [ -d "$SHARED" ]; then
	case_ "every file of ../shared/samples ingests"
	rm -f "$T/shared.db"
	find "$SHARED" -type f \( -name '*.json' -o -name '*.json.gz' -o -name '*.ndjson' -o -name '*.ndjson.gz' \) \
		! -path '*/suite/*' ! -name 'package*.json' | sort >"$T/shared.list"
	while IFS= read -r f; do
		pc --db "$T/shared.db" ingest "$f"
		[ "$rc" -eq 0 ] || fail "$f: exit $rc: $(head -c 300 "$T/err")"
	done <"$T/shared.list"
	[ "$(wc -l <"$T/shared.list")" -ge 25 ] || fail "too few shared files found"
	done_
else
	skip "shared samples" "../shared/samples is not here"
fi

case_ "a clock jump does not make a months-long dense timeline"
printf '%s\n%s\n' '{"metric":"vus","type":"Point","data":{"time":"2024-01-01T00:00:00Z","value":1,"tags":{}}}' \
	'{"metric":"vus","type":"Point","data":{"time":"2024-04-20T00:00:00Z","value":2,"tags":{}}}' >"$T/far.ndjson"
rm -f "$T/far.db"
pc --db "$T/far.db" ingest "$T/far.ndjson"; expect_rc 0
expect_err "too sparse for a per-second timeline"
[ "$(wc -c <"$T/far.db")" -lt 1000000 ] || fail "the database grew with the time span: $(wc -c <"$T/far.db") bytes"
done_
