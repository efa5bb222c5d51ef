#!/bin/sh
# CLI cases: the real binary against real files; exit status, stdout, stderr and the database.
# Usage: PERFCMP=path/to/perfcmp [PERFCMP_WRAP="valgrind ..."] sh tests/cli/run.sh
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
K6="$FIX/k6"
DB="$T/t.db"
export PERFCMP_DB="$DB"
# keys must come from the cases, not from the machine running them
unset PERFCMP_PROFILE DOPPLER_CONFIG DOPPLER_PROJECT GITHUB_SHA GITHUB_REF_NAME CI_COMMIT_SHA CI_COMMIT_REF_NAME
cd "$T" || exit 1

for f in "$HERE"/cases_*.sh; do
	. "$f"
done
summary
