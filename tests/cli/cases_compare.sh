# compare and profiles: real pairs, every output format, selectors, windows, errors, escaping.

CDB="$T/cmp.db"
RS="$ROOT/results-sample"
PWF="$FIX/playwright"

case_ "compare the load pair: a regression, exit 1"
pc --db "$CDB" ingest --config dev_perf "$RS/k6/load-baseline.ndjson.gz" "$RS/k6/load-candidate.ndjson.gz"
expect_rc 0
pc --db "$CDB" 1..2
expect_rc 1
expect_out "verdict: regression"
grep -E '^regression +http_req_duration +p50 ' "$T/out" >/dev/null || fail "no p50 regression of the whole metric"
grep -E '^regression +http_req_duration\{name:items-list\} +p50 ' "$T/out" >/dev/null || fail "no items-list p50 regression"
pc --db "$CDB" compare --fail-on never 1..2; expect_rc 0
pc --db "$CDB" compare; expect_rc 1; expect_out "baseline run 1 → candidate run 2"
done_

case_ "a file selector whose path has '..' (../run.ndjson.gz..2) splits at the range's '..'"
mkdir -p "$T/up/sub"
cp "$RS/k6/load-baseline.ndjson.gz" "$T/up/base.ndjson.gz"
# shellcheck disable=SC2086
( cd "$T/up/sub" && $PERFCMP_WRAP "$PERFCMP" --db "$CDB" compare --fail-on never ../base.ndjson.gz..2 ) \
	>"$T/out" 2>"$T/err"
rc=$?
check_report
expect_rc 0
expect_out "baseline run 1 → candidate run 2"
done_

case_ "show --metric keeps the matching series"
pc --db "$CDB" show --format json --metric 'http_req_dur*' 2; expect_rc 0
expect_jq '[.series[].metric] | unique | join(",")' http_req_duration
expect_jq '[.series[] | select(.tags == {})][0].stats.count' 2481
pc --db "$CDB" show --format json --metric 'nothing*' 2; expect_rc 0; expect_jq '.series | length' 0
done_

case_ "compare json: the SPEC shape, every regression beyond budget and significant"
pc --db "$CDB" compare --format json 1..2; expect_rc 1
expect_jq '.verdict' regression
expect_jq '.baseline.runs | join(",")' 1
expect_jq '.candidate.runs | join(",")' 2
expect_jq '(.rows | length) as $n | [.rows[] | select(has("metric") and has("tags") and has("stat") and has("unit")
	and has("baseline") and has("candidate") and has("delta_pct") and has("verdict") and has("reason"))] | length == $n' true
expect_jq '[.rows[] | select(.verdict == "regression" and (.p_holm >= 0.05 or .delta_pct <= 10))] | length' 0
expect_jq '.rows[0].verdict' regression
expect_jq '[.rows[] | select(.metric == "http_req_duration" and .tags == {} and .stat == "p50")][0].baseline | . * 100 | round' 1465
done_

case_ "compare md, junit and csv"
pc --db "$CDB" compare --format md 1..2; expect_rc 1
expect_out "**perfcmp: regression**"
expect_out "| Verdict | Series | Stat |"
pc --db "$CDB" compare --format junit 1..2; expect_rc 1
xmllint --noout "$T/out" || fail "JUnit is not well-formed XML"
[ "$(grep -c '<failure ' "$T/out")" -ge 2 ] || fail "regressions are not failures"
expect_out 'classname="http_req_duration{name:items-list}"'
pc --db "$CDB" compare --format csv 1..2; expect_rc 1
head -n 1 "$T/out" | grep -q '^metric,tags,stat,unit,baseline,candidate,delta_pct,verdict,reason' \
	|| fail "CSV columns are not the JSON fields in order"
pc --db "$CDB" compare --format junit --fail-on never --only-changed --metric 'iteration_*' 1..2; expect_rc 0
grep -q 'http_req_duration' "$T/out" && fail "--metric did not filter"
pc --db "$CDB" compare --format json --by name --metric http_req_duration 1..2
expect_jq '[.rows[].tags | keys[]] | unique | join(",")' name
done_

case_ "the smoke noise pair is not a regression"
pc --db "$CDB" ingest --config dev_perf "$RS/k6/smoke-baseline.ndjson.gz" "$RS/k6/smoke-rerun.ndjson.gz"
expect_rc 0
pc --db "$CDB" compare --format json 3..4; expect_rc 0
expect_jq '.profile' smoke
expect_jq '[.rows[].stat] | unique | join(",")' "p50,rate"
pc --db "$CDB" compare --format json --profile-file "$ROOT/profiles/load.json" 3..4; expect_rc 0
expect_jq '.verdict' inconclusive
expect_jq '[.rows[] | select(.stat == "p95" and .tags == {} and .metric == "http_req_duration")][0].reason | test("needs >= 72 samples")' true
pc --db "$CDB" compare --fail-on inconclusive 3..4; expect_rc 1
done_

case_ "options after the range; a rule that matches nothing warns; CSV carries the intervals"
pc --db "$CDB" 1..2 --format json --fail-on never; expect_rc 0; expect_jq '.verdict' regression
printf '{"k6": [{"metric": "http_req_duratoin", "stats": ["p50"]}, {"metric": "checks", "stats": ["rate"]}]}' >"$T/typo.json"
pc --db "$CDB" compare --profile-file "$T/typo.json" 1..2; expect_rc 0
expect_err 'the rule for "http_req_duratoin" matched no series'
expect_out 'checks'
# a profile that compares nothing is an error, never a passing gate
printf '{"k6": [{"metric": "http_req_duratoin", "stats": ["p50"]}]}' >"$T/typo.json"
pc --db "$CDB" compare --profile-file "$T/typo.json" 1..2; expect_rc 2; expect_one_line_error
expect_err 'nothing compared: profile typo: the rule for "http_req_duratoin" matched no series'
printf '{"k6": [{"metric": "http_req_duration", "stats": ["p42"]}]}' >"$T/typo.json"
pc --db "$CDB" compare --profile-file "$T/typo.json" 1..2; expect_rc 2; expect_one_line_error
expect_err 'matched 1 series, but none of its statistics (p42) is in both sides'
printf '{"k6": [{"metric": "http_req_duration", "stats": ["p(95)"]}]}' >"$T/typo.json"
pc --db "$CDB" compare --profile-file "$T/typo.json" 1..2; expect_rc 3; expect_err 'unknown statistic "p(95)"'
printf '{"k6": [{"metric": "x", "stats": ["p50"],, }]}' >"$T/typo.json"
pc --db "$CDB" compare --profile-file "$T/typo.json" 1..2; expect_rc 3; expect_one_line_error
expect_err 'typo.json: malformed JSON at byte 42' # 0-based: just past the second comma (41)
pc --db "$CDB" compare --format csv --fail-on never 1..2
head -n 1 "$T/out" | grep -q 'p_holm,baseline_interval_low,baseline_interval_high,candidate_interval_low' \
	|| fail "CSV lacks the interval columns"
done_

case_ "compare errors: exit 2 with what matched"
pc --db "$CDB" compare 1..; expect_rc 2; expect_err "a range is BASE..CAND"
pc --db "$CDB" compare 99..1; expect_rc 2; expect_err "no run with id 99"
pc --db "$CDB" compare 2..2; expect_rc 2; expect_err "is on both sides"
pc --db "$CDB" compare --format xml 1..2; expect_rc 2
pc --db "$CDB" compare --fail-on sometimes 1..2; expect_rc 2
pc --db "$CDB" compare last:0..2; expect_rc 2; expect_err "last:N takes N"
pc --db "$CDB" compare --profile nope latest~1..latest; expect_rc 2; expect_err "matches no run"
done_

case_ "not comparable: other tool; other VU shape without --force"
pc --db "$CDB" ingest "$PWF/pw1.65.2_smoke_baseline-c.json"; expect_rc 0
pc --db "$CDB" compare 5..1; expect_rc 2; expect_err "not comparable"
pc --db "$CDB" ingest --config dev_perf "$FIX/k6/S5-stress/points.ndjson.gz"; expect_rc 0
pc --db "$CDB" compare 1..6; expect_rc 2; expect_err "VU shape"; expect_err "hint:"
pc --db "$CDB" compare --force --fail-on never 1..6; expect_rc 0; expect_err "warning: compare: the VU shape differs"
done_

case_ "windows: last:N before the candidate (random effects)"
pc --db "$CDB" ingest "$PWF/pw1.65.2_smoke_candidate-c.json.gz" "$PWF/pw1.65.2_smoke_baseline-d.json.gz" \
	"$PWF/pw1.65.2_repeat5_baseline.json.gz"
expect_rc 0
# start times: baseline-c < candidate-c < baseline-d < repeat5? the window is what started before
pc --db "$CDB" compare --format json --profile smoke --config dev_perf last:2..latest
expect_rc 0
expect_jq '.baseline.runs | length' 2
expect_jq '[.rows[] | select(.metric == "perf:ttfb")][0].noise | test("runs")' true
pc --db "$CDB" compare --format json --profile smoke --config dev_perf last:9..latest
expect_err "warning: last:9: only 3 runs before the candidate"
expect_jq '.baseline.runs | length' 3
done_

case_ "profiles"
pc profiles; expect_rc 0
for p in default smoke load stress soak spike breakpoint playwright; do expect_out "$p "; done
pc profiles load; expect_rc 0; expect_out "http_req_duration"; expect_out "budget 10%"
pc profiles nope; expect_rc 2; expect_err "no profile named 'nope'"
mkdir -p "$T/prof"
printf '{"k6": [{"metric": "http_req_duration", "stats": ["p50"], "relative": 0.5, "absolute": 0}]}' >"$T/prof/load.json"
pc --db "$CDB" compare --profiles "$T/prof" --format json 1..2; expect_rc 0
expect_jq '.rows | length' 1
expect_jq '.profile' load
pc --db "$CDB" compare --profile-file "$T/prof/load.json" --format json 1..2; expect_rc 0
printf '{"k6": [{"metric": 3}]}' >"$T/prof/bad.json"
pc --db "$CDB" compare --profile-file "$T/prof/bad.json" 1..2; expect_rc 3; expect_err "profile $T/prof/bad.json"
done_

# Two small runs whose request name holds Markdown, XML, CSV and terminal syntax.
evil_stream() { # FACTOR
	awk -v f="$1" 'BEGIN {
		name = "a|b`c<d>&\\\"e\\u001b[31mred,x"
		print "{\"type\":\"Metric\",\"data\":{\"name\":\"http_req_duration\",\"type\":\"trend\",\"contains\":\"time\",\"thresholds\":[],\"submetrics\":null},\"metric\":\"http_req_duration\"}"
		srand(7)
		for (i = 0; i < 600; i++) {
			s = int(i / 10); ms = (i % 10) * 100
			printf "{\"metric\":\"http_req_duration\",\"type\":\"Point\",\"data\":{\"time\":\"2026-12-04T10:%02d:%02d.%03dZ\",\"value\":%.3f,\"tags\":{\"name\":\"%s\",\"status\":\"200\"}}}\n", int(s / 60), s % 60, ms, (20 + rand() * 5) * f, name
		}
	}'
}

case_ "names from results files are inert in every format"
evil_stream 1.0 >"$T/evil1.ndjson"
evil_stream 1.5 >"$T/evil2.ndjson"
rm -f "$T/evil.db"
pc --db "$T/evil.db" ingest "$T/evil1.ndjson" "$T/evil2.ndjson"; expect_rc 0
pc --db "$T/evil.db" compare --format md 1..2; expect_rc 1
expect_out 'a\|b'"'"'c<d>&'
grep -q "$(printf '\033')" "$T/out" && fail "an escape byte reached the Markdown"
pc --db "$T/evil.db" compare --format junit 1..2
xmllint --noout "$T/out" || fail "JUnit with hostile names is not well-formed"
expect_out 'a|b`c&lt;d&gt;&amp;&quot;e'
pc --db "$T/evil.db" compare --format json 1..2
expect_jq '[.rows[].tags.name][0]' "$(printf 'a|b`c<d>&"e\033[31mred,x')"
pc --db "$T/evil.db" compare --format csv 1..2
expect_out '"{""name"":""a|b`c<d>&\""e\u001b[31mred,x""}"'
pc --db "$T/evil.db" compare 1..2
grep -q "$(printf '\033')" "$T/out" && fail "an escape byte reached the terminal"
expect_out 'a|b`c<d>&"e\x1b[31mred,x'
done_
