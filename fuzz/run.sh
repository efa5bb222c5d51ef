#!/bin/sh
# Run each libFuzzer target for SECONDS, from its seeds (fuzz/corpus/<target>/ plus seeds cut
# from the real samples) and the corpus kept in BUILD/corpus/<target>/ between runs.
# Crashes go to BUILD/crashes/; the exit status is non-zero when any target found one.
# Prints the CPU seconds each target used and the total.
# Usage: sh fuzz/run.sh SECONDS BUILD TARGET...
set -u
SECS=$1
B=$2
shift 2
ROOT=$(cd "$(dirname "$0")/.." && pwd)
FIX="$ROOT/tests/fixtures"
SAMPLES="$ROOT/../shared/samples"
SEEDS="$B/seeds"
mkdir -p "$B/crashes" "$SEEDS"

# cat FILE, decompressing gzip
plain() {
	case $1 in *.gz) gzip -dc "$1" ;; *) cat "$1" ;; esac
}

# Seeds from the samples: whole JSON documents up to 128 KiB, the head of each points stream
# (plain and gzip), Playwright reports, profiles.
make_seeds() {
	rm -rf "$SEEDS" && mkdir -p "$SEEDS/ingest" "$SEEDS/k6_summary" "$SEEDS/playwright" \
		"$SEEDS/points_line" "$SEEDS/profile" "$SEEDS/select" "$SEEDS/report"
	n=0
	for f in $(find "$FIX" "$SAMPLES" -type f \( -name '*.json' -o -name '*.json.gz' -o -name '*.ndjson' -o -name '*.ndjson.gz' \) 2>/dev/null); do
		n=$((n + 1))
		case $f in
		*.ndjson | *.ndjson.gz)
			plain "$f" | head -n 40 >"$SEEDS/ingest/points$n"
			gzip -c "$SEEDS/ingest/points$n" >"$SEEDS/ingest/points$n.gz"
			# one line per seed: the target checks each line of its input on its own
			plain "$f" | head -n 400 | tail -n 40 | split -l 1 - "$SEEDS/points_line/l$n."
			;;
		*)
			size=$(plain "$f" | wc -c)
			[ "$size" -le 131072 ] || continue
			plain "$f" >"$SEEDS/ingest/doc$n"
			case $f in *playwright* | *pw1.*) d=playwright ;; *) d=k6_summary ;; esac
			cp "$SEEDS/ingest/doc$n" "$SEEDS/$d/doc$n"
			;;
		esac
	done
	cp "$ROOT"/profiles/*.json "$SEEDS/profile/" 2>/dev/null
	for s in 1 4 latest latest~1 latest~99999999999999999999 sha:3f2 sha:3f2a branch:main \
		label:release 'label:a%b_c' 1..2 last:3 sha: 'latest~'; do
		printf '%s' "$s" >"$SEEDS/select/$(printf '%s' "$s" | cksum | cut -d' ' -f1)"
	done
	printf 'latest\0dev\0' >"$SEEDS/select/scoped"
	for f in "$ROOT"/README.md "$ROOT"/docs/*.md; do
		[ -f "$f" ] && head -c 16384 "$f" >"$SEEDS/report/$(basename "$f")"
	done
	printf '# R\n<!-- perfcmp:begin compare latest~1..latest -->\nold\n<!-- perfcmp:end compare latest~1..latest -->\n```\n<!-- perfcmp:begin x -->\n```\n' >"$SEEDS/report/markers.md"
}
make_seeds

total=0
status=0
for t in "$@"; do
	name=${t#fuzz_}
	corpus="$B/corpus/$name"
	mkdir -p "$corpus"
	extra=""
	[ -d "$ROOT/fuzz/corpus/$name" ] && extra="$ROOT/fuzz/corpus/$name"
	case $name in
	points_line | select) maxlen=4096 ;;
	profile | report) maxlen=16384 ;;
	*) maxlen=131072 ;;
	esac
	log="$B/$t.log"
	start=$(date +%s)
	# shellcheck disable=SC2086
	/usr/bin/time -f '%U %S %M' -o "$B/$t.time" \
		"$B/$t" -max_total_time="$SECS" -timeout=20 -rss_limit_mb=2048 -max_len=$maxlen \
		-print_final_stats=1 -artifact_prefix="$B/crashes/$t-" \
		"$corpus" "$SEEDS/$name" $extra >"$log" 2>&1
	rc=$?
	set -- $(tail -n 1 "$B/$t.time" 2>/dev/null) 0 0 0
	u=$1 s=$2 m=$3
	cpu=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')
	total=$(awk -v t="$total" -v c="$cpu" 'BEGIN { printf "%.2f", t + c }')
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1)
	echo "fuzz $t: ${cpu}s CPU, ${runs:-?} runs, $cov, peak RSS $((m / 1024)) MiB, wall $(($(date +%s) - start))s, exit $rc"
	if [ "$rc" -ne 0 ]; then
		status=1
		# -a: the log quotes the input, which may hold any byte
		grep -a -m 3 -E 'ERROR|SUMMARY|runtime error|abort|disagree|says' "$log" |
			LC_ALL=C tr -c '[:print:]\n' '?' | cut -c 1-400 | sed 's/^/  /'
		crash=$(ls -t "$B"/crashes/"$t"-* 2>/dev/null | head -n 1)
		echo "  log: $log; reproducer: $crash"
		# a CI machine's build directory is gone after the run: print a small reproducer
		# in full, so the log alone is enough to replay it (base64 -d >FILE; BUILD/$t FILE)
		if [ -n "$crash" ] && [ "$(wc -c <"$crash")" -le 8192 ]; then
			echo "  reproducer, base64:"
			base64 "$crash" | sed 's/^/    /'
		fi
	fi
done
echo "fuzz total: ${total}s CPU"
exit $status
