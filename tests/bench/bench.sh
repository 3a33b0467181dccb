# shellcheck shell=bash
# The benchmarks of ./stack bench, sourced by stack: its helpers (msg,
# root_sql, start_programs, ...) and settings are in scope. Knobs (README,
# "Benchmarks"): BENCH_SECONDS per case, BENCH_CASES=REGEX (only the
# matching cases and the references), BENCH_PROFILE=REGEX (perf record
# during the matching cases), BENCH_KEEP=1 (the stack stays up after).

# The concurrencies every wrk case runs at: a busy page's usual load, and
# the 1,000 visitors at once a deployment is sized for.
BENCH_CONNS=(64 1000)
# wrk counts an answer slower than this as a socket error (a timeout):
# past its default of 2 s, a slow page at 1,000 connections (each request
# waits behind 999 others) would read as dropped connections; its p99
# says how slow it is.
BENCH_TIMEOUT=10s

# wrk_case N URL HEADER CONNS LABEL: one wrk run with CONNS connections; sets
# RPS P50 P99 BAD (non-2xx or 3xx answers) and SOCKERR (connect, read,
# write errors and timeouts: what a visitor sees as a failed page).
wrk_case() {
	local out=$LOG/wrk-$1.txt url=$2 hdr=() conns=${4:-64} prof=""
	if [[ -n ${3:-} ]]; then hdr=(-H "$3"); fi
	msg "wrk ${BENCH_SECONDS:-10}s c=$conns: $url ${3:-}"
	# A hot page: the micro-cache holds it before the clock starts (a cold
	# entry makes every request of the first moment wait on its lock,
	# which nginx polls every 500 ms).
	curl -s -o /dev/null ${3:+-H "$3"} "$url" || true
	if [[ -n ${BENCH_PROFILE:-} && $5 =~ $BENCH_PROFILE && $conns == 64 ]]; then
		bench_profile "$1" "${BENCH_SECONDS:-10}" &
		prof=$!
	fi
	wrk -t2 -c"$conns" -d"${BENCH_SECONDS:-10}"s --timeout "$BENCH_TIMEOUT" --latency \
	    "${hdr[@]}" "$url" >"$out" 2>&1 ||
	    warn "wrk failed for $url; see $out"
	if [[ -n $prof ]]; then wait "$prof" || true; fi
	RPS=$(awk '$1 == "Requests/sec:" { print $2 }' "$out")
	P50=$(awk '$1 == "50%" { print $2; exit }' "$out")
	P99=$(awk '$1 == "99%" { print $2; exit }' "$out")
	BAD=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$out")
	SOCKERR=$(awk '/Socket errors:/ { gsub(/,/, ""); print $4 + $6 + $8 + $10 }' "$out")
	RPS=${RPS:-0} P50=${P50:--} P99=${P99:--} BAD=${BAD:-0} SOCKERR=${SOCKERR:-0}
}

# bench_profile N SECONDS: where the machine's time goes while case N
# runs (BENCH_PROFILE=REGEX picks the cases by label, at 64 connections):
# perf record -a -g over the middle of the run, across nginx, the
# programs, mariadbd and wrk; $LOG/perf-N.txt has the time per program
# and library, then the hottest functions.
bench_profile() {
	local n=$1 seconds=$2 data=$LOG/perf-$1.data
	sleep 1
	perf record -a -g -o "$data" -- sleep $((seconds > 4 ? seconds - 3 : 1)) \
	    >/dev/null 2>&1 || { warn "perf record failed for case $n"; return 0; }
	{
		perf report -i "$data" --no-children --sort comm,dso --stdio -g none 2>/dev/null |
		    grep -v '^$' | grep -v '^#' | grep '%' | head -n 40
		echo
		perf report -i "$data" --no-children --sort comm,symbol --stdio -g none 2>/dev/null |
		    grep -v '^$' | grep -v '^#' | grep '%' | head -n 60
	} >"$LOG/perf-$n.txt"
	rm -f "$data"
}

# bench_row CELLS...: one row of the results table, as Markdown, which
# reads as well in a terminal as in var/bench/results.md.
bench_row() {
	local cell line="|"
	for cell in "$@"; do line+=" $cell |"; done
	printf '%s\n' "$line"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }

# bench_rss: the memory of each FastCGI program's workers (the children of
# its master) now, as "NAME: N workers, RSS max X MB (X, X, ...), private
# max X MB": RSS counts the libraries and the master's pages each worker
# shares with the others; private (Private_Clean + Private_Dirty of
# smaps_rollup) is what one more worker costs.
bench_rss() {
	local name pid kids p rss priv list max maxpriv
	for name in browse app admin; do
		pid=$(pid_of "$name") || continue
		kids=$(pgrep -P "$pid" || true)
		list="" max=0 maxpriv=0
		for p in $kids; do
			read -r rss priv < <(awk '$1 == "Rss:" { r = $2 }
			    $1 == "Private_Clean:" || $1 == "Private_Dirty:" { q += $2 }
			    END { print r + 0, q + 0 }' "/proc/$p/smaps_rollup" 2>/dev/null) || continue
			(( rss > 0 )) || continue
			list+="${list:+, }$(awk -v k="$rss" 'BEGIN { printf "%.1f", k / 1024 }')"
			if (( rss > max )); then max=$rss; fi
			if (( priv > maxpriv )); then maxpriv=$priv; fi
		done
		printf '%s: %d workers, RSS max %s MB (%s), private max %s MB\n' "$name" \
		    "$(wc -w <<<"$kids")" "$(awk -v k="$max" 'BEGIN { printf "%.1f", k / 1024 }')" \
		    "$list" "$(awk -v k="$maxpriv" 'BEGIN { printf "%.1f", k / 1024 }')"
	done
}

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

# bench_scale: the data of a site in use, for the page cases to run
# where indexes matter: 100 organizers with 100 published events each
# (10,000: a fifth of them past, the rest over the coming year, in 20
# cities, titles of ten kinds to search for), one ticket type each, 5,000
# attendees, 50,000 paid orders of two tickets (100,000 tickets) and 25
# reviews on each past event (50,000), the counters in the event and
# ticket type rows set from them as the booking and review transactions
# keep them. Bulk INSERT ... SELECT from MariaDB's sequence tables, in
# seconds. Sets SCALE_NOTE (what was loaded, how long it took) and
# SCALE_EVENT (a past event with its reviews, for the event page).
bench_scale() {
	local d=$DB_NAME start counts
	msg "scale: 10,000 events, 100,000 tickets, 50,000 reviews"
	start=$(date +%s.%N)
	root_sql primary -e "
	    INSERT INTO $d.users (email, display_name, password_hash, role,
	    email_verified_at) SELECT CONCAT('scale-org-', s.seq, '@bench.test'),
	    CONCAT('Organizer ', s.seq), u.password_hash, 'organizer',
	    UTC_TIMESTAMP() FROM $d.seq_1_to_100 s JOIN $d.users u
	    ON u.email = 'alice@tessera.test';
	    INSERT INTO $d.users (email, display_name, password_hash,
	    email_verified_at) SELECT CONCAT('scale-', s.seq, '@bench.test'),
	    CONCAT('Attendee ', s.seq), u.password_hash, UTC_TIMESTAMP()
	    FROM $d.seq_1_to_5000 s JOIN $d.users u ON u.email = 'alice@tessera.test';
	    INSERT INTO $d.events (organizer_id, title, summary, description,
	    venue, address, city, timezone, starts_at, ends_at, status)
	    SELECT o.id, CONCAT(ELT(1 + s.seq % 10, 'Jazz', 'Rock', 'Folk',
	      'Opera', 'Techno', 'Comedy', 'Theatre', 'Poetry', 'Blues', 'Dance'),
	      ' ', ELT(1 + s.seq DIV 10 % 5, 'night', 'evening', 'festival',
	      'matinee', 'session'), ' ', s.seq),
	    'An evening of music and talk with guests from near and far.',
	    CONCAT('Doors open an hour before. The hall seats five hundred; ',
	      'the bar is open throughout. Event ', s.seq, ' of the season.'),
	    CONCAT('Scale Hall ', s.seq % 50), CONCAT(s.seq % 200, ' Main Street'),
	    ELT(1 + s.seq % 20, 'Berlin', 'Hamburg', 'Munich', 'Cologne',
	      'Frankfurt', 'Stuttgart', 'Leipzig', 'Dresden', 'Vienna', 'Zurich',
	      'Paris', 'Lyon', 'Amsterdam', 'Brussels', 'Prague', 'Warsaw',
	      'Copenhagen', 'Oslo', 'Lisbon', 'Madrid'),
	    'Europe/Berlin',
	    IF(s.seq % 5 = 2, UTC_TIMESTAMP() - INTERVAL 1 + s.seq % 300 DAY,
	       UTC_TIMESTAMP() + INTERVAL 1 + s.seq % 365 DAY)
	      + INTERVAL s.seq % 12 HOUR,
	    IF(s.seq % 5 = 2, UTC_TIMESTAMP() - INTERVAL 1 + s.seq % 300 DAY,
	       UTC_TIMESTAMP() + INTERVAL 1 + s.seq % 365 DAY)
	      + INTERVAL s.seq % 12 HOUR + INTERVAL 3 HOUR,
	    'published'
	    FROM $d.seq_1_to_10000 s JOIN $d.users o
	    ON o.email = CONCAT('scale-org-', 1 + s.seq % 100, '@bench.test');
	    INSERT INTO $d.ticket_types (event_id, name, price_cents, currency,
	    quota, sort_order) SELECT e.id, 'Standard', 1500 + e.id % 5 * 500,
	    'EUR', 500, 0 FROM $d.events e WHERE e.venue LIKE 'Scale Hall %';
	    INSERT INTO $d.orders (code, event_id, buyer_id, status, total_cents,
	    currency, created_at, paid_at) SELECT
	    CONCAT('SC', LPAD(e.id * 5 + k.seq, 14, '0')), e.id, u.id, 'paid',
	    2 * t.price_cents, 'EUR', e.starts_at - INTERVAL k.seq DAY,
	    e.starts_at - INTERVAL k.seq DAY FROM $d.events e
	    JOIN $d.seq_1_to_5 k JOIN $d.ticket_types t ON t.event_id = e.id
	    JOIN $d.users u ON u.email = CONCAT('scale-',
	      1 + (e.id * 5 + k.seq) % 5000, '@bench.test')
	    WHERE e.venue LIKE 'Scale Hall %';
	    INSERT INTO $d.order_lines (order_id, kind, ticket_type_id,
	    description, quantity, unit_price_cents) SELECT o.id, 'ticket', t.id,
	    'Standard', 2, t.price_cents FROM $d.orders o JOIN $d.ticket_types t
	    ON t.event_id = o.event_id WHERE o.code LIKE 'SC%';
	    INSERT INTO $d.tickets (order_id, ticket_type_id, attendee_name, code)
	    SELECT l.order_id, l.ticket_type_id, CONCAT('Guest ', k.seq),
	    CONCAT('SCALE', LPAD(l.order_id, 14, '0'), k.seq)
	    FROM $d.order_lines l JOIN $d.orders o ON o.id = l.order_id
	    JOIN $d.seq_1_to_2 k WHERE o.code LIKE 'SC%';
	    UPDATE $d.ticket_types t SET t.sold = 10
	    WHERE t.event_id IN (SELECT id FROM $d.events WHERE venue LIKE 'Scale Hall %');
	    INSERT INTO $d.reviews (event_id, author_id, rating, comment, created_at)
	    SELECT e.id, u.id, 1 + (e.id + k.seq) % 5,
	    CONCAT('Review ', k.seq, ': the hall was full, the sound was clear ',
	      'and the second half was better than the first.'),
	    e.ends_at + INTERVAL k.seq HOUR FROM $d.events e JOIN $d.seq_1_to_25 k
	    JOIN $d.users u ON u.email = CONCAT('scale-',
	      1 + (e.id * 25 + k.seq) % 5000, '@bench.test')
	    WHERE e.venue LIKE 'Scale Hall %' AND e.ends_at < UTC_TIMESTAMP();
	    UPDATE $d.events e JOIN (SELECT event_id, SUM(rating) AS s,
	      COUNT(*) AS c, SUM(rating = 1) AS r1, SUM(rating = 2) AS r2,
	      SUM(rating = 3) AS r3, SUM(rating = 4) AS r4, SUM(rating = 5) AS r5
	      FROM $d.reviews GROUP BY event_id) x ON x.event_id = e.id
	    SET e.rating_sum = x.s, e.rating_count = x.c, e.rating_1 = x.r1,
	    e.rating_2 = x.r2, e.rating_3 = x.r3, e.rating_4 = x.r4,
	    e.rating_5 = x.r5 WHERE e.venue LIKE 'Scale Hall %';
	    ANALYZE TABLE $d.events, $d.ticket_types, $d.orders, $d.order_lines,
	    $d.tickets, $d.reviews, $d.users" >/dev/null ||
	    die "cannot load the scale data"
	wait_replica_synced 300
	counts=$(root_sql replica -N -B -e "SELECT
	    (SELECT COUNT(*) FROM $d.events WHERE venue LIKE 'Scale Hall %'),
	    (SELECT COUNT(*) FROM $d.tickets WHERE code LIKE 'SCALE%'),
	    (SELECT COUNT(*) FROM $d.reviews r JOIN $d.events e ON e.id = r.event_id
	     WHERE e.venue LIKE 'Scale Hall %')")
	SCALE_EVENT=$(root_sql primary -N -B -e "SELECT MIN(e.id) FROM $d.events e
	    WHERE e.venue LIKE 'Scale Hall %' AND e.rating_count > 0")
	[[ $SCALE_EVENT =~ ^[0-9]+$ ]] || die "the scale data has no reviewed event"
	read -r -a counts <<<"$counts"
	SCALE_NOTE="data at scale (bench_scale, on the replica): ${counts[0]} events, ${counts[1]} tickets, ${counts[2]} reviews, loaded and replicated in $(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s"
	msg "$SCALE_NOTE"
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

# bench_booking FIXED_64 FIXED_1000: the booking cases (the fixed page's
# req/s at 64 and 1,000 connections, for their ratios); adds their rows to
# BENCH_ROWS, sets BOOKING_NOTES, and BENCH_FAILURES on an oversell or a
# wrong answer.
bench_booking() {
	local fixed_rps=$1 fixed_1000=$2 base=http://127.0.0.1:$HTTP_PORT seconds=${BENCH_SECONDS:-10}
	local ev tt before after cpu_before cpu_after label
	BOOKING_NOTES=()
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
	BENCH_ROWS+=("$(bench_row "$label (${BK[bookings_per_s]} bookings/s)" 64 \
	    "${BK[requests_per_s]}" "${BK[booking_p50_ms]}ms" "${BK[booking_p99_ms]}ms" - \
	    "$(ratio "${BK[requests_per_s]}" "$fixed_rps")" "${BK[s5xx]} 5xx" \
	    "${BK[errors]}" booking-flow)")
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
	BENCH_ROWS+=("$(bench_row "$label (holds)" 1000 \
	    "${BK[requests_per_s]}" "${BK[hold_p50_ms]}ms" "${BK[hold_p99_ms]}ms" - \
	    "$(ratio "${BK[requests_per_s]}" "$fixed_1000")" "${BK[s5xx]} 5xx" \
	    "${BK[errors]}" booking-burst)")
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

# bench_report SIZE GROUPS: the results as Markdown, for the terminal and
# var/bench/results.md: the run's conditions, one table of every case at
# every concurrency, then the booking, notify and pictures notes and the
# workers' memory.
bench_report() {
	local size=$1 groups=$2
	printf '# ./stack bench, %s\n\n' "$(date -u '+%Y-%m-%d %H:%M UTC')"
	printf 'commit %s; %s CPUs; load average before the run %s (the machine may be shared: compare ratios, not req/s)\n\n' \
	    "$(git -C "$SRC" rev-parse --short HEAD 2>/dev/null || echo '?')" "$(nproc)" "$BENCH_LOAD"
	printf 'wrk -t2 -cN -d%ss --timeout %s --latency; %d-byte pages; micro-cache %s; x static and x fixed: to the references at the same N; socket errors: connect, read and write errors and timeouts\n\n' \
	    "${BENCH_SECONDS:-10}" "$BENCH_TIMEOUT" "$size" "$MICROCACHE"
	bench_row case N "req/s" p50 p99 "x static" "x fixed" "non-2xx" "socket errors" log
	bench_row --- --: --: --: --: --: --: --: --: ---
	printf '%s\n' "${BENCH_ROWS[@]}"
	echo
	echo "(log: ${LOG#"$SRC"/}/wrk-N.txt, booking-flow.txt, booking-burst.txt)"
	if [[ -n ${SCALE_NOTE:-} ]]; then printf '\n%s\n' "$SCALE_NOTE"; fi
	if [[ $groups == *" booking "* ]]; then
		echo
		printf 'booking (tests/bench/booking.py): 64 buyers for %ss, then the burst; a booking is 3 requests (hold, checkout, confirm) for one free ticket; its rows above count requests, p50 and p99 per booking\n' \
		    "${BENCH_SECONDS:-10}"
		printf "nginx POST limit per address for this run: rate=%s burst=%s (the up stack's: 10r/s burst 20; BENCH_POST_RATE, BENCH_POST_BURST)\n\n" \
		    "$POST_RATE" "$POST_BURST"
		printf '%s\n' "${BOOKING_NOTES[@]}"
		awk -v b="$BENCH_BOOKINGS_PER_S" 'BEGIN { printf "target: 1000 confirmed bookings/s for one event: %s (%.0f/s)\n", (b >= 1000 ? "met" : "NOT met"), b }'
	fi
	if [[ $groups == *" notify "* ]]; then
		echo
		echo "notify: one event cancelled with its holders' paid orders; the worker undoes them 50 orders per transaction, their notification and mail rows in it, then writes the mails (.eml files)"
		printf '%s\n' "${NOTIFY_ROWS[@]}"
	fi
	if [[ $groups == *" pictures "* ]]; then
		echo
		printf '%s\n' "${PICTURE_NOTES[@]}"
	fi
	echo
	echo "memory after the bench (VmRSS of each FastCGI worker; target under 10 MB):"
	echo
	bench_rss | sed 's/^/- /'
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
	BENCH_LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
	# wrk's 1,000 connections and nginx's two descriptors per request.
	ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
	[[ $POST_RATE =~ ^[1-9][0-9]*r/[sm]$ && $POST_BURST =~ ^[0-9]+$ ]] ||
	    die "BENCH_POST_RATE must be like 100000r/s and BENCH_POST_BURST a number"
	require_programs
	install_packages
	build_main
	claim_scratch
	stack_setup "${DEPLOYED_SERVERS[@]}"
	base=http://127.0.0.1:$HTTP_PORT
	SCALE_NOTE=""
	if [[ $groups == *" pages "* ]]; then bench_scale; fi

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
		"/events?page=50 (10,000 events)|/events?page=50|$me"
		"/events?q=jazz (signed in)|/events?q=jazz|$me"
		"/events?q=jazz+berlin|/events?q=jazz+berlin|$me"
		"/events?city=Hamburg (signed in)|/events?city=Hamburg|$me"
		"/events?city=Hamburg&q=rock|/events?city=Hamburg&q=rock|$me"
		"/events/$SCALE_EVENT (25 reviews, signed in)|/events/$SCALE_EVENT|$me"
		"/events|/events|"
		"/events/$id|/events/$id|"
		"/events, no micro-cache|/events|$cookie"
		"/events/$id, no micro-cache|/events/$id|$cookie"
		"/events (signed in)|/events|$me"
		"/events/$id (signed in)|/events/$id|$me"
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
		"/admin/events/X/banner|/admin/events/$door_ev/banner|$org"
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
		"/me/purchases (signed in)|/me/purchases|$me"
		)
	fi
	local c label path hdr got conns n=0 picked=()
	local -A static_rps=() fixed_rps=()
	BENCH_ROWS=()
	# BENCH_CASES=REGEX: only the cases whose label matches (and the two
	# references), for a quicker look at a few pages.
	for c in "${cases[@]}"; do
		IFS='|' read -r label path hdr <<<"$c"
		if [[ -z ${BENCH_CASES:-} || $label =~ $BENCH_CASES ||
		    $label == "static file (nginx)" || $label == "fixed page (FastCGI)" ]]; then
			picked+=("$c")
		fi
	done
	cases=("${picked[@]}")
	for c in "${cases[@]}"; do
		IFS='|' read -r label path hdr <<<"$c"
		read -r code got < <(curl -s -o /dev/null -H "${hdr:-X-Bench: 1}" \
		    -w '%{http_code} %{size_download}\n' "$base$path")
		[[ $code == 200 ]] || die "GET $path answered $code before the benchmark"
		if [[ $got != "$size" ]]; then warn "note: $path is $got bytes, /events $size"; fi
	done
	# Each case at every concurrency, one after the other, so that its
	# rows sit together; the references come first, and each row's
	# ratios are to the references at its own concurrency.
	for c in "${cases[@]}"; do
		IFS='|' read -r label path hdr <<<"$c"
		for conns in "${BENCH_CONNS[@]}"; do
			n=$((n + 1))
			wrk_case "$n" "$base$path" "$hdr" "$conns" "$label"
			case $label in
			"static file (nginx)") static_rps[$conns]=$RPS ;;
			"fixed page (FastCGI)") fixed_rps[$conns]=$RPS ;;
			esac
			BENCH_ROWS+=("$(bench_row "$label" "$conns" "$RPS" "$P50" "$P99" \
			    "$(ratio "$RPS" "${static_rps[$conns]:-0}")" \
			    "$(ratio "$RPS" "${fixed_rps[$conns]:-0}")" "$BAD" "$SOCKERR" "wrk-$n")")
		done
	done
	BENCH_FAILURES=()
	if [[ $groups == *" booking "* ]]; then bench_booking "${fixed_rps[64]:-0}" "${fixed_rps[1000]:-0}"; fi
	NOTIFY_ROWS=()
	if [[ $groups == *" notify "* ]]; then bench_notify 10000; fi
	if [[ $groups == *" pictures "* ]]; then bench_pictures; fi
	bench_report "$size" "$groups" >"$VAR/results.md"
	echo
	cat "$VAR/results.md"
	mkdir -p "$SRC/var/bench-results"
	cp "$VAR/results.md" "$SRC/var/bench-results/$(date -u +%Y%m%d-%H%M%S).md"
	echo "(this table: ${VAR#"$SRC"/}/results.md; every run's is kept in var/bench-results/)"
	echo
	# BENCH_KEEP=1: the stack stays up for a look by hand (./stack sql
	# with STACK_VAR=var/bench, wrk, perf) until its keep file goes.
	if [[ ${BENCH_KEEP:-} == 1 ]]; then
		touch "$VAR/keep"
		msg "the bench stack stays up on $base until you rm ${VAR#"$SRC"/}/keep"
		while [[ -e $VAR/keep ]]; do sleep 2; done
	fi
	stop_stack
	if (( ${#BENCH_FAILURES[@]} )); then
		printf 'stack: bench FAILED: %s\n' "${BENCH_FAILURES[@]}" >&2
		exit 1
	fi
}
