# shellcheck shell=bash
# The benchmarks of ./stack bench, sourced by stack: its helpers (msg,
# root_sql, start_programs, ...) and settings are in scope.

# wrk_case N URL [HEADER]: one wrk run; sets RPS P50 P99 BAD for the table.
wrk_case() {
	local out=$LOG/wrk-$1.txt url=$2 hdr=()
	if [[ -n ${3:-} ]]; then hdr=(-H "$3"); fi
	msg "wrk ${BENCH_SECONDS:-10}s: $url ${3:-}"
	wrk -t2 -c64 -d"${BENCH_SECONDS:-10}"s --latency "${hdr[@]}" "$url" >"$out" 2>&1 ||
	    warn "wrk failed for $url; see $out"
	RPS=$(awk '$1 == "Requests/sec:" { print $2 }' "$out")
	P50=$(awk '$1 == "50%" { print $2; exit }' "$out")
	P99=$(awk '$1 == "99%" { print $2; exit }' "$out")
	BAD=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$out")
	RPS=${RPS:-0} P50=${P50:--} P99=${P99:--} BAD=${BAD:-0}
}

bench_row() { printf '%-32s %10s %9s %9s %9s %9s %7s\n' "$@"; }

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }

# bench_references SIZE: the static file and tessera-fixed, SIZE bytes each.
bench_references() {
	local size=$1 head='<!doctype html><title>static reference</title>'
	{
		printf '%s' "$head"
		printf '%*s' $((size > ${#head} ? size - ${#head} : 0)) ''
	} >"$VAR/bench-static/events.html"
	FIXED_BYTES=$size start_programs fixed
}

# bench_session EMAIL: a session of that account made in the database (a
# sign-in would cost a password hash); prints its cookie value.
bench_session() {
	local token hash
	read -r token hash < <(python3 -c 'import base64, hashlib, os
raw = os.urandom(32)
print(base64.urlsafe_b64encode(raw).decode().rstrip("="), hashlib.sha256(raw).hexdigest())')
	root_sql primary -e "INSERT INTO $DB_NAME.sessions (token_hash, user_id,
	    csrf_secret, expires_at) SELECT UNHEX('$hash'), id, RANDOM_BYTES(32),
	    UTC_TIMESTAMP() + INTERVAL 1 DAY FROM $DB_NAME.users WHERE email = '$1'"
	printf '%s' "$token"
}

# bench_buyers N PREFIX FILE: N verified accounts PREFIX-1@bench.test...
# with a session each, made in the database like bench_session's; their
# cookie values into FILE, one a line.
bench_buyers() {
	local n=$1 prefix=$2 file=$3
	root_sql primary -e "INSERT INTO $DB_NAME.users (email, display_name,
	    password_hash, email_verified_at) SELECT CONCAT('$prefix-', s.seq,
	    '@bench.test'), CONCAT('Buyer ', s.seq), u.password_hash,
	    UTC_TIMESTAMP() FROM $DB_NAME.seq_1_to_$n s JOIN $DB_NAME.users u
	    ON u.email = 'alice@tessera.test'" || die "cannot make $n bench buyers"
	root_sql primary -N -B -e "SELECT id FROM $DB_NAME.users WHERE email
	    LIKE '$prefix-%@bench.test' ORDER BY id" |
	    python3 "$SRC/tests/bench/booking.py" sessions "$DB_NAME" "$file" |
	    root_sql primary || die "cannot make the sessions of the bench buyers"
	[[ $(wc -l <"$file") == "$n" ]] || die "$file has not $n sessions"
}

# bench_event TITLE QUOTA: a published event a month ahead with one free
# ticket type of QUOTA seats; prints "EVENT_ID TYPE_ID". One ticket per
# order, as the booking cases ask for; no cap per account
# (max_per_account 0), since each buyer of the throughput case books
# again and again.
bench_event() {
	root_sql primary -N -B -e "INSERT INTO $DB_NAME.events (organizer_id,
	    title, description, venue, city, timezone, starts_at, ends_at,
	    status) SELECT id, '$1', 'The booking benchmark.', 'Bench Hall',
	    'Berlin', 'Europe/Berlin', UTC_TIMESTAMP() + INTERVAL 30 DAY,
	    UTC_TIMESTAMP() + INTERVAL 30 DAY + INTERVAL 2 HOUR, 'published'
	    FROM $DB_NAME.users WHERE email = 'organizer@tessera.test';
	    SET @ev = LAST_INSERT_ID();
	    INSERT INTO $DB_NAME.ticket_types (event_id, name, price_cents,
	    currency, quota, min_per_order, max_per_order, max_per_account,
	    sort_order) VALUES (@ev, 'Free', 0, 'EUR', $2, 1, 1, 0, 0);
	    SELECT @ev, LAST_INSERT_ID()"
}

# bench_reviews_event N: a past published event with N reviews by N
# accounts of its own, its counters set from them, for the event page's
# case; prints its id.
bench_reviews_event() {
	root_sql primary -N -B -e "INSERT INTO $DB_NAME.events (organizer_id,
	    title, description, venue, city, timezone, starts_at, ends_at,
	    status) SELECT id, 'Bench: $1 reviews', 'The reviews benchmark.',
	    'Bench Hall', 'Berlin', 'Europe/Berlin',
	    UTC_TIMESTAMP() - INTERVAL 3 DAY,
	    UTC_TIMESTAMP() - INTERVAL 3 DAY + INTERVAL 2 HOUR, 'published'
	    FROM $DB_NAME.users WHERE email = 'organizer@tessera.test';
	    SET @ev = LAST_INSERT_ID();
	    INSERT INTO $DB_NAME.users (email, display_name, password_hash)
	    SELECT CONCAT('reviewer-', s.seq, '@bench.test'),
	    CONCAT('Reviewer ', s.seq), u.password_hash
	    FROM $DB_NAME.seq_1_to_$1 s JOIN $DB_NAME.users u
	    ON u.email = 'alice@tessera.test';
	    INSERT INTO $DB_NAME.reviews (event_id, author_id, rating, comment,
	    created_at) SELECT @ev, u.id, 1 + u.id % 5,
	    CONCAT('Review ', u.id, ': the hall was full, the sound was clear ',
	    'and the second half was better than the first.\n\n',
	    'Would go again.'), UTC_TIMESTAMP() - INTERVAL u.id MINUTE
	    FROM $DB_NAME.users u WHERE u.email LIKE 'reviewer-%@bench.test';
	    UPDATE $DB_NAME.events e SET
	    e.rating_sum = (SELECT SUM(rating) FROM $DB_NAME.reviews WHERE event_id = @ev),
	    e.rating_count = (SELECT COUNT(*) FROM $DB_NAME.reviews WHERE event_id = @ev),
	    e.rating_1 = (SELECT COUNT(*) FROM $DB_NAME.reviews WHERE event_id = @ev AND rating = 1),
	    e.rating_2 = (SELECT COUNT(*) FROM $DB_NAME.reviews WHERE event_id = @ev AND rating = 2),
	    e.rating_3 = (SELECT COUNT(*) FROM $DB_NAME.reviews WHERE event_id = @ev AND rating = 3),
	    e.rating_4 = (SELECT COUNT(*) FROM $DB_NAME.reviews WHERE event_id = @ev AND rating = 4),
	    e.rating_5 = (SELECT COUNT(*) FROM $DB_NAME.reviews WHERE event_id = @ev AND rating = 5)
	    WHERE e.id = @ev;
	    SELECT @ev"
}

# bench_notify N: an event with N holders of a paid free ticket each is
# cancelled as the organizer's page does it (status and the outbox row in
# one go); seconds until every holder's notification row exists and until
# every mail is written.
bench_notify() {
	local n=$1 ev tt start now rows=0 mails=0 t_rows="" t_mails="" mark
	msg "notify: $n holders of one event"
	read -r ev tt < <(bench_event "Bench: cancelled, $n holders" "$n")
	[[ $ev =~ ^[0-9]+$ && $tt =~ ^[0-9]+$ ]] || die "cannot make the bench event"
	root_sql primary -e "INSERT INTO $DB_NAME.users (email, display_name,
	    password_hash, email_verified_at) SELECT CONCAT('holder-', s.seq,
	    '@bench.test'), CONCAT('Holder ', s.seq), u.password_hash,
	    UTC_TIMESTAMP() FROM $DB_NAME.seq_1_to_$n s JOIN $DB_NAME.users u
	    ON u.email = 'alice@tessera.test';
	    INSERT INTO $DB_NAME.orders (code, event_id, buyer_id, status,
	    total_cents, currency, paid_at) SELECT
	    CONCAT('BENCH', LPAD(u.id, 11, '0')), $ev, u.id, 'paid', 0, 'EUR',
	    UTC_TIMESTAMP() FROM $DB_NAME.users u
	    WHERE u.email LIKE 'holder-%@bench.test';
	    INSERT INTO $DB_NAME.order_lines (order_id, kind, ticket_type_id,
	    description, quantity, unit_price_cents) SELECT o.id, 'ticket', $tt,
	    'Free', 1, 0 FROM $DB_NAME.orders o WHERE o.event_id = $ev;
	    INSERT INTO $DB_NAME.tickets (order_id, ticket_type_id, code)
	    SELECT o.id, $tt, CONCAT('BENCHTICKET', LPAD(o.id, 13, '0'))
	    FROM $DB_NAME.orders o WHERE o.event_id = $ev;
	    UPDATE $DB_NAME.ticket_types SET sold = $n WHERE id = $tt" ||
	    die "cannot make $n holders"
	mark=$(root_sql primary -N -B -e "SELECT COALESCE(MAX(id), 0) FROM $DB_NAME.outbox")
	start=$(date +%s.%N)
	root_sql primary -e "UPDATE $DB_NAME.events SET status = 'cancelled'
	    WHERE id = $ev; INSERT INTO $DB_NAME.outbox (topic, payload)
	    VALUES ('event_cancelled', JSON_OBJECT('event_id', $ev,
	    'reason', 'The benchmark called it off.'))" || die "cannot cancel"
	while :; do
		now=$(date +%s.%N)
		if [[ -z $t_rows ]]; then
			rows=$(root_sql primary -N -B -e "SELECT COUNT(*) FROM
			    $DB_NAME.notifications n JOIN $DB_NAME.orders o
			    ON o.id = n.subject_id WHERE n.kind = 'event_cancelled'
			    AND o.event_id = $ev")
			if (( rows >= n )); then t_rows=$(awk -v a="$start" -v b="$now" 'BEGIN { printf "%.1f", b - a }'); fi
		fi
		mails=$(root_sql primary -N -B -e "SELECT COUNT(*) FROM $DB_NAME.outbox
		    WHERE id > $mark AND topic = 'mail' AND processed_at IS NOT NULL")
		if [[ -n $t_rows ]] && (( mails >= n )); then
			t_mails=$(awk -v a="$start" -v b="$now" 'BEGIN { printf "%.1f", b - a }')
			break
		fi
		if awk -v a="$start" -v b="$now" 'BEGIN { exit !(b - a > 1800) }'; then
			BENCH_FAILURES+=("notify: after 1800 s, $rows notifications and $mails mails of $n")
			break
		fi
		sleep 0.5
	done
	NOTIFY_ROWS+=("cancellation to $n holders: every notification row after ${t_rows:-?} s, every mail written after ${t_mails:-?} s ($mails mails)")
}

# bench_db_status: the primary's counters the booking cases report, as
# "NAME VALUE" lines.
bench_db_status() {
	root_sql primary -N -B -e "SHOW GLOBAL STATUS WHERE Variable_name IN
	    ('Com_stmt_execute', 'Questions', 'Com_commit', 'Com_rollback',
	    'Innodb_row_lock_waits', 'Innodb_row_lock_time', 'Innodb_deadlocks')"
}

# bench_db_delta BEFORE AFTER PER: AFTER - BEFORE of each counter, and per
# PER (confirmed bookings), as one line.
bench_db_delta() {
	awk -v per="$3" 'NR == FNR { before[$1] = $2; next }
	    { d = $2 - before[$1]; printf "%s %d (%.1f per booking)  ", $1, d,
	      (per > 0 ? d / per : 0) }
	    END { print "" }' <(printf '%s\n' "$1") <(printf '%s\n' "$2")
}

# bench_seats_check LABEL TYPE_ID: the oversell check, counted in the
# database: the type's sold and held against a recount of the order
# lines and tickets of its live orders, never above the quota. Sets
# SEATS (quota sold held), prints the counts; a disagreement goes to
# BENCH_FAILURES.
bench_seats_check() {
	local label=$1 tt=$2 quota sold held lines_held lines_paid tickets
	read -r quota sold held lines_held lines_paid tickets < <(root_sql primary -N -B -e "
	    SELECT t.quota, t.sold, t.held,
	    (SELECT COALESCE(SUM(l.quantity), 0) FROM $DB_NAME.order_lines l
	     JOIN $DB_NAME.orders o ON o.id = l.order_id WHERE l.ticket_type_id = t.id
	     AND o.status IN ('held', 'pending_payment')),
	    (SELECT COALESCE(SUM(l.quantity), 0) FROM $DB_NAME.order_lines l
	     JOIN $DB_NAME.orders o ON o.id = l.order_id WHERE l.ticket_type_id = t.id
	     AND o.status = 'paid'),
	    (SELECT COUNT(*) FROM $DB_NAME.tickets k JOIN $DB_NAME.orders o
	     ON o.id = k.order_id WHERE k.ticket_type_id = t.id
	     AND o.status IN ('held', 'pending_payment', 'paid'))
	    FROM $DB_NAME.ticket_types t WHERE t.id = $tt")
	SEATS=("$quota" "$sold" "$held")
	printf '  oversell check, %s: quota %s; counters sold %s + held %s; recount of live orders: lines %s paid + %s held, %s tickets\n' \
	    "$label" "$quota" "$sold" "$held" "$lines_paid" "$lines_held" "$tickets"
	if [[ -z $quota ]] || (( sold != lines_paid || held != lines_held ||
	    sold + held != tickets || sold + held > quota )); then
		BENCH_FAILURES+=("$label: OVERSOLD or miscounted: quota $quota, sold $sold, held $held; the live orders have $lines_paid paid and $lines_held held in their lines, $tickets tickets")
	fi
}

# bench_expect LABEL WHAT GOT WANT: one more check of a booking case.
bench_expect() {
	if [[ $3 != "$4" ]]; then
		BENCH_FAILURES+=("$1: $2: $3, expected $4")
	fi
}

# bench_driver LOG ARGS...: tests/bench/booking.py; its result words into BK.
bench_driver() {
	local log=$1 line kv
	shift
	declare -gA BK=()
	python3 "$SRC/tests/bench/booking.py" "$@" >"$log" 2>&1 ||
	    fail_with_log "tests/bench/booking.py $1 failed" "$log"
	line=$(tail -n 1 "$log")
	for kv in $line; do BK[${kv%%=*}]=${kv#*=}; done
	[[ -n ${BK[confirmed]:-} ]] || fail_with_log "tests/bench/booking.py $1 gave no result" "$log"
	if grep -q '^booking.py:' "$log"; then
		warn "tests/bench/booking.py $1 reported problems:"
		grep '^booking.py:' "$log" >&2
	fi
}

# bench_cpu: CPU time so far, in clock ticks, of each part of the stack
# (a process and its children: a program's workers, nginx's) and of the
# whole machine, as "NAME TICKS" lines; bench_cpu_report turns two of
# them into where the time went.
bench_cpu() {
	local name pid roots=()
	for name in primary replica nginx app browse worker; do
		if pid=$(pid_of "$name"); then roots+=("$name=$pid"); fi
	done
	cat /proc/[0-9]*/stat 2>/dev/null | awk -v roots="${roots[*]}" '
	    { pid = $1; sub(/^[^)]*\) /, ""); parent[pid] = $2; ticks[pid] = $12 + $13 }
	    END {
		n = split(roots, r, " ")
		for (i = 1; i <= n; i++) { split(r[i], kv, "="); root[kv[2]] = kv[1] }
		for (p in ticks) {
			for (q = p; q != "" && q != 0 && !(q in root); q = parent[q]) ;
			if (q in root) sum[root[q]] += ticks[p]
		}
		for (i = 1; i <= n; i++) { split(r[i], kv, "="); print kv[1], sum[kv[1]] + 0 }
	    }'
	awk '$1 == "cpu" { print "machine", $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat
}

# bench_cpu_report BEFORE AFTER PER DRIVER_S: CPU ms per booking of each
# part, the load driver's own (DRIVER_S seconds) and what other processes
# on the machine took.
bench_cpu_report() {
	awk -v per="$3" -v driver="$4" -v hz="$(getconf CLK_TCK)" '
	    NR == FNR { before[$1] = $2; next }
	    { d = ($2 - before[$1]) / hz; if ($1 == "machine") all = d
	      else { ours += d; out = out sprintf("%s %.2f, ", $1, (per > 0 ? 1000 * d / per : 0)) } }
	    END { other = all - ours - driver; if (other < 0) other = 0
		  printf "%sload driver %.2f, other processes %.2f ms per booking (%.1f CPU-s in all)\n",
		      out, (per > 0 ? 1000 * driver / per : 0), (per > 0 ? 1000 * other / per : 0), all }' \
	    <(printf '%s\n' "$1") <(printf '%s\n' "$2")
}

booking_row() { printf '%-32s %10s %9s %9s %9s %9s %9s %5s\n' "$@"; }

# bench_booking FIXED_RPS: the booking cases; sets BOOKING_ROWS and
# BOOKING_NOTES, and BENCH_FAILURES on an oversell or a wrong answer.
bench_booking() {
	local fixed_rps=$1 base=http://127.0.0.1:$HTTP_PORT seconds=${BENCH_SECONDS:-10}
	local ev tt before after cpu_before cpu_after label
	BOOKING_ROWS=() BOOKING_NOTES=()
	msg "booking cases: 64 buyers and 1000 buyers with a session each"
	bench_buyers 64 flow "$VAR/bench-flow.tokens"
	bench_buyers 1000 burst "$VAR/bench-burst.tokens"

	# 1: throughput. Plenty of seats: 64 buyers cannot run out in the time.
	label="book+confirm, 64 buyers"
	read -r ev tt < <(bench_event "Bench: plenty of seats" 10000000)
	[[ $ev =~ ^[0-9]+$ && $tt =~ ^[0-9]+$ ]] || die "cannot make the bench event"
	msg "booking ${seconds}s: 64 buyers book and confirm one free ticket, over and over"
	before=$(bench_db_status) cpu_before=$(bench_cpu)
	bench_driver "$LOG/booking-flow.txt" flow "$base" "$ev" "$tt" \
	    "$VAR/bench-flow.tokens" "$seconds"
	after=$(bench_db_status) cpu_after=$(bench_cpu)
	BOOKING_ROWS+=("$(booking_row "$label" "${BK[bookings_per_s]}" \
	    "${BK[requests_per_s]}" "${BK[booking_p50_ms]}ms" "${BK[booking_p99_ms]}ms" \
	    "$(ratio "${BK[requests_per_s]}" "$fixed_rps")" \
	    "$(ratio "${BK[bookings_per_s]}" "$fixed_rps")" "${BK[s5xx]}")")
	BOOKING_NOTES+=("$label: ${BK[confirmed]} confirmed in ${BK[seconds]}s; answers ${BK[statuses]}")
	BOOKING_NOTES+=("  p50 per request: hold ${BK[hold_p50_ms]}ms (p99 ${BK[hold_p99_ms]}ms), checkout page ${BK[checkout_p50_ms]}ms, confirm ${BK[confirm_p50_ms]}ms")
	BOOKING_NOTES+=("  primary: $(bench_db_delta "$before" "$after" "${BK[confirmed]}")")
	BOOKING_NOTES+=("  CPU: $(bench_cpu_report "$cpu_before" "$cpu_after" "${BK[confirmed]}" "${BK[driver_cpu_s]}")")
	bench_seats_check "$label" "$tt" >>"$LOG/booking-flow.txt"
	BOOKING_NOTES+=("$(tail -n 1 "$LOG/booking-flow.txt")")
	bench_expect "$label" "paid orders in the database" "$(root_sql primary -N -B -e \
	    "SELECT COUNT(*) FROM $DB_NAME.orders WHERE event_id = $ev AND status = 'paid'")" \
	    "${BK[confirmed]}"
	bench_expect "$label" "seats sold" "${SEATS[1]}" "${BK[confirmed]}"
	bench_expect "$label" "seats still held" "${SEATS[2]}" 0
	bench_expect "$label" "5xx answers" "${BK[s5xx]}" 0
	bench_expect "$label" "409 answers (seats enough for all)" "${BK[book_409]}" 0
	bench_expect "$label" "failed requests" "${BK[errors]}" 0
	BENCH_BOOKINGS_PER_S=${BK[bookings_per_s]}

	# 2: the burst. 1000 buyers at the same moment for 50 seats.
	label="burst: 1000 buyers, 50 seats"
	read -r ev tt < <(bench_event "Bench: 50 seats" 50)
	[[ $ev =~ ^[0-9]+$ && $tt =~ ^[0-9]+$ ]] || die "cannot make the bench event"
	msg "booking burst: 1000 buyers ask for one of 50 seats at once"
	bench_driver "$LOG/booking-burst.txt" burst "$base" "$ev" "$tt" \
	    "$VAR/bench-burst.tokens"
	BOOKING_ROWS+=("$(booking_row "$label" - \
	    "${BK[requests_per_s]}" "${BK[hold_p50_ms]}ms" "${BK[hold_p99_ms]}ms" \
	    "$(ratio "${BK[requests_per_s]}" "$fixed_rps")" - "${BK[s5xx]}")")
	BOOKING_NOTES+=("$label: ${BK[book_303]} held a seat, ${BK[book_409]} were told 409, ${BK[confirmed]} confirmed; all done in ${BK[seconds]}s (p50 and p99 above: of the 1000 holds); answers ${BK[statuses]}")
	bench_seats_check "$label" "$tt" >>"$LOG/booking-burst.txt"
	BOOKING_NOTES+=("$(tail -n 1 "$LOG/booking-burst.txt")")
	bench_expect "$label" "seats taken" "$((SEATS[1] + SEATS[2]))" 50
	bench_expect "$label" "seats sold" "${SEATS[1]}" 50
	bench_expect "$label" "buyers who got a seat" "${BK[book_303]}" 50
	bench_expect "$label" "buyers answered 409" "${BK[book_409]}" 950
	bench_expect "$label" "confirmed" "${BK[confirmed]}" 50
	bench_expect "$label" "5xx answers" "${BK[s5xx]}" 0
	bench_expect "$label" "failed requests" "${BK[errors]}" 0
}

# bench_pictures: uploads of a 2-megapixel JPEG by 16 accounts at once,
# with the worker stopped so the app has the machine; then the worker
# alone making the sizes of what they uploaded, for three times as long
# (tests/bench/pictures.py): its rate, not an empty queue, is the figure.
bench_pictures() {
	local seconds=${BENCH_SECONDS:-10} line kv
	PICTURE_NOTES=()
	msg "pictures: a 2 MP JPEG, 16 uploaders for ${seconds}s, then the worker's backlog"
	python3 "$SRC/tests/bench/pictures.py" image "$VAR/bench-2mp.png" >/dev/null ||
	    die "cannot draw the bench picture"
	vips copy "$VAR/bench-2mp.png" "$VAR/bench-2mp.jpg[Q=85]" ||
	    die "cannot make the bench JPEG (vips, from libvips-tools)"
	bench_buyers 16 uploader "$VAR/bench-upload.tokens"
	stop_group 30 worker
	python3 "$SRC/tests/bench/pictures.py" upload "http://127.0.0.1:$HTTP_PORT" \
	    "$VAR/bench-2mp.jpg" "$VAR/bench-upload.tokens" "$seconds" \
	    >"$LOG/pictures-upload.txt" 2>&1 ||
	    fail_with_log "tests/bench/pictures.py upload failed" "$LOG/pictures-upload.txt"
	line=$(tail -n 1 "$LOG/pictures-upload.txt")
	declare -A PU=()
	for kv in $line; do PU[${kv%%=*}]=${kv#*=}; done
	PICTURE_NOTES+=("uploads: ${PU[uploads_per_s]}/s answered (${PU[uploads]} in ${PU[seconds]}s, ${PU[bytes]}-byte JPEG, 2 MP), p50 ${PU[p50_ms]}ms p99 ${PU[p99_ms]}ms; answers ${PU[statuses]}")
	start_program worker
	python3 "$SRC/tests/bench/pictures.py" drain mariadb --no-defaults \
	    --user="$DB_ROOT_USER" --socket="$RUN/primary.sock" -- "$((3 * seconds))" \
	    >"$LOG/pictures-drain.txt" 2>&1 ||
	    fail_with_log "tests/bench/pictures.py drain failed" "$LOG/pictures-drain.txt"
	line=$(tail -n 1 "$LOG/pictures-drain.txt")
	declare -A PD=()
	for kv in $line; do PD[${kv%%=*}]=${kv#*=}; done
	PICTURE_NOTES+=("worker: ${PD[pictures_per_s]} pictures/s (${PD[files_per_s]} derived files/s: 400 and 1600 px, WebP and JPEG), ${PD[pictures]} in ${PD[seconds]}s, ${PD[left]} left")
	bench_expect "uploads" "5xx answers" "$(grep -o '5[0-9][0-9]:[0-9]*' \
	    <<<"${PU[statuses]}" | wc -l)" 0
	bench_expect "worker" "pictures it could not make" "$(root_sql primary -N -B -e \
	    "SELECT COUNT(*) FROM $DB_NAME.pictures WHERE status = 'failed'")" 0
}

# cmd_bench [pages] [booking] [pictures]: the references, then the page cases, the
# booking cases or (by default) both.
cmd_bench() {
	local base code size id groups=" $* "
	local arg
	for arg in "$@"; do
		case $arg in pages | booking | notify | pictures) ;; *) usage 2 ;; esac
	done
	if (( $# == 0 )); then groups=" pages booking notify pictures "; fi
	set_stack bench
	[[ $POST_RATE =~ ^[1-9][0-9]*r/[sm]$ && $POST_BURST =~ ^[0-9]+$ ]] ||
	    die "BENCH_POST_RATE must be like 100000r/s and BENCH_POST_BURST a number"
	require_programs
	install_packages
	build_main
	claim_scratch
	stack_setup "${DEPLOYED_SERVERS[@]}"
	base=http://127.0.0.1:$HTTP_PORT

	read -r code size < <(curl -s -o /dev/null -w '%{http_code} %{size_download}\n' "$base/events")
	[[ $code == 200 ]] || die "GET /events answered $code; see $LOG/browse.log"
	id=$(root_sql primary -N -B -e \
	    "SELECT MIN(id) FROM $DB_NAME.events WHERE status = 'published'")
	[[ $id =~ ^[0-9]+$ ]] || die "no published event to bench"
	msg "/events is $size bytes; both references will be that size"
	bench_references "$size"

	# label|path|header. The first two are the references; a session
	# cookie makes nginx bypass the micro-cache (the programs' own speed).
	local cookie="Cookie: tessera_session=bench" me tt
	me="Cookie: tessera_session=$(bench_session alice@tessera.test)"
	tt=$(root_sql primary -N -B -e "SELECT MIN(t.id) FROM $DB_NAME.ticket_types t
	    WHERE t.event_id = $id")
	# The organizer's pages: an order waiting for an offline payment, and
	# the door of an upcoming event with a ticket not checked in yet.
	local org adm pending door_ev ticket
	org="Cookie: tessera_session=$(bench_session organizer@tessera.test)"
	adm="Cookie: tessera_session=$(bench_session admin@tessera.test)"
	pending=$(root_sql primary -N -B -e "SELECT MIN(o.code) FROM $DB_NAME.orders o
	    JOIN $DB_NAME.events e ON e.id = o.event_id JOIN $DB_NAME.users u
	    ON u.id = e.organizer_id WHERE u.email = 'organizer@tessera.test'
	    AND o.status = 'pending_payment'")
	read -r door_ev ticket < <(root_sql primary -N -B -e "SELECT e.id, MIN(k.code)
	    FROM $DB_NAME.tickets k JOIN $DB_NAME.orders o ON o.id = k.order_id
	    JOIN $DB_NAME.events e ON e.id = o.event_id JOIN $DB_NAME.users u
	    ON u.id = e.organizer_id WHERE u.email = 'organizer@tessera.test'
	    AND o.status = 'paid' AND e.status = 'published'
	    AND e.ends_at > UTC_TIMESTAMP() AND k.checked_in_at IS NULL
	    GROUP BY e.id ORDER BY e.id LIMIT 1")
	local cases=(
		"static file (nginx)|/bench/static/events.html|"
		"fixed page (FastCGI)|/bench/fixed|"
	)
	local reviewed=""
	if [[ $groups == *" pages "* ]]; then
		reviewed=$(bench_reviews_event 1000)
		[[ $reviewed =~ ^[0-9]+$ ]] || die "cannot make the event with 1,000 reviews"
		cases+=(
		"/events|/events|"
		"/events/$id|/events/$id|"
		"/events, no micro-cache|/events|$cookie"
		"/events/$id, no micro-cache|/events/$id|$cookie"
		"event, 1000 reviews, uncached|/events/$reviewed|$cookie"
		"/events/$id/book (signed in)|/events/$id/book?tt%5B0%5D%5Bid%5D=$tt&tt%5B0%5D%5Bqty%5D=1|$me"
		"/me/tickets (signed in)|/me/tickets|$me"
		"/me/orders (signed in)|/me/orders|$me"
		"/me/confirm (signed in)|/me/confirm?next=%2Fadmin%2Fusers|$me"
		"/admin (organizer)|/admin|$org"
		"/admin/orders/X (organizer)|/admin/orders/$pending|$org"
		"door: a ticket looked up|/admin/events/$door_ev/checkin?code=$ticket|$org"
		"/admin/events/X/edit|/admin/events/$door_ev/edit|$org"
		"/admin/events/new|/admin/events/new|$org"
		"/admin/events/X/attendees|/admin/events/$door_ev/attendees|$org"
		"/admin/events/X/stats|/admin/events/$door_ev/stats|$org"
		"/admin/events/X/staff|/admin/events/$door_ev/staff|$org"
		"/admin/events/X/cancel|/admin/events/$door_ev/cancel|$org"
		"/admin/audit (site admin)|/admin/audit|$adm"
		"/admin/status (site admin)|/admin/status|$adm"
		)
	fi
	if [[ $groups == *" pictures "* ]]; then
		local pic
		pic=$(root_sql primary -N -B -e "SELECT MIN(id) FROM $DB_NAME.pictures
		    WHERE status = 'ready'")
		[[ $pic =~ ^[0-9]+$ ]] || die "no demo picture is ready to bench"
		cases+=(
		"/pictures|/pictures|"
		"/pictures/$pic|/pictures/$pic|"
		"/pictures, no micro-cache|/pictures|$cookie"
		"/pictures/$pic, no micro-cache|/pictures/$pic|$cookie"
		"/me/pictures (signed in)|/me/pictures|$me"
		)
	fi
	local c label path hdr got n=0 static_rps=0 fixed_rps=0 rows=()
	for c in "${cases[@]}"; do
		IFS='|' read -r label path hdr <<<"$c"
		read -r code got < <(curl -s -o /dev/null -H "${hdr:-X-Bench: 1}" \
		    -w '%{http_code} %{size_download}\n' "$base$path")
		[[ $code == 200 ]] || die "GET $path answered $code before the benchmark"
		if [[ $got != "$size" ]]; then warn "note: $path is $got bytes, /events $size"; fi
	done
	for c in "${cases[@]}"; do
		IFS='|' read -r label path hdr <<<"$c"
		n=$((n + 1))
		wrk_case "$n" "$base$path" "$hdr"
		case $n in
		1) static_rps=$RPS rows+=("$(bench_row "$label" "$RPS" "$P50" "$P99" - - "$BAD")") ;;
		2) fixed_rps=$RPS rows+=("$(bench_row "$label" "$RPS" "$P50" "$P99" - - "$BAD")") ;;
		*) rows+=("$(bench_row "$label" "$RPS" "$P50" "$P99" \
			"$(ratio "$RPS" "$static_rps")" "$(ratio "$RPS" "$fixed_rps")" "$BAD")") ;;
		esac
	done
	BENCH_FAILURES=()
	if [[ $groups == *" booking "* ]]; then bench_booking "$fixed_rps"; fi
	NOTIFY_ROWS=()
	if [[ $groups == *" notify "* ]]; then bench_notify 10000; fi
	if [[ $groups == *" pictures "* ]]; then bench_pictures; fi
	echo
	printf 'wrk -t2 -c64 -d%ss --latency; %d-byte pages; micro-cache %s\n' \
	    "${BENCH_SECONDS:-10}" "$size" "$MICROCACHE"
	bench_row case "req/s" p50 p99 "x static" "x fixed" "non-2xx"
	printf '%s\n' "${rows[@]}"
	echo "(wrk output: ${LOG#"$SRC"/}/wrk-N.txt, N = row)"
	if [[ $groups == *" booking "* ]]; then
		echo
		printf 'booking (tests/bench/booking.py): 64 buyers for %ss, then the burst; a booking is 3 requests (hold, checkout, confirm) for one free ticket\n' \
		    "${BENCH_SECONDS:-10}"
		printf "nginx POST limit per address for this run: rate=%s burst=%s (the up stack's: 10r/s burst 20; BENCH_POST_RATE, BENCH_POST_BURST)\n" \
		    "$POST_RATE" "$POST_BURST"
		booking_row case "bookings/s" "req/s" p50 p99 "req x fix" "bkg x fix" 5xx
		printf '%s\n' "${BOOKING_ROWS[@]}"
		printf '%s\n' "${BOOKING_NOTES[@]}"
		awk -v b="$BENCH_BOOKINGS_PER_S" 'BEGIN { printf "target: 1000 confirmed bookings/s for one event: %s (%.0f/s)\n", (b >= 1000 ? "met" : "NOT met"), b }'
		echo "(driver output: ${LOG#"$SRC"/}/booking-flow.txt, booking-burst.txt)"
	fi
	if [[ $groups == *" notify "* ]]; then
		echo
		echo "notify: one event cancelled with its holders' paid orders; the worker undoes them, a batch per outbox row, each order's notification and mail row in its transaction, then writes the mails (.eml files)"
		printf '%s\n' "${NOTIFY_ROWS[@]}"
	fi
	if [[ $groups == *" pictures "* ]]; then
		echo
		printf '%s\n' "${PICTURE_NOTES[@]}"
	fi
	echo
	stop_stack
	if (( ${#BENCH_FAILURES[@]} )); then
		printf 'stack: bench FAILED: %s\n' "${BENCH_FAILURES[@]}" >&2
		exit 1
	fi
}
