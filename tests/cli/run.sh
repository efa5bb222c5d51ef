#!/bin/sh
# CLI cases: the real binary against real files; exit status, stdout, stderr and the database.
# Usage: PERFCMP=path/to/perfcmp [PERFCMP_WRAP="valgrind ..."] [CLI_CASES=name] sh tests/cli/run.sh
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
K6="$FIX/k6"
DB="$T/t.db"
export PERFCMP_DB="$DB"
# keys must come from the cases, not from the machine running them
unset PERFCMP_PROFILE DOPPLER_CONFIG DOPPLER_PROJECT GITHUB_SHA GITHUB_REF_NAME CI_COMMIT_SHA CI_COMMIT_REF_NAME
cd "$T" || exit 1

# The wrapper must fail a case on a memory error and on a leak: prove it on two small programs
# before trusting a clean run of perfcmp under it.
if [ -n "${PERFCMP_WRAP:-}" ] && command -v cc >/dev/null; then
	printf '#include <stdlib.h>\nint main(void){char *p=malloc(8);p[8]=1;free(p);return 0;}\n' >"$T/oob.c"
	printf '#include <stdlib.h>\nchar *f(void);char *f(void){return malloc(8);}\nint main(void){f();return 0;}\n' >"$T/leak.c"
	for prog in oob leak; do
		cc -O0 -o "$T/$prog" "$T/$prog.c" || exit 1
		# shellcheck disable=SC2086
		$PERFCMP_WRAP "$T/$prog" 2>/dev/null
		[ $? -eq 99 ] || { echo "FAIL: $PERFCMP_WRAP does not exit 99 on $prog" >&2; exit 1; }
	done
fi

# CLI_CASES=hostile runs only cases_hostile.sh
for f in "$HERE"/cases_${CLI_CASES:-*}.sh; do
	. "$f"
done
summary
