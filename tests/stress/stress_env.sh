# The database's environment: read-only file, read-only directory, full disk, not SQLite. A
# write is a one-line error with exit 4 (or 3 for the input), what was stored stays stored, and
# reading commands (runs, show, compare, plot, report) still read a database they cannot write.
# As root, permission bits do not stop writes: chattr +i, setpriv to nobody and a read-only or
# tiny tmpfs mount stand in; each case says when the machine cannot do it and is skipped.

EDB="$T/env.db"
SUMMARY="$FIX/k6/S1-smoke-baseline/summary-export.json"
OTHER="$FIX/k6/S2-smoke-rerun-noise/summary-export.json"
rm -f "$EDB" "$EDB"-*
pc --db "$EDB" ingest "$SUMMARY"; expect_rc 0
pc --db "$EDB" runs; expect_rc 0    # checkpoints and closes: no -wal file left behind
ENV_BEFORE=$(db_state "$EDB")

case_ "read-only database file (chattr +i)"
if [ "$(id -u)" -ne 0 ]; then
	chmod 444 "$EDB"; ro_undo() { chmod 644 "$EDB"; }; ro=1
elif chattr +i "$EDB" 2>/dev/null; then
	ro_undo() { chattr -i "$EDB"; }; ro=1
else
	ro=0
fi
if [ "$ro" -eq 1 ]; then
	pc --db "$EDB" ingest "$OTHER"; expect_rc 4; expect_one_line_error
	expect_err "perfcmp: $EDB: "
	pc --db "$EDB" runs --format json; expect_rc 0
	expect_jq 'length' 1
	pc --db "$EDB" show 1; expect_rc 0
	ro_undo
	[ "$(db_state "$EDB")" = "$ENV_BEFORE" ] || fail "the database changed"
	done_
else
	skip "read-only database" "chattr +i is not available"
fi

case_ "read-only directory (setpriv to nobody, directory 0555)"
if command -v setpriv >/dev/null && [ "$(id -u)" -eq 0 ]; then
	mkdir -p "$T/rodir" && cp "$EDB" "$T/rodir/env.db"
	chmod 755 "$T"
	chmod 555 "$T/rodir"; chmod 644 "$T/rodir/env.db"
	chown nobody "$T/rodir/env.db"
	asnobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
	asnobody $PERFCMP_WRAP "$PERFCMP" --db "$T/rodir/env.db" ingest "$OTHER" >"$T/out" 2>"$T/err"; rc=$?
	check_report
	expect_rc 4; expect_one_line_error
	asnobody $PERFCMP_WRAP "$PERFCMP" --db "$T/rodir/new.db" ingest "$OTHER" >"$T/out" 2>"$T/err"; rc=$?
	expect_rc 4; expect_one_line_error
	[ ! -e "$T/rodir/new.db" ] || fail "a database appeared in a read-only directory"
	# readers still work: a cache or artifact mounted read-only is read in place
	asnobody $PERFCMP_WRAP "$PERFCMP" --db "$T/rodir/env.db" runs --format json >"$T/out" 2>"$T/err"; rc=$?
	RODIR_RUNS_RC=$rc
	expect_rc 0; expect_jq 'length' 1; expect_err "read as immutable"
	asnobody $PERFCMP_WRAP "$PERFCMP" --db "$T/rodir/env.db" label 1 x >"$T/out" 2>"$T/err"; rc=$?
	expect_rc 4; expect_err "not writable"
	chmod 755 "$T/rodir"
	[ "$(db_state "$T/rodir/env.db")" = "$ENV_BEFORE" ] || fail "the database changed"
	echo "read-only directory: runs exit $RODIR_RUNS_RC ($(head -n 1 "$T/err"))" >&2
	done_
else
	skip "read-only directory" "not root or no setpriv"
fi

# mount_tmpfs DIR SIZE: 0 when a tmpfs of SIZE is mounted on DIR
mount_tmpfs() {
	mkdir -p "$1" && [ "$(id -u)" -eq 0 ] && mount -t tmpfs -o "size=$2" tmpfs "$1" 2>/dev/null
}

case_ "read-only filesystem (tmpfs remounted ro)"
if mount_tmpfs "$T/romnt" 8m; then
	cp "$EDB" "$T/romnt/env.db"
	mount -o remount,ro "$T/romnt"
	pc --db "$T/romnt/env.db" ingest "$OTHER"; expect_rc 4; expect_one_line_error
	pc --db "$T/romnt/new.db" ingest "$OTHER"; expect_rc 4; expect_one_line_error
	pc --db "$T/romnt/env.db" runs --format json; ROFS_RUNS="exit $rc: $(head -n 1 "$T/err")"
	expect_rc 0; expect_jq 'length' 1
	pc --db "$T/romnt/env.db" compare --format json 1..1; expect_rc 2   # read, then a usage error
	# sqlite3 cannot open a WAL database on a read-only filesystem either, unless immutable
	got=$(sqlite3 "file:$T/romnt/env.db?immutable=1" "SELECT count(*) FROM runs; SELECT count(*) FROM series;" 2>&1)
	want=$(sqlite3 "$EDB" "SELECT count(*) FROM runs; SELECT count(*) FROM series;")
	[ "$got" = "$want" ] || fail "the database changed: $got"
	umount "$T/romnt"
	echo "read-only filesystem: runs $ROFS_RUNS" >&2
	done_
else
	skip "read-only filesystem" "cannot mount a tmpfs here"
fi

case_ "full disk (a 2 MiB tmpfs)"
if mount_tmpfs "$T/full" 2m; then
	cp "$EDB" "$T/full/env.db"
	# fill what is left, then ingest a big stream: SQLite's write fails mid-transaction
	dd if=/dev/zero of="$T/full/filler" bs=64k 2>/dev/null
	rm -f "$T/full/filler"
	dd if=/dev/zero of="$T/full/filler" bs=1k count=$(( $(df -k "$T/full" | awk 'NR==2 {print $4}') - 64 )) 2>/dev/null
	"$GEN" 20000 3 >"$T/mid.ndjson"
	pc --db "$T/full/env.db" ingest "$T/mid.ndjson"; expect_rc 4; expect_one_line_error
	expect_err "perfcmp: $T/full/env.db: "
	FULL_MSG=$(head -n 1 "$T/err")
	rm -f "$T/full/filler"
	[ "$(db_sound "$T/full/env.db")" = "ok" ] || fail "unsound after the full disk"
	[ "$(db_state "$T/full/env.db")" = "$ENV_BEFORE" ] || fail "the database changed"
	# with room again, the same file goes in
	umount "$T/full"
	echo "full disk: $FULL_MSG" >&2
	done_
else
	skip "full disk" "cannot mount a tmpfs here"
fi

case_ "a database file that is not SQLite is left alone"
head -c 100000 /dev/urandom >"$T/random.db"
cp "$T/random.db" "$T/random.orig"
pc --db "$T/random.db" ingest "$SUMMARY"; expect_rc 4; expect_one_line_error
pc --db "$T/random.db" runs; expect_rc 4; expect_one_line_error
cmp -s "$T/random.db" "$T/random.orig" || fail "perfcmp changed a file that is not its database"
[ ! -e "$T/random.db-wal" ] || fail "a -wal file appeared next to a foreign file"
gzip -c "$SUMMARY" >"$T/gz.db"
pc --db "$T/gz.db" ingest "$SUMMARY"; expect_rc 4; expect_one_line_error
done_
umount "$T/romnt" "$T/full" 2>/dev/null
