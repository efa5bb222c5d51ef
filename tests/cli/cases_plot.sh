# plot and report: every chart kind from the real samples (SVG well-formed, titles, series and
# axis labels; PNG signature; same bytes twice), injection through tag values, missing,
# failing and hanging gnuplot, and report --update on a document with several regions.

PDB="$T/plot.db"
PRS="$ROOT/results-sample"
pc --db "$PDB" ingest --config dev_perf --sha 0123456789abcdef --label load-base "$PRS/k6/load-baseline.ndjson.gz"
pc --db "$PDB" ingest --config dev_perf --sha 0123456789abcdef --label load-cand "$PRS/k6/load-candidate.ndjson.gz"
pc --db "$PDB" ingest "$PRS/playwright/smoke-baseline.json.gz" "$PRS/playwright/smoke-candidate.json.gz"

# svg_ok FILE TEXT...: well-formed XML holding every TEXT
svg_ok() {
	f=$1
	shift
	xmllint --noout "$f" 2>"$T/xmlerr" || fail "$f is not well-formed XML: $(head -c 300 "$T/xmlerr")"
	for want in "$@"; do
		grep -qF -- "$want" "$f" || fail "$f lacks: $want"
	done
}

case_ "plot trend: title, series names, axis labels with units, regression marked"
pc --db "$PDB" plot trend --profile load -o "$T/trend.svg"; expect_rc 0; expect_err_empty
svg_ok "$T/trend.svg" "http_req_duration across 2 runs of load/dev_perf" ">p50<" ">p95<" ">p99<" \
	"http_req_duration (ms)" "run (id, git commit or label)" "regression against the run before" "#2 load-cand"
pc --db "$PDB" plot trend --profile load 'http_req_duration{name:nope}'; expect_rc 2
expect_err "no run has the series http_req_duration{name:nope}"
done_

case_ "plot compare: bars per endpoint, worst first, whiskers explained"
pc --db "$PDB" plot compare -o "$T/compare.svg" 1..2; expect_rc 0
svg_ok "$T/compare.svg" "http_req_duration p95: baseline run 1 vs candidate run 2, load/dev_perf" \
	"baseline run 1" "candidate run 2" "name:items-list" "http_req_duration p95 (ms)" "95% interval within the run"
first=$(grep -oE '[+-][0-9.]+% \(' "$T/compare.svg" | head -n 1)
[ "$first" = "+84.1% (" ] || fail "the worst change (items-list, +84.1%) is not first: $first"
# the Playwright pair's profile compares p50 only: the error names what there is
pc --db "$PDB" plot compare --stat p95 3..4; expect_rc 2; expect_err "no p95 rows to draw"
expect_err "hint: the profile compares p50"
done_

case_ "plot cdf: two distributions on a log axis"
pc --db "$PDB" plot cdf -o "$T/cdf.svg" label:load-base..label:load-cand; expect_rc 0
svg_ok "$T/cdf.svg" "http_req_duration distribution" "baseline run 1 (2615 samples)" "candidate run 2" \
	"http_req_duration (ms, log scale)" "samples at or below the value (%)" ">p95<"
done_

case_ "plot timeline: requests, failures, VUs on a second axis, latency"
pc --db "$PDB" plot timeline -o "$T/timeline.svg" 2; expect_rc 0
svg_ok "$T/timeline.svg" "run 2 over time: load/dev_perf" "requests/s" "failed requests/s" "VUs (right axis)" \
	"virtual users (VUs)" "http_req_duration (ms)" "time since the first request (s)" "p95 of the second"
pc --db "$PDB" plot timeline 3; expect_rc 2; expect_err "no per-second timeline"; expect_one_line_error
done_

case_ "plot tests: Playwright tests by title and project"
pc --db "$PDB" plot tests -o "$T/tests.svg" 3..4; expect_rc 0
svg_ok "$T/tests.svg" "duration p50: baseline run 3 vs candidate run 4, smoke/dev_perf" \
	"products API latency (chromium-desktop)" "duration p50 (ms)"
pc --db "$PDB" plot tests 1..2; expect_rc 2; expect_err "for Playwright runs"
done_

case_ "plot: PNG signature; SVG on stdout; the same bytes twice"
pc --db "$PDB" plot cdf -o "$T/cdf.png" 1..2; expect_rc 0
[ "$(head -c 8 "$T/cdf.png" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ] || fail "not a PNG"
pc --db "$PDB" plot cdf -o "$T/cdf2.png" 1..2
cmp -s "$T/cdf.png" "$T/cdf2.png" || fail "two PNG renderings differ"
for k in "trend --profile load" "compare 1..2" "timeline 2"; do
	# shellcheck disable=SC2086
	pc --db "$PDB" plot $k; expect_rc 0; cp "$T/out" "$T/a.svg"
	# shellcheck disable=SC2086
	pc --db "$PDB" plot $k -o -; expect_rc 0
	cmp -s "$T/out" "$T/a.svg" || fail "$k: two renderings differ"
	head -c 5 "$T/a.svg" | grep -q '<?xml' || fail "$k: stdout is not SVG"
done
grep -qE '20[0-9][0-9]-[01][0-9]-[0-3][0-9]T|CreationDate' "$T/a.svg" && fail "a timestamp in the SVG"
pc --db "$PDB" plot cdf --title "custom title" --width 640 --height 400 1..2; expect_rc 0
grep -q 'width="640" height="400"' "$T/out" || fail "--width/--height ignored"
expect_out "custom title"
done_

case_ "plot usage errors: exit 2"
pc --db "$PDB" plot; expect_rc 2; expect_err "which chart"
pc --db "$PDB" plot pie; expect_rc 2; expect_err "unknown chart 'pie'"
pc --db "$PDB" plot cdf -o chart.pdf 1..2; expect_rc 2; expect_err "FILE.svg, FILE.png or -"
pc --db "$PDB" plot cdf 1..; expect_rc 2; expect_err "a range is BASE..CAND"
pc --db "$PDB" plot cdf --width 5 1..2; expect_rc 2
pc --db "$PDB" plot trend 'http_req_duration{name' ; expect_rc 2; expect_err "METRIC{tag:value"
pc --db "$PDB" help plot; expect_rc 0; expect_out "example:"
pc --db "$PDB" help report; expect_rc 0; expect_out "example:"
done_

case_ "injection: a hostile tag value renders as text and runs nothing"
inj="$T/inj"
mkdir -p "$inj"
for side in 1 2; do
	: >"$inj/run$side.ndjson"
	i=0
	while [ $i -lt 40 ]; do
		v=$((10 + i % 7 + side * 3))
		printf '{"metric":"http_req_duration","type":"Point","data":{"time":"2026-01-0%dT10:00:%02d.000Z","value":%d,"tags":{"name":"`touch pwned2` @A ^{x}_y <b>& \\"; system(\\"touch pwned\\"); \\" x'"'"'; system('"'"'touch pwned3'"'"'); '"'"'\\nsystem(\\"touch pwned4\\")","profile":"inj"}}}\n' \
			"$side" "$i" "$v" >>"$inj/run$side.ndjson"
		i=$((i + 1))
	done
done
IDB="$T/inj.db"
pc --db "$IDB" ingest --config dev "$inj/run1.ndjson" "$inj/run2.ndjson"; expect_rc 0
( cd "$inj" && "$PERFCMP" --db "$IDB" plot compare --stat p50 --by name -o "$inj/c.svg" 1..2 ) 2>"$T/err"
[ $? -eq 0 ] || fail "plot compare with the hostile tag failed: $(cat "$T/err")"
val='`touch pwned2` @A ^{x}_y <b>& "; system("touch pwned"); " x'"'"'; system('"'"'touch pwned3'"'"'); '"'"'
system("touch pwned4")'
( cd "$inj" && "$PERFCMP" --db "$IDB" plot cdf --metric "http_req_duration{name:$val}" -o "$inj/d.svg" 1..2 ) \
	2>>"$T/err" || fail "plot cdf failed: $(cat "$T/err")"
for f in pwned pwned2 pwned3 pwned4; do
	[ ! -e "$inj/$f" ] && [ ! -e "$T/$f" ] && [ ! -e "$f" ] || fail "the tag value ran a command: $f exists"
done
svg_ok "$inj/c.svg" '`touch pwned2` @A ^{x}_y &lt;b>&amp; "; syst'
svg_ok "$inj/d.svg" '`touch pwned2` @A ^{x}_y &lt;b>&amp; "; system("touch pwned"); " x'"'"'; system('"'"'touch pwned3'"'"'); '"'"' system("touch pwned4")}'

pc --db "$IDB" show --format json 2; expect_rc 0
jq -r '.series[] | select(.metric == "http_req_duration" and .tags.name != null) | .tags.name' "$T/out" | grep -q "touch pwned4" \
	|| fail "the hostile tag value did not reach the store whole"
done_

case_ "gnuplot missing: exit 4, one line and the install command"
mkdir -p "$T/nognuplot"
PATH="$T/nognuplot" "$PERFCMP" --db "$PDB" plot cdf -o "$T/none.svg" 1..2 >"$T/out" 2>"$T/err"
rc=$?
expect_rc 4
expect_err "perfcmp: plot: gnuplot not found"
expect_err "hint: sudo apt-get install gnuplot-nox"
expect_one_line_error
[ ! -e "$T/none.svg" ] || fail "an output file was left behind"
done_

case_ "gnuplot failing or hanging: exit 4 with its stderr; stopped after --timeout"
mkdir -p "$T/fakegp"
printf '#!/bin/sh\necho "line 7: all gone wrong" >&2\nexit 1\n' >"$T/fakegp/gnuplot"
chmod +x "$T/fakegp/gnuplot"
PATH="$T/fakegp" "$PERFCMP" --db "$PDB" plot cdf 1..2 >"$T/out" 2>"$T/err"
rc=$?
expect_rc 4; expect_err "gnuplot failed (exit 1): line 7: all gone wrong"; expect_one_line_error
printf '#!/bin/sh\nexec /bin/sleep 30\n' >"$T/fakegp/gnuplot"
start=$(date +%s)
PATH="$T/fakegp" "$PERFCMP" --db "$PDB" plot cdf --timeout 1 1..2 >"$T/out" 2>"$T/err"
rc=$?
expect_rc 4; expect_err "timed out"
[ $(($(date +%s) - start)) -lt 10 ] || fail "the timeout did not stop gnuplot"
done_

case_ "report on stdout: runs, the comparison, exit 1 on a regression"
pc --db "$PDB" report --profile load; expect_rc 1
expect_out '# perfcmp report: load/dev\_perf'
expect_out "| Run | Started (UTC) |"
expect_out "**perfcmp: regression**"
pc --db "$PDB" report --profile load --fail-on never --charts "$T/ch"; expect_rc 0
expect_out "]($T/ch/trend-load-dev_perf.svg)"
xmllint --noout "$T/ch/trend-load-dev_perf.svg" || fail "chart not written"
done_

case_ "runs in a scope with no runs names the scope"
pc --db "$PDB" runs --profile load --config stg; expect_rc 0
expect_err "no runs stored with profile load and config stg"
done_

case_ "report RANGE: the profile, config and charts are the range's, not the newest run's"
# the newest run here is a Playwright one (smoke/local); 1..2 are the k6 load runs
pc --db "$PDB" report --fail-on never --charts "$T/rch" 1..2; expect_rc 0
expect_out '# perfcmp report: load/dev\_perf'
expect_out "<!-- perfcmp:begin compare load/dev_perf 1..2 -->"
expect_out "baseline run 1 → candidate run 2, profile load"
expect_out "]($T/rch/timeline-load-dev_perf-2.svg)"
xmllint --noout "$T/rch/timeline-load-dev_perf-2.svg" || fail "timeline of run 2 not written"
pc --db "$PDB" report 9..2; expect_rc 2; expect_err "9"; expect_one_line_error
done_

case_ "report --update: regions rewritten, outside untouched, idempotent"
mkdir -p "$T/doc"
cat >"$T/doc/perf.md" <<'DOC'
# Perf notes

Hand-written text with <!-- perfcmp:begin runs --> in a sentence, and `code`.

<!-- perfcmp:begin runs load/dev_perf -->
stale
<!-- perfcmp:end runs load/dev_perf -->

```md
<!-- perfcmp:begin compare not/real 1..2 -->
```

<!-- perfcmp:begin compare load/dev_perf label:load-base..label:load-cand -->
<!-- perfcmp:end compare load/dev_perf label:load-base..label:load-cand -->

<!-- perfcmp:begin cdf load/dev_perf 1..2 -->
<!-- perfcmp:end cdf load/dev_perf 1..2 -->

<!-- perfcmp:begin trend load/dev_perf http_req_duration{name:items-list} -->
<!-- perfcmp:end trend load/dev_perf http_req_duration{name:items-list} -->

Closing words.
DOC
cp "$T/doc/perf.md" "$T/doc/orig.md"
pc --db "$PDB" report --fail-on never --update "$T/doc/perf.md"; expect_rc 0
grep -q 'stale' "$T/doc/perf.md" && fail "the runs region was not rewritten"
grep -qF '| 2 | 2026-12-04T19:16:53 | k6-points |' "$T/doc/perf.md" || fail "no runs table"
grep -qF '](perf.cdf-load-dev_perf-1..2.svg)' "$T/doc/perf.md" || fail "no relative chart link"
xmllint --noout "$T/doc/perf.cdf-load-dev_perf-1..2.svg" || fail "the chart beside the document is not SVG"
ls "$T/doc"/perf.trend-*.svg >/dev/null 2>&1 || fail "no trend chart"
# outside the regions: the same lines as before
grep -v '^|' "$T/doc/orig.md" | grep -v '^stale$' >"$T/doc/a.txt"
awk '/perfcmp:begin (runs|compare|cdf|trend) [a-z]/ && !/not\/real/ {print; skip=1; next} /perfcmp:end/ {skip=0} !skip' \
	"$T/doc/perf.md" >"$T/doc/b.txt"
diff "$T/doc/a.txt" "$T/doc/b.txt" >/dev/null || fail "text outside the regions changed: $(diff "$T/doc/a.txt" "$T/doc/b.txt" | head -5)"
cp "$T/doc/perf.md" "$T/doc/first.md"
cp "$T/doc/perf.cdf-load-dev_perf-1..2.svg" "$T/doc/first.svg"
pc --db "$PDB" report --fail-on never --update "$T/doc/perf.md"; expect_rc 0
cmp -s "$T/doc/perf.md" "$T/doc/first.md" || fail "a second run changed the document"
cmp -s "$T/doc/perf.cdf-load-dev_perf-1..2.svg" "$T/doc/first.svg" || fail "a second run changed a chart"
pc --db "$PDB" report --update "$T/doc/perf.md"; expect_rc 1
expect_no_err "no <!-- perfcmp:begin"
# a document with no region: said, and left as it is
printf '# notes\n' >"$T/doc/none.md"
pc --db "$PDB" report --update "$T/doc/none.md"; expect_rc 0
expect_err "none.md: no <!-- perfcmp:begin NAME --> ... <!-- perfcmp:end NAME --> region to update"
[ "$(cat "$T/doc/none.md")" = "# notes" ] || fail "the document changed"
done_

case_ "report --update: a missing end marker names the line and leaves the file unchanged"
printf 'keep me\n<!-- perfcmp:begin runs -->\n<!-- perfcmp:end runs -->\n\n<!-- perfcmp:begin runs load/dev_perf -->\nold\n' >"$T/doc/broken.md"
cp "$T/doc/broken.md" "$T/doc/broken.orig"
pc --db "$PDB" report --update "$T/doc/broken.md"; expect_rc 3
expect_err "broken.md: line 5: begin marker 'runs load/dev_perf' has no end marker"
expect_one_line_error
cmp -s "$T/doc/broken.md" "$T/doc/broken.orig" || fail "the file changed"
ls "$T/doc" | grep -q 'broken.md.tmp' && fail "a temporary file was left"
printf '# doc\n<!-- perfcmp:begin pie 1..2 -->\n<!-- perfcmp:end pie 1..2 -->\n' >"$T/doc/kind.md"
pc --db "$PDB" report --update "$T/doc/kind.md"; expect_rc 3; expect_one_line_error
expect_err "kind.md: line 2: region 'pie 1..2': unknown kind: runs, compare, trend, cdf, timeline or tests"
pc --db "$PDB" report --update "$T/doc/nope.md"; expect_rc 3; expect_err "cannot read"
done_

case_ "report on stdout: a profile the marker grammar cannot carry (a space) still reports"
jq '.config.metadata.profile = "my prof"' "$FIX/playwright/pw1.65.2_smoke_baseline-c.json" >"$T/sp1.json"
jq '.config.metadata.profile = "my prof" | .stats.duration += 1' "$FIX/playwright/pw1.65.2_smoke_baseline-c.json" >"$T/sp2.json"
rm -f "$T/sp.db"
pc --db "$T/sp.db" ingest "$T/sp1.json" "$T/sp2.json"; expect_rc 0
pc --db "$T/sp.db" report --fail-on never; expect_rc 0
expect_out "# perfcmp report: my prof/dev\\_perf"
expect_out "**perfcmp: inconclusive**"
done_
