# Several hosts on one machine: sourced by ./stack for `./stack cluster`.
#
# Each simulated host is its own loopback address, and its processes are
# process groups of their own (start_program's setsid), so a fault can stop
# or kill exactly one host, or cut the traffic between two addresses with
# an nftables rule:
#
#   127.0.10.1:PORT   the front nginx (nginx/local.conf.in's locations,
#                     upstreams across the hosts, nginx/cluster.conf)
#   127.0.11.1-2      the app hosts: browse, app and admin over FastCGI
#                     on TCP ports 9001-9003, and a tessera-worker each
#   127.0.12.1-3      MariaDB db1 (primary at first), db2 and db3
#                     (replicas by GTID); port 3306 each
#
# Nothing listens outside 127.0.0.0/8. The hosts share this machine's
# media folder, as real ones would share a mount. The programs and the
# replicas reach the databases over TCP with TLS, each server's
# certificate checked against the stack's test CA, as between machines.
#
# The state of the cluster is var/cluster; cluster.env there says which
# server is the primary now.

CLUSTER_HOSTS=(host1 host2)
CLUSTER_DBS=(db1 db2 db3)
declare -A CLUSTER_ADDR=([front]=127.0.10.1 [host1]=127.0.11.1 [host2]=127.0.11.2
	[db1]=127.0.12.1 [db2]=127.0.12.2 [db3]=127.0.12.3)
declare -A CLUSTER_PORT=([browse]=9001 [app]=9002 [admin]=9003)
CLUSTER_DB_PORT=3306
CLUSTER_NFT_TABLE=tessera_cluster

# cluster_set_stack: the paths and ports of var/cluster.
cluster_set_stack() {
	local off=${STACK_PORT_OFFSET:-0}
	STACK_MODE=cluster
	VAR=$SRC/var/cluster HTTP_PORT=$((8080 + off))
	PRIMARY_PORT=$CLUSTER_DB_PORT REPLICA_PORT=$CLUSTER_DB_PORT
	MICROCACHE=on POST_RATE=1000r/s POST_BURST=1000
	HASH_RATE=2r/s HASH_BURST=10
	set_paths
	local n
	for n in "${CLUSTER_DBS[@]}"; do PROC_NAME[$n]=mariadbd; done
	for n in "${CLUSTER_HOSTS[@]}"; do
		for p in "${SERVERS[@]}"; do PROC_NAME[$n-$p]=tessera-$p; done
	done
	PROC_NAME[front]=nginx PROC_NAME[relay]=smtp_relay.py
	SMTP_PORT=$((12525 + off))
}

cluster_url() { echo "http://${CLUSTER_ADDR[front]}:$HTTP_PORT"; }

# cluster_state: cluster.env, the primary and replicas of now.
cluster_state() {
	# shellcheck source=/dev/null
	source "$VAR/cluster.env"
	# shellcheck source=/dev/null
	source "$VAR/secrets.env"
}

cluster_write_state() {
	printf 'CLUSTER_PRIMARY=%s\nCLUSTER_REPLICAS="%s"\n' "$1" "$2" >"$VAR/cluster.env"
	# root_sql primary (run_accounts_sql, the tests) follows the primary.
	ln -sfn "$RUN/$1.sock" "$RUN/primary.sock"
	CLUSTER_PRIMARY=$1 CLUSTER_REPLICAS=$2
}

db_addr() { echo "${CLUSTER_ADDR[$1]}:$CLUSTER_DB_PORT"; }

# cluster_tls_certs: the stack's test CA (db_tls_certs) and a certificate
# it signed for the three database addresses, made once.
cluster_tls_certs() {
	local dir=$VAR/tls san="" n
	db_tls_certs
	[[ -f $dir/cluster-db.pem ]] && return 0
	for n in "${CLUSTER_DBS[@]}"; do san+="${san:+,}IP:${CLUSTER_ADDR[$n]}"; done
	openssl req -newkey rsa:2048 -nodes -subj "/CN=tessera cluster databases" \
	    -keyout "$dir/cluster-db-key.pem" -out "$dir/cluster-db.csr" >/dev/null 2>&1 &&
	openssl x509 -req -in "$dir/cluster-db.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca-key.pem" \
	    -CAcreateserial -days 3650 -extfile <(printf 'subjectAltName=%s\n' "$san") \
	    -out "$dir/cluster-db.pem" >/dev/null 2>&1 ||
	    die "openssl could not make the cluster's database certificate in $dir"
}

# ---------------------------------------------------------------- MariaDB

# cluster_db_start NAME: one server on its own address, started read-only
# (a restarted old primary must not take writes): the stack's mariadbd
# command line for a replica, moved to NAME's address, files and id.
cluster_db_start() {
	local name=$1 arg args=() id=${1#db}
	if pid_of "$name" >/dev/null; then return 0; fi
	db_args replica
	for arg in "${DB_ARGS[@]}"; do
		case $arg in
		--log-basename=*) arg=--log-basename=$name ;;
		--datadir=*) arg=--datadir=$DBDIR/$name ;;
		--socket=*) arg=--socket=$RUN/$name.sock ;;
		--pid-file=*) arg=--pid-file=$RUN/$name.pid ;;
		--log-error=*) arg=--log-error=$LOG/mariadb-$name.log ;;
		--port=*) arg=--port=$CLUSTER_DB_PORT ;;
		--bind-address=*) arg=--bind-address=${CLUSTER_ADDR[$name]} ;;
		--server-id=*) arg=--server-id=$id ;;
		--relay-log=*) arg=--relay-log=$name-relay-bin ;;
		--tmpdir=*) arg=--tmpdir=$VAR/tmp/$name ;;
		esac
		args+=("$arg")
	done
	# Replication does not start by itself: cluster_follow says whom.
	args+=(--skip-slave-start --ssl-ca="$VAR/tls/ca.pem"
		--ssl-cert="$VAR/tls/cluster-db.pem" --ssl-key="$VAR/tls/cluster-db-key.pem")
	mkdir -p "$VAR/tmp/$name"
	msg "starting $name ($(db_addr "$name"))"
	start_bg "$name" "$LOG/mariadb-$name.log" "${args[@]}"
	wait_ready "$name" 120 "$LOG/mariadb-$name.log" db_ping "$name"
}

# cluster_follow NAME PRIMARY POS: NAME replicates PRIMARY by GTID from
# POS (slave_pos for a replica, current_pos for an old primary, whose own
# binlog holds what it committed).
cluster_follow() {
	printf '%s\n' "STOP SLAVE;" \
	    "CHANGE MASTER TO MASTER_HOST='${CLUSTER_ADDR[$2]}', MASTER_PORT=$CLUSTER_DB_PORT, MASTER_USER='tessera_repl', MASTER_PASSWORD='$REPL_PASSWORD', MASTER_USE_GTID=$3, MASTER_CONNECT_RETRY=1, MASTER_SSL=1, MASTER_SSL_CA='$VAR/tls/ca.pem', MASTER_SSL_VERIFY_SERVER_CERT=1;" \
	    "SET GLOBAL read_only = 1;" "START SLAVE;" |
	    root_sql "$1" || die "$1 cannot follow $2"
}

# cluster_replicating NAME: both threads of NAME run.
cluster_replicating() {
	local s
	s=$(root_sql "$1" -E -e 'SHOW REPLICA STATUS')
	grep -q 'Slave_IO_Running: Yes' <<<"$s" && grep -q 'Slave_SQL_Running: Yes' <<<"$s"
}

cluster_wait_replicating() {
	local deadline=$((SECONDS + 30))
	until cluster_replicating "$1"; do
		(( SECONDS < deadline )) || fail_with_log "$1 does not replicate" "$LOG/mariadb-$1.log"
		sleep 0.2
	done
}

# cluster_databases: three servers, db1 the primary with the schema, the
# accounts and the demo data; db2 and db3 following it.
cluster_databases() {
	local n
	for n in "${CLUSTER_DBS[@]}"; do db_init "$n"; cluster_db_start "$n"; done
	cluster_write_state db1 "db2 db3"
	printf '%s\n' "SET GLOBAL read_only = 0;" \
	    "CREATE USER IF NOT EXISTS 'tessera_repl'@'127.0.0.1' IDENTIFIED BY '$REPL_PASSWORD';" \
	    "GRANT REPLICATION SLAVE ON *.* TO 'tessera_repl'@'127.0.0.1';" |
	    root_sql db1 || die "db1: cannot make it the primary"
	for n in db2 db3; do cluster_follow "$n" db1 slave_pos; done
	for n in db2 db3; do cluster_wait_replicating "$n"; done
	create_database
	run_migrations
	create_accounts
	load_demo_data
}

# ---------------------------------------------------------------- hosts

# cluster_host_start HOST: its programs, pointed at the primary and the
# replicas of cluster.env.
cluster_host_start() {
	local host=$1 p addr=${CLUSTER_ADDR[$1]} replicas=() r
	cluster_state
	for r in $CLUSTER_REPLICAS; do replicas+=("$(db_addr "$r")"); done
	for p in "${SERVERS[@]}"; do
		[[ ${PROG_DEPLOY[$p]} == yes ]] || continue
		START_ID=$host-$p START_DB_PRIMARY=$(db_addr "$CLUSTER_PRIMARY") \
		START_DB_REPLICAS=$(IFS=,; echo "${replicas[*]}") \
		START_LISTEN=$addr:${CLUSTER_PORT[$p]:-0} \
		START_ENV="TESSERA_DB_TLS=verify TESSERA_DB_TLS_CA=$VAR/tls/ca.pem FCGI_WEB_SERVER_ADDRS=${CLUSTER_ADDR[front]} TESSERA_BASE_URL=$(cluster_url) TESSERA_SMTP_CA=$VAR/tls/ca.pem" \
		STACK_SMTP_URL=smtp://127.0.0.1:$SMTP_PORT start_program "$p"
		# A host killed on purpose is no news: no job report of it.
		disown "$!"
	done
	for p in "${SERVICES[@]}"; do
		[[ ${PROG_DEPLOY[$p]} == yes ]] || continue
		wait_ready "$host-$p" 30 "$LOG/$host-$p.log" port_open "$addr" "${CLUSTER_PORT[$p]}"
	done
}

port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

host_names() {
	local p
	for p in "${SERVERS[@]}"; do
		if [[ ${PROG_DEPLOY[$p]} == yes ]]; then printf '%s ' "$1-$p"; fi
	done
}

# cluster_host_kill HOST: SIGKILL to every process group of the host (a
# program and its workers): a machine that lost its power.
cluster_host_kill() {
	local name pid
	for name in $(host_names "$1"); do
		if pid=$(pid_of "$name"); then kill -KILL -- "-$pid" 2>/dev/null || true; fi
	done
	for name in $(host_names "$1"); do
		if pid=$(cat "$RUN/$name.pid" 2>/dev/null); then wait_gone "$pid" 10 || true; fi
		rm -f "$RUN/$name.pid"
	done
}

# cluster_relay_start: the mail relay every worker sends to
# (tests/cluster/smtp_relay.py, STARTTLS with the stack's test
# certificate for 127.0.0.1); what it receives goes to <var>/relay.
cluster_relay_start() {
	if pid_of relay >/dev/null; then return 0; fi
	start_bg relay "$LOG/relay.log" python3 "$SRC/tests/cluster/smtp_relay.py" \
	    "$SMTP_PORT" "$VAR/tls/server.pem" "$VAR/tls/server-key.pem" "$VAR/relay"
	wait_ready relay 10 "$LOG/relay.log" port_open 127.0.0.1 "$SMTP_PORT"
}

# ---------------------------------------------------------------- front

# cluster_nginx_conf: <var>/nginx.conf of the front, checked by nginx -t.
cluster_nginx_conf() {
	local server p h line
	write_nginx_conf
	# The locations are the stack's; the upstreams become the hosts, and
	# nginx/cluster.conf comes before them, at http level.
	sed -i -E "/^ *upstream +browse +\\{/i\\    include $SRC/nginx/cluster.conf;" "$VAR/nginx.conf"
	for p in "${SERVICES[@]}"; do
		[[ ${PROG_DEPLOY[$p]} == yes ]] || continue
		line="    upstream $p {"
		for h in "${CLUSTER_HOSTS[@]}"; do
			line+=" server ${CLUSTER_ADDR[$h]}:${CLUSTER_PORT[$p]} max_fails=1 fail_timeout=5s;"
		done
		sed -i -E "s|^ *upstream +$p +\\{.*\\}|$line }|" "$VAR/nginx.conf"
	done
	sed -i -E -e '/^ *upstream +fixed /d' -e '/location = \/bench\/fixed/,/}/d' \
	    -e "s|listen 127\\.0\\.0\\.1:$HTTP_PORT([ ;])|listen ${CLUSTER_ADDR[front]}:$HTTP_PORT\\1|" \
	    "$VAR/nginx.conf"
	for server in "listen ${CLUSTER_ADDR[front]}:" "include $SRC/nginx/cluster.conf;" \
	    "server ${CLUSTER_ADDR[host2]}:${CLUSTER_PORT[app]}"; do
		grep -qF "$server" "$VAR/nginx.conf" ||
		    die "the cluster's nginx.conf lacks \"$server\" (nginx/local.conf.in changed?)"
	done
	nginx_cmd -t -q
	"${NGINX[@]}" </dev/null >>"$LOG/nginx-error.log" 2>&1 ||
	    fail_with_log "nginx rejected $VAR/nginx.conf" "$LOG/nginx-error.log"
}

cluster_nginx() {
	cluster_nginx_conf
	nginx_cmd
	start_bg front "$LOG/nginx-error.log" "${NGINX[@]}"
	wait_ready front 20 "$LOG/nginx-error.log" curl -fsS -o /dev/null "$(cluster_url)/static/unavailable.html"
}

# ---------------------------------------------------------------- faults

nft_drop() {
	command -v nft >/dev/null || die "no nft (the nftables package)"
	nft add table inet "$CLUSTER_NFT_TABLE"
	nft add chain inet "$CLUSTER_NFT_TABLE" out '{ type filter hook output priority 0; }'
	nft add rule inet "$CLUSTER_NFT_TABLE" out ip saddr "${CLUSTER_ADDR[$1]}" ip daddr "${CLUSTER_ADDR[$2]}" drop
	nft add rule inet "$CLUSTER_NFT_TABLE" out ip saddr "${CLUSTER_ADDR[$2]}" ip daddr "${CLUSTER_ADDR[$1]}" drop
}

nft_heal() { nft delete table inet "$CLUSTER_NFT_TABLE" 2>/dev/null || true; }

# cluster_deploy SCRIPT ARGS...: `tessera SCRIPT` (deploy/SCRIPT, as make
# install lays it beside lib.sh) on the settings of <var>/root/etc/tessera,
# written from cluster.env: the primary and replicas of now, and the
# replication account with the test CA.
cluster_deploy() {
	local dir=$VAR/libexec etc=$VAR/root/etc/tessera r replicas=""
	mkdir -p "$dir" "$etc"
	ln -sfn "$SRC/deploy/$1" "$dir/$1"
	cp "$BUILD/deploy/lib.sh" "$dir/lib.sh"
	for r in $CLUSTER_REPLICAS; do replicas+="${replicas:+,}$(db_addr "$r")"; done
	printf 'TESSERA_DB_PRIMARY=%s\nTESSERA_DB_REPLICAS=%s\n' \
	    "$(db_addr "$CLUSTER_PRIMARY")" "$replicas" >"$etc/common.env"
	printf 'TESSERA_REPL_PASSWORD=%s\nTESSERA_REPL_SSL_CA=%s\n' \
	    "$REPL_PASSWORD" "$VAR/tls/ca.pem" >"$etc/replication.env"
	chmod 0600 "$etc/common.env" "$etc/replication.env"
	"$dir/$1" --root "$VAR/root" "${@:2}"
}

# cluster_promote NEW: `tessera promote` of NEW, a replica (README.md,
# "Operations"): it applies what it received, stops replicating and takes
# writes; the other replica follows it; every host's programs restart,
# one host after the other, pointed at it. The old primary is left
# alone: `./stack cluster rejoin OLD` makes it a replica once it is back.
cluster_promote() {
	local new=$1 old r rest="" host
	cluster_state
	old=$CLUSTER_PRIMARY
	[[ " $CLUSTER_REPLICAS " == *" $new "* ]] || die "$new is not a replica (replicas: $CLUSTER_REPLICAS)"
	msg "promoting $new (the primary was $old)"
	cluster_deploy promote --db-socket "$RUN/$new.sock" "$(db_addr "$new")" ||
	    die "cannot promote $new"
	for r in $CLUSTER_REPLICAS; do
		[[ $r != "$new" ]] || continue
		if pid_of "$r" >/dev/null; then cluster_follow "$r" "$new" slave_pos; fi
		rest+="$r "
	done
	cluster_write_state "$new" "$rest$old"
	for host in "${CLUSTER_HOSTS[@]}"; do
		cluster_host_restart "$host"
	done
	msg "$new is the primary; replicas: $rest$old"
}

# cluster_host_restart HOST: stops its programs (SIGTERM: each worker
# finishes its request) and starts them again with cluster.env.
cluster_host_restart() {
	local names
	read -r -a names <<<"$(host_names "$1")"
	stop_group 30 "${names[@]}"
	cluster_host_start "$1"
}

# cluster_rejoin OLD: an old primary, started again, replicates the new
# one (`tessera rejoin`).
cluster_rejoin() {
	cluster_state
	cluster_db_start "$1"
	cluster_deploy rejoin --db-socket "$RUN/$1.sock" "$(db_addr "$1")" \
	    "$(db_addr "$CLUSTER_PRIMARY")" || die "$1 cannot rejoin"
}

# ---------------------------------------------------------------- commands

cluster_up() {
	local h pid
	install_packages
	build_main
	if pid=$(pid_of stack) && [[ $pid != "$$" ]]; then
		die "another ./stack (pid $pid) is using $VAR"
	fi
	if [[ -d $RUN ]]; then cluster_down; fi
	rm -rf "$VAR"
	mkdir -p "$RUN" "$LOG"
	echo $$ >"$RUN/stack.pid"
	# Whatever stops the set-up half-way stops what it started.
	trap 'cluster_down; on_exit' EXIT
	prepare_dirs
	ensure_secrets
	write_stack_env
	cluster_tls_certs
	cluster_relay_start
	cluster_databases
	for h in "${CLUSTER_HOSTS[@]}"; do cluster_host_start "$h"; done
	cluster_nginx
	trap on_exit EXIT
	rm -f "$RUN/stack.pid"
}

cluster_down() {
	local names=(front) h more
	for h in "${CLUSTER_HOSTS[@]}"; do read -r -a more <<<"$(host_names "$h")"; names+=("${more[@]}"); done
	nft_heal
	stop_group 10 front
	stop_group 30 "${names[@]:1}"
	stop_group 120 "${CLUSTER_DBS[@]}"
	stop_group 10 relay
}

# cmd_cluster up|test|down|nginx-test|kill HOST|start HOST|stop-db DB|start-db DB|
# start-db-alone DB (not replicating, to look at its data)|relay-stop|relay-start|
# drop A B|heal|promote DB|rejoin DB|lag DB SECONDS
cmd_cluster() {
	local sub=${1:-}
	[[ $# -eq 0 ]] || shift
	cluster_set_stack
	case $sub in
	up)
		cluster_up
		msg "the cluster runs at $(cluster_url)/ (./stack cluster down stops it)"
		;;
	test)
		cluster_up
		local rc=0
		python3 "$SRC/tests/cluster/faults.py" "$SRC" "$VAR" "$(cluster_url)" "$@" || rc=$?
		cluster_down
		return "$rc"
		;;
	down) cluster_down ;;
	nginx-test)
		# The front's nginx.conf alone, into STACK_VAR (an e2e test's
		# scratch folder): nothing is started.
		VAR=${STACK_VAR:?nginx-test writes into STACK_VAR}
		set_paths
		prepare_dirs
		cluster_nginx_conf
		;;
	*)
		[[ -f $VAR/cluster.env ]] || die "no cluster in $VAR (./stack cluster up)"
		cluster_state
		case $sub in
		kill) cluster_host_kill "$1" ;;
		start) cluster_host_start "$1" ;;
		stop-db) stop_group 120 "$1" ;;
		start-db) cluster_db_start "$1"; cluster_follow "$1" "$CLUSTER_PRIMARY" slave_pos ;;
		start-db-alone) cluster_db_start "$1" ;;
		lag) root_sql "$1" -e "STOP SLAVE; CHANGE MASTER TO MASTER_DELAY=$2; START SLAVE" ;;
		drop) nft_drop "$1" "$2" ;;
		heal) nft_heal ;;
		relay-stop) stop_group 10 relay ;;
		relay-start) cluster_relay_start ;;
		promote) cluster_promote "$1" ;;
		rejoin) cluster_rejoin "$1" ;;
		*) usage 2 ;;
		esac
		;;
	esac
}
