#!/bin/sh
# Regenerate the charts in docs/ and the sample report from results-sample/, into DIR (default
# docs/). The runs get fixed git keys and labels, so the output depends on the data alone.
# Usage: sh scripts/docs.sh PERFCMP [DIR]
set -eu
PC=$1
OUT=${2:-docs}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RS="$ROOT/results-sample"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/perfcmp-docs.XXXXXX")
trap 'rm -rf "$TMP"' EXIT INT TERM
DB="$TMP/docs.db"
mkdir -p "$OUT/charts"
unset PERFCMP_PROFILE DOPPLER_CONFIG DOPPLER_PROJECT GITHUB_SHA GITHUB_REF_NAME CI_COMMIT_SHA CI_COMMIT_REF_NAME
ingest() { # FILE LABEL
	"$PC" --db "$DB" ingest --config dev_perf --sha results-sample --branch main --label "$2" "$RS/$1" >/dev/null
}
ingest k6/load-baseline.ndjson.gz load-baseline
ingest k6/load-candidate.ndjson.gz load-candidate
ingest playwright/smoke-baseline.json.gz pw-baseline
ingest playwright/smoke-candidate.json.gz pw-candidate
ingest playwright/smoke-baseline-rerun.json.gz pw-rerun
plot() { # NAME ARGS...
	name=$1
	shift
	"$PC" --db "$DB" plot "$@" -o "$OUT/charts/$name.svg"
}
plot trend trend --profile load --config dev_perf
plot compare compare label:load-baseline..label:load-candidate
plot cdf cdf label:load-baseline..label:load-candidate
plot timeline timeline label:load-candidate
plot tests tests label:pw-baseline..label:pw-candidate
if [ "$OUT" != docs ]; then
	cp "$ROOT/docs/report.md" "$OUT/report.md"
fi
"$PC" --db "$DB" report --fail-on never --update "$OUT/report.md"
