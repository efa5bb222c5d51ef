# 8 writers ingesting different files into one database at once, readers listing and comparing
# meanwhile, several rounds: every run arrives once, nobody sees "database is locked".

ROUNDS=${STRESS_ROUNDS:-4}
WRITERS=8
case_ "concurrency: $WRITERS writers x $ROUNDS rounds, 2 readers"
CDB="$T/conc.db"
rm -f "$CDB" "$CDB"-*
mkdir -p "$T/conc"
i=0
while [ "$i" -lt $((WRITERS * ROUNDS)) ]; do
	"$GEN" 10000 $((1000 + i)) | gzip -1 >"$T/conc/f$i.ndjson.gz"
	i=$((i + 1))
done
# one run before the writers start, so readers always find a database
pc --db "$CDB" ingest "$FIX/k6/S1-smoke-baseline/summary-export.json"; expect_rc 0
start=$(date +%s)
r=0
while [ "$r" -lt "$ROUNDS" ]; do
	: >"$T/conc/stop"
	rm -f "$T/conc/stop"
	for reader in 1 2; do
		(
			n=0
			while [ ! -e "$T/conc/stop" ]; do
				$PERFCMP_WRAP "$PERFCMP" --db "$CDB" runs --format json >/dev/null 2>"$T/conc/rerr$reader.$n"
				c=$?
				[ "$c" -eq 0 ] || echo "runs exit $c: $(cat "$T/conc/rerr$reader.$n")" >>"$T/conc/readfail"
				$PERFCMP_WRAP "$PERFCMP" --db "$CDB" compare >/dev/null 2>>"$T/conc/rerr$reader.$n"
				c=$?
				[ "$c" -le 2 ] || echo "compare exit $c: $(cat "$T/conc/rerr$reader.$n")" >>"$T/conc/readfail"
				n=$((n + 1))
			done
			echo "$n" >"$T/conc/reads$reader"
		) &
	done
	pids=""
	w=0
	while [ "$w" -lt "$WRITERS" ]; do
		f=$((r * WRITERS + w))
		$PERFCMP_WRAP "$PERFCMP" --db "$CDB" ingest --label "w$f" "$T/conc/f$f.ndjson.gz" >"$T/conc/out$f" 2>"$T/conc/err$f" &
		pids="$pids $!"
		w=$((w + 1))
	done
	w=$((r * WRITERS))
	for pid in $pids; do
		wait "$pid" || fail "writer $w exited $?: $(cat "$T/conc/err$w")"
		w=$((w + 1))
	done
	touch "$T/conc/stop"
	wait
	r=$((r + 1))
done
CONC_SECS=$(($(date +%s) - start))
rc=0
grep -l "locked\|busy" "$T"/conc/err* "$T"/conc/rerr* 2>/dev/null | head -n 3 | while read -r f; do
	echo "FAIL: $f: $(cat "$f")" >&2
done
! grep -q "locked\|busy" "$T"/conc/err* "$T"/conc/rerr* 2>/dev/null || fail "a process saw the database locked"
[ ! -s "$T/conc/readfail" ] || fail "readers failed: $(head -n 3 "$T/conc/readfail")"
n=$(sqlite3 "$CDB" "SELECT count(*) FROM runs WHERE id > 1")
[ "$n" -eq $((WRITERS * ROUNDS)) ] || fail "expected $((WRITERS * ROUNDS)) runs, found $n"
d=$(sqlite3 "$CDB" "SELECT count(DISTINCT content_hash) || ' ' || count(DISTINCT file) FROM runs WHERE id > 1")
[ "$d" = "$((WRITERS * ROUNDS)) $((WRITERS * ROUNDS))" ] || fail "runs not distinct: $d"
l=$(sqlite3 "$CDB" "SELECT count(*) FROM runs r JOIN labels l ON l.run_id = r.id WHERE r.file LIKE '%/f' || substr(l.label, 2) || '.ndjson.gz'")
[ "$l" -eq $((WRITERS * ROUNDS)) ] || fail "runs do not match their files' labels: $l"
[ "$(db_sound "$CDB")" = "ok" ] || fail "database unsound: $(db_sound "$CDB" | head -n 3)"
reads=$(($(cat "$T/conc/reads1") + $(cat "$T/conc/reads2")))
echo "concurrency: $((WRITERS * ROUNDS)) runs by $WRITERS concurrent writers in $ROUNDS rounds, $reads reader passes (runs + compare), ${CONC_SECS}s" >&2
done_
