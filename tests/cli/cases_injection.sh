# Injection: strings from results files, file names and flags (metric names, tag keys and values,
# labels, profile/config/branch, the file's own name) holding SQL quotes, gnuplot commands,
# Markdown table syntax, XML specials, terminal escapes and newlines come out inert in every
# output: runs (table, json, csv), show (table, json, md), compare (table, md, json, junit,
# csv), plot (svg). cases_compare.sh covers tag values in compare; this covers the rest.

ESC=$(printf '\033')
NL='
'
IDB="$T/inject.db"
# what goes into the JSON of the stream (escaped for JSON) and what it decodes to
J_METRIC="m'; DROP TABLE runs;--|x<y>&\\u001b]0;pwned\\u0007\\nnext_line"
METRIC="m'; DROP TABLE runs;--|x<y>&${ESC}]0;pwned$(printf '\007')${NL}next_line"
J_KEY="k|\\\"key\\\"\\n# | --- |"
J_VAL="'; system(\\\"touch $T/PWNED\\\"); print '\\u001b[2J\\n| a | b |\\n</failure><x>"
VAL="'; system(\"touch $T/PWNED\"); print '${ESC}[2J${NL}| a | b |${NL}</failure><x>"
LABEL="l'); DROP TABLE labels;--${ESC}[31m|<b>${NL}x"
EVILF="$T/evil'\";\$(touch PWNED2)${ESC}[1m|<f>.ndjson"

inject_stream() { # FACTOR
	J_METRIC=$J_METRIC J_KEY=$J_KEY J_VAL=$J_VAL awk -v f="$1" 'BEGIN {
		m = ENVIRON["J_METRIC"]; k = ENVIRON["J_KEY"]; v = ENVIRON["J_VAL"]
		printf "{\"type\":\"Metric\",\"data\":{\"name\":\"%s\",\"type\":\"trend\",\"contains\":\"time\",\"thresholds\":[\"p(95)<1\"],\"submetrics\":null},\"metric\":\"%s\"}\n", m, m
		srand(3)
		for (i = 0; i < 400; i++) {
			s = int(i / 10); ms = (i % 10) * 100
			printf "{\"metric\":\"%s\",\"type\":\"Point\",\"data\":{\"time\":\"2026-12-04T10:%02d:%02d.%03dZ\",\"value\":%.3f,\"tags\":{\"%s\":\"%s\",\"name\":\"n\"}}}\n", m, int(s / 60), s % 60, ms, (20 + rand() * 5) * f, k, v
		}
	}'
}

# no_raw OUTPUT_DESC: stdout holds no escape byte and no line the injection could have started
no_raw() {
	! grep -q "$ESC" "$T/out" || fail "$1: an escape byte reached the output"
	! grep -q '^next_line' "$T/out" || fail "$1: a newline in a metric name started a line"
	! grep -q '^| a | b |' "$T/out" || fail "$1: a newline in a tag value started a table row"
	! grep -q '^# | --- |' "$T/out" || fail "$1: a newline in a tag key started a line"
	! grep -q '^x$' "$T/out" || fail "$1: a newline in a label started a line"
}

KEY="k|\"key\"${NL}# | --- |"
printf '{"k6":[{"metric":"*","by":["","name+%s"],"stats":["p50","p95"],"worse":"higher","relative":0.1}]}\n' \
	"$(printf '%s' "$J_KEY" | sed 's/\\\\/\\/g')" >"$T/inject-profile.json"

case_ "injection: names, tags, labels, keys and file names are inert in runs, show and compare"
rm -f "$IDB" "$T/PWNED" "$T/PWNED2"
inject_stream 1.0 >"$EVILF"
inject_stream 1.6 >"$T/inject2.ndjson"
pc --db "$IDB" ingest --label "$LABEL" --profile "p'$ESC[31m|<p>" --config "c${NL}c" --branch "b'; --$ESC[0m" --sha "'deadbeef" --by "name+$KEY" "$EVILF"
expect_rc 0
pc --db "$IDB" ingest --label "$LABEL" --profile "p'$ESC[31m|<p>" --config "c${NL}c" --branch "b'; --$ESC[0m" --sha "'deadbeef" --by "name+$KEY" "$T/inject2.ndjson"
expect_rc 0
[ "$(sqlite3 "$IDB" "SELECT count(*) FROM runs; SELECT count(*) FROM labels;" | tr '\n' ' ')" = "2 2 " ] || fail "SQL text in names changed the tables"
[ "$(sqlite3 "$IDB" "SELECT label FROM labels LIMIT 1")" = "$LABEL" ] || fail "the label is not stored verbatim"
# CSV fields may hold line breaks (quoted, RFC 4180); escapes never
pc --db "$IDB" runs --format table; expect_rc 0; no_raw "runs"
pc --db "$IDB" runs --format csv; expect_rc 0
! grep -q "$ESC" "$T/out" || fail "runs --format csv: an escape byte reached the output"
pc --db "$IDB" compare --force --profile-file "$T/inject-profile.json" --format csv 1..2
[ "$rc" -le 1 ] || fail "compare --format csv exit $rc"
! grep -q "$ESC" "$T/out" || fail "compare --format csv: an escape byte reached the output"
pc --db "$IDB" runs --format json; expect_rc 0
expect_jq '.[0].labels[0]' "$LABEL"
expect_jq '.[0].file' "$T/inject2.ndjson"
expect_jq '.[1].file' "$EVILF"
expect_jq '.[0].config' "c${NL}c"
for fmt in table md; do
	pc --db "$IDB" show --format $fmt 1; expect_rc 0; no_raw "show --format $fmt"
done
pc --db "$IDB" show --format json 1; expect_rc 0
expect_jq '[.series[].metric] | unique | .[0]' "$METRIC"
expect_jq '[.series[].tags | keys[]] | unique | map(select(startswith("k|"))) | .[0]' "$KEY"
expect_jq '[.series[].tags[]] | unique | map(select(startswith("'"'"'"))) | .[0]' "$VAL"
for fmt in table md; do
	pc --db "$IDB" compare --force --profile-file "$T/inject-profile.json" --format $fmt 1..2; [ "$rc" -le 1 ] || fail "compare --format $fmt exit $rc"
	no_raw "compare --format $fmt"
done
pc --db "$IDB" compare --force --profile-file "$T/inject-profile.json" --format junit 1..2; [ "$rc" -le 1 ] || fail "compare junit exit $rc"
xmllint --noout "$T/out" 2>"$T/xmlerr" || fail "JUnit with hostile names is not well-formed: $(head -c 300 "$T/xmlerr")"
no_raw "compare --format junit"
pc --db "$IDB" compare --force --profile-file "$T/inject-profile.json" --format json 1..2; [ "$rc" -le 1 ] || fail "compare json exit $rc"
expect_jq '[.rows[].metric] | unique | .[0]' "$METRIC"
[ ! -e "$T/PWNED" ] && [ ! -e "$T/PWNED2" ] && [ ! -e PWNED2 ] || fail "a string from a results file ran a command"
done_

case_ "injection: errors and warnings quote file names and file content inert, on one line"
printf '{"metrics":{"%s":{"avg":1,"min":1,"med":1,"max":1,"p(90)":1,"p(95)":1},"%s":{"avg":1,"min":1,"med":1,"max":1,"p(90)":1,"p(95)":1}},"root_group":{"name":"","path":"","id":"x","groups":{},"checks":{}}}\n' \
	"$J_METRIC" "$J_METRIC" >"$T/dup-evil.json"
pc --db "$IDB" ingest "$T/dup-evil.json"; expect_rc 3; expect_one_line_error
! grep -q "$ESC" "$T/err" || fail "an escape byte from the file reached stderr"
expect_err 'appears twice'
expect_err '\x1b]0;pwned\x07\x0anext_line'
: >"$T/evil${ESC}]0;x${NL}y.json"
pc --db "$IDB" ingest "$T/evil${ESC}]0;x${NL}y.json"; expect_rc 3; expect_one_line_error
! grep -q "$ESC" "$T/err" || fail "an escape byte from a file name reached stderr"
expect_err 'evil\x1b]0;x\x0ay.json: empty file'
pc --db "$IDB" ingest "$EVILF"; expect_rc 0
! grep -q "$ESC" "$T/out" "$T/err" || fail "an escape byte from a file name reached the ingest report"
done_

case_ "injection: gnuplot sees results-file strings as data (plot svg)"
if command -v gnuplot >/dev/null; then
	for kind in compare cdf timeline; do
		pc --db "$IDB" plot $kind --force --by "k|\"key\"${NL}# | --- |" -o "$T/inject-$kind.svg" 1..2 2>/dev/null ||
			pc --db "$IDB" plot $kind -o "$T/inject-$kind.svg"
		[ "$rc" -eq 0 ] || { [ "$rc" -eq 2 ] && continue; fail "plot $kind exit $rc"; }
		xmllint --noout "$T/inject-$kind.svg" 2>"$T/xmlerr" || fail "plot $kind: SVG not well-formed: $(head -c 300 "$T/xmlerr")"
		! grep -q "$ESC" "$T/inject-$kind.svg" || fail "plot $kind: an escape byte reached the SVG"
	done
	pc --db "$IDB" plot trend "$METRIC" -o "$T/inject-trend.svg"
	[ "$rc" -le 2 ] || fail "plot trend exit $rc"
	[ ! -e "$T/inject-trend.svg" ] || xmllint --noout "$T/inject-trend.svg" || fail "plot trend: SVG not well-formed"
	[ ! -e "$T/PWNED" ] || fail "gnuplot ran a command from a tag value"
	done_
else
	skip "injection: plot" "gnuplot is not installed"
fi

case_ "CSV: text cells that look like spreadsheet formulas stay text"
rm -f "$T/formula.db"
pc --db "$T/formula.db" ingest --profile "=HYPERLINK(\"http://x\")" --label "@SUM(A1)" --branch "+cmd" \
	"$K6/S1-smoke-baseline/summary-export.json"
expect_rc 0
pc --db "$T/formula.db" runs --format csv; expect_rc 0
expect_out "'=HYPERLINK"
expect_out "'@SUM(A1)"
expect_out "'+cmd"
grep -q ',=\|,"=\|,@\|,+' "$T/out" && fail "a formula-like cell starts a field"
pc --db "$T/formula.db" runs --format json; expect_jq '.[0].profile' '=HYPERLINK("http://x")'
done_
