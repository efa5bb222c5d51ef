# kill -9 at random moments during a large ingest, many times: the database stays sound with no
# partial run, and the next ingest of the same file succeeds.

KILLS=${STRESS_KILLS:-30}
case_ "crash safety: kill -9 during ingest, $KILLS times"
KDB="$T/kill.db"
rm -f "$KDB" "$KDB"-*
"$GEN" 60000 7 >"$T/big.ndjson"
# the ingest's duration sets the window the kills fall in
# (the second of two ingests: the first one pays for the cold page cache)
for db in timing1 timing2; do
	s0=$(date +%s%N)
	pc --db "$T/$db.db" ingest "$T/big.ndjson"; expect_rc 0
	dur_ms=$((($(date +%s%N) - s0) / 1000000))
done
# a run already stored, so kills also land on a database with content
pc --db "$KDB" ingest "$FIX/k6/S1-smoke-baseline/summary-export.json"; expect_rc 0
survived=0 committed=0 i=0
while [ "$i" -lt "$KILLS" ]; do
	# uniform in [0, duration): most kills land before the commit, a few after
	delay_ms=$(awk -v s="$i" -v d="$dur_ms" 'BEGIN { srand(s * 7919 + 13); printf "%d", rand() * d }')
	$PERFCMP_WRAP "$PERFCMP" --db "$KDB" ingest "$T/big.ndjson" >/dev/null 2>"$T/kerr" &
	pid=$!
	sleep "$(awk -v m="$delay_ms" 'BEGIN { printf "%.3f", m / 1000 }')"
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	st=$(db_sound "$KDB")
	[ "$st" = "ok" ] || { fail "after kill $i at ${delay_ms} ms: $st"; break; }
	n=$(sqlite3 "$KDB" "SELECT count(*) FROM runs")
	case $n in
	1) ;;
	2) committed=$((committed + 1))
	   # the whole file arrived: remove it so the next kill hits a real ingest again
	   pc --db "$KDB" rm "$(sqlite3 "$KDB" "SELECT max(id) FROM runs")"; expect_rc 0 ;;
	*) fail "after kill $i: $n runs"; break ;;
	esac
	survived=$((survived + 1))
	i=$((i + 1))
done
pc --db "$KDB" ingest "$T/big.ndjson"; expect_rc 0; expect_out "run "
[ "$(sqlite3 "$KDB" "SELECT count(*) FROM runs")" -eq 2 ] || fail "the ingest after the kills did not store the run"
[ "$(db_sound "$KDB")" = "ok" ] || fail "unsound after the final ingest"
echo "crash: $survived kill -9 iterations survived ($committed landed after the commit), ingest ${dur_ms} ms, $(wc -c <"$T/big.ndjson") bytes" >&2
done_
