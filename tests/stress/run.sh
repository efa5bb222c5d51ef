#!/bin/sh
# Stress and environment cases against the real binary: concurrent writers, kill -9 during
# ingest, read-only/full/foreign databases, large hostile inputs. Slower than tests/cli/; run by
# `make stress` (and `make check`). Knobs: STRESS_ROUNDS (concurrency rounds, default 4),
# STRESS_KILLS (kill -9 iterations, default 30), STRESS_BIG=0 skips the 100 MB inputs.
# Usage: PERFCMP=path/to/perfcmp sh tests/stress/run.sh [concurrency crash env big]
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../cli/lib.sh"
export PERFCMP_DB="$T/t.db"
unset PERFCMP_PROFILE DOPPLER_CONFIG DOPPLER_PROJECT GITHUB_SHA GITHUB_REF_NAME CI_COMMIT_SHA CI_COMMIT_REF_NAME
cd "$T" || exit 1

# gen_k6 REQUESTS SEED: a seeded k6 points stream on stdout (bench/gen_k6.c)
GEN="$T/gen_k6"
${CC:-cc} -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -o "$GEN" "$ROOT/bench/gen_k6.c" -lm || exit 1

# The database holds no partial run: every series, check, test, label and child row has its
# parent, every run has a series, and SQLite finds nothing wrong.
db_sound() {
	sqlite3 "$1" "PRAGMA integrity_check; PRAGMA foreign_key_check;
		SELECT 'run without series: ' || id FROM runs WHERE id NOT IN (SELECT run_id FROM series);
		SELECT 'series without run: ' || id FROM series WHERE run_id NOT IN (SELECT id FROM runs);" 2>&1
}

# peak RSS in MiB of the last `rss_pc` run, which runs perfcmp like pc does
rss_pc() {
	/usr/bin/time -f '%M' -o "$T/rss" $PERFCMP_WRAP "$PERFCMP" "$@" >"$T/out" 2>"$T/err" </dev/null
	rc=$?
	RSS=$(($(tail -n 1 "$T/rss") / 1024))
	check_report
}

parts=${*:-"concurrency crash env big"}
for p in $parts; do
	. "$HERE/stress_$p.sh"
done
summary
