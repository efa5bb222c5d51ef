#!/bin/sh
# Hostile inputs for perfcmp, generated at test time (nothing large is committed).
# Usage: sh tests/hostile/gen.sh small|big OUTDIR
#   small: a few KiB each (tests/cli/cases_hostile.sh, run under ASan and valgrind too)
#   big:   100 MB lines, gzip bombs, 100,000 metrics, 200,000 tests (tests/stress/stress_big.sh)
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
FIX="$ROOT/tests/fixtures"
O=$2
mkdir -p "$O"
SUM="$FIX/k6/S1-smoke-baseline/summary-export.json"
PTS="$FIX/k6/S1-smoke-baseline/points.ndjson.gz"

metric() { # metric NAME TYPE: a k6 Metric line
	printf '{"type":"Metric","data":{"name":"%s","type":"%s","contains":"time","thresholds":[],"submetrics":null},"metric":"%s"}\n' "$1" "$2" "$1"
}
point() { # point NAME VALUE [TAGS]: a k6 Point line
	printf '{"metric":"%s","type":"Point","data":{"time":"2026-12-04T19:15:50.422324693Z","value":%s,"tags":%s}}\n' "$1" "$2" "${3:-{\}}"
}

small() {
	# gzip: a points stream cut mid-member (k6 killed), a summary cut, two members in one file
	head -c 4000 "$PTS" >"$O/cut-points.ndjson.gz"
	gzip -c "$SUM" | head -c 1500 >"$O/cut-summary.json.gz"
	half=$(($(wc -c <"$SUM") / 2))
	{ head -c "$half" "$SUM" | gzip -c; tail -c +$((half + 1)) "$SUM" | gzip -c; } >"$O/members.json.gz"
	# nesting: a document 100,000 deep; a points stream with one such line
	{ printf '{"metrics":'; i=0; while [ $i -lt 100 ]; do printf '%01000d' 0 | tr 0 '['; i=$((i + 1)); done
	  i=0; while [ $i -lt 100 ]; do printf '%01000d' 0 | tr 0 ']'; i=$((i + 1)); done; printf '}\n'; } >"$O/nested.json"
	{ metric http_req_duration trend; point http_req_duration 12.5
	  printf '{"metric":"x","type":"Point","data":'; printf '%05000d' 0 | tr 0 '['; printf '%05000d' 0 | tr 0 ']'; printf '}\n'
	  point http_req_duration 13.5; } >"$O/nested-line.ndjson"
	# bytes: invalid UTF-8 and NUL in names, tags and the document
	{ metric "bad_utf8_$(printf '\377\376')_ms" trend
	  point "bad_utf8_$(printf '\377\376')_ms" 1 "{\"name\":\"$(printf '\300\257\355\240\200')\"}"
	  point "bad_utf8_$(printf '\377\376')_ms" 2 "{\"name\":\"$(printf '\300\257\355\240\200')\"}"; } >"$O/bad-utf8.ndjson"
	{ head -c 200 "$SUM"; printf '\000'; tail -c +201 "$SUM"; } >"$O/nul.json"
	{ metric http_req_duration trend; point http_req_duration 1
	  printf '{"metric":"http_req_duration","type":"Point","data":{"time":"2026-12-04T19:15:51Z","value":2\000,"tags":{}}}\n'
	  point http_req_duration 3; } >"$O/nul.ndjson"
	# duplicate keys: a metric twice (the second wins in cJSON lookups), a field twice
	printf '{"metrics":{"http_req_duration":{"avg":1,"min":1,"med":1,"max":1,"p(90)":1,"p(95)":1},"http_req_duration":{"avg":2,"min":2,"med":2,"max":2,"p(90)":2,"p(95)":2,"p(95)":3},"iterations":{"count":5,"rate":1,"count":6}},"root_group":{"name":"","path":"","id":"x","groups":{},"checks":{}}}\n' >"$O/dup-keys.json"
	{ metric http_req_duration trend; point http_req_duration 1 '{"name":"a","name":"b"}'; } >"$O/dup-keys.ndjson"
	# numbers: 1e999 (inf after strtod), -0, 1e-400 (underflow), NaN and Infinity tokens
	printf '{"metrics":{"http_req_duration":{"avg":1e999,"min":-0,"med":1e-400,"max":1e308,"p(90)":-1e999,"p(95)":0}},"root_group":{"name":"","path":"","id":"x","groups":{},"checks":{}}}\n' >"$O/numbers.json"
	printf '{"metrics":{"http_req_duration":{"avg":NaN,"min":Infinity,"med":1,"max":1,"p(90)":1,"p(95)":1}},"root_group":{"name":"","path":"","id":"x","groups":{},"checks":{}}}\n' >"$O/nan.json"
	{ metric http_req_duration trend; point http_req_duration 5; point http_req_duration 1e999
	  point http_req_duration -0; point http_req_duration NaN; point http_req_duration Infinity
	  point http_req_duration -Infinity; point http_req_duration 1e-400; point http_req_duration '"7"'; } >"$O/numbers.ndjson"
	{ metric http_req_duration trend; point http_req_duration NaN; point http_req_duration 1e999; } >"$O/no-finite.ndjson"
}

big() {
	# a points stream whose second line is 100 MB (one JSON string), and a 100 MB one-line document
	{ metric http_req_duration trend; printf '{"metric":"http_req_duration","type":"Point","data":{"time":"2026-12-04T19:15:50Z","value":1,"tags":{"name":"'
	  head -c 100000000 /dev/zero | tr '\0' a; printf '"}}}\n'; point http_req_duration 2; } >"$O/line-100mb.ndjson"
	{ printf '{"metrics":{"http_req_duration":{"avg":1,"min":1,"med":1,"max":1,"p(90)":1,"p(95)":1}},"root_group":{"name":"","path":"","id":"x","groups":{},"checks":{}},"x":"'
	  head -c 100000000 /dev/zero | tr '\0' a; printf '"}\n'; } >"$O/doc-100mb.json"
	# gzip bombs: 200 MB of blank lines after a valid first line (a points stream), and a document
	# of 200 MB of spaces (over the 1000x ratio past 64 MiB before the 256 MiB size limit)
	{ metric http_req_duration trend; point http_req_duration 1; head -c 200000000 /dev/zero | tr "\\0" "\\n"; } | gzip -9 >"$O/bomb-points.ndjson.gz"
	{ printf '{"metrics":'; head -c 200000000 /dev/zero | tr '\0' ' '; printf '{}}\n'; } | gzip -9 >"$O/bomb-doc.json.gz"
	# a k6 summary with 100,000 metrics and a Playwright report with 200,000 tests
	awk 'BEGIN { printf "{\"metrics\":{"
		for (i = 0; i < 100000; i++)
			printf "%s\"custom_metric_%d\":{\"avg\":%d.5,\"min\":1,\"med\":%d,\"max\":%d,\"p(90)\":%d,\"p(95)\":%d}", i ? "," : "", i, i, i, i + 10, i, i
		printf "},\"root_group\":{\"name\":\"\",\"path\":\"\",\"id\":\"x\",\"groups\":{},\"checks\":{}}}\n" }' >"$O/summary-100k-metrics.json"
	awk 'BEGIN { printf "{\"config\":{\"version\":\"1.49.1\"},\"suites\":[{\"title\":\"big.spec.ts\",\"file\":\"big.spec.ts\",\"line\":0,\"column\":0,\"specs\":["
		for (i = 0; i < 200000; i++)
			printf "%s{\"title\":\"test %d\",\"ok\":true,\"tags\":[],\"id\":\"id%d\",\"file\":\"big.spec.ts\",\"line\":%d,\"column\":1,\"tests\":[{\"timeout\":30000,\"annotations\":[],\"expectedStatus\":\"passed\",\"projectId\":\"chromium\",\"projectName\":\"chromium\",\"results\":[{\"workerIndex\":0,\"status\":\"passed\",\"duration\":%d,\"errors\":[],\"stdout\":[],\"stderr\":[],\"retry\":0,\"startTime\":\"2026-12-04T19:15:50.000Z\",\"attachments\":[]}],\"status\":\"expected\"}]}", i ? "," : "", i, i, i, 100 + i % 900
		printf "]}],\"errors\":[],\"stats\":{\"startTime\":\"2026-12-04T19:15:50.000Z\",\"duration\":1000.5,\"expected\":200000,\"skipped\":0,\"unexpected\":0,\"flaky\":0}}\n" }' >"$O/playwright-200k-tests.json"
}

case $1 in
small) small ;;
big) big ;;
*) echo "usage: gen.sh small|big OUTDIR" >&2; exit 2 ;;
esac
