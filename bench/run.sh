#!/bin/sh
# make bench: ingest speed of k6 points streams against the zlib floor (issue 3).
# Generates seeded k6 streams of 100k and 1M requests (gzip -6, cached in build/bench/), then
# times in one hyperfine run per size: a bare zlib gzread loop (the floor), `perfcmp ingest`
# built with ISA-L and built with zlib; prints the ratios to the floor and the peak RSS.
# Knobs: BENCH_SIZES="100000 1000000", BENCH_RUNS=5, BENCH_SEED=42.
set -eu

cd "$(dirname "$0")/.."
OUT=build/bench
SIZES=${BENCH_SIZES:-"100000 1000000"}
RUNS=${BENCH_RUNS:-5}
SEED=${BENCH_SEED:-42}
CC=${CC:-cc}
mkdir -p "$OUT"

command -v hyperfine >/dev/null || { echo "bench: hyperfine is needed (make deps)" >&2; exit 4; }
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time is needed (make deps)" >&2; exit 4; }

$CC -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -o "$OUT/gen_k6" bench/gen_k6.c -lm
$CC -O2 -std=c11 -o "$OUT/gzread_floor" bench/gzread_floor.c -lz
make --no-print-directory -s build/isal/perfcmp
make --no-print-directory -s INFLATE=zlib build/zlib/perfcmp
ISAL=build/isal/perfcmp
ZLIB=build/zlib/perfcmp

rss_mib() { # peak RSS of one run of "$@", in MiB
	/usr/bin/time -v "$@" 2>&1 >/dev/null | awk '/Maximum resident set size/ {printf "%.0f", $6 / 1024}'
}

for n in $SIZES; do
	f="$OUT/k6-$n-$SEED.ndjson.gz"
	if [ ! -s "$f" ]; then
		echo "bench: generating $f" >&2
		"$OUT/gen_k6" "$n" "$SEED" | gzip -6 > "$f.tmp"
		mv "$f.tmp" "$f"
	fi
	db="$OUT/bench-$n.db"
	prep="rm -f $db $db-wal $db-shm"
	echo
	echo "== $n requests: $f ($(du -m "$f" | cut -f1) MiB gzip, $(gzip -dc "$f" | wc -l) lines)"
	# perfcmp inflates on a second thread: a busy machine (load >= 1 of 2 cores) takes that
	# core away and the wall ratios with it; the CPU column is the work done either way
	echo "   cores $(nproc), load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"
	hyperfine --style basic --warmup 1 --runs "$RUNS" --export-json "$OUT/bench-$n.json" \
		--prepare true -n floor "$OUT/gzread_floor $f" \
		--prepare "$prep" -n isal "$ISAL --db $db ingest $f" \
		--prepare "$prep" -n zlib "$ZLIB --db $db ingest $f"
	python3 - "$OUT/bench-$n.json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
floor = r["floor"]["median"]
cpu_floor = r["floor"]["user"] + r["floor"]["system"]
for name in ("floor", "isal", "zlib"):
    m = r[name]["median"]
    cpu = r[name]["user"] + r[name]["system"]
    print(f"  {name:6s} median {m:7.3f} s   {m / floor:5.2f} x floor"
          f"   (cpu {cpu:6.3f} s, {cpu / cpu_floor:5.2f} x floor's)")
PY
	eval "$prep"
	echo "  peak RSS: floor $(rss_mib "$OUT/gzread_floor" "$f") MiB," \
	     "isal $(eval "$prep"; rss_mib $ISAL --db "$db" ingest "$f") MiB," \
	     "zlib $(eval "$prep"; rss_mib $ZLIB --db "$db" ingest "$f") MiB"
	eval "$prep"
done
