# Shared by `tessera setup`, `tessera backup` and `tessera restore`
# (installed in /usr/local/libexec/tessera, run through the `tessera` command).
# The paths are those of ./configure; make substitutes them.

BINDIR=/usr/local/bin
PKGDATADIR=/usr/local/share/tessera
DEPLOYDIR=/usr/local/share/tessera/deploy
SQLDIR=/usr/local/share/tessera/sql
ETCDIR=/etc/tessera
MEDIADIR=/var/lib/tessera/media
MARIADB_SOCKET=/run/mysqld/mysqld.sock

PROG=${0##*/}
msg() { printf 'tessera %s: %s\n' "$PROG" "$*"; }
die() { printf 'tessera %s: %s\n' "$PROG" "$*" >&2; exit 1; }

# need_root: every command here changes the system or reads its secrets.
need_root() {
	(( EUID == 0 )) || die "run it as root (sudo tessera $PROG ...)"
}

# env_value FILE NAME: NAME's value in a settings file (NAME=value lines,
# as systemd's EnvironmentFile reads them), or nothing.
env_value() {
	[[ -f $1 ]] || return 0
	sed -n "s/^$2=//p" "$1" | tail -n 1
}

# load_settings ETC PROGRAM: exports common.env and PROGRAM.env of ETC.
load_settings() {
	local f
	for f in "$1/common.env" "$1/$2.env"; do
		[[ -r $f ]] || die "$f is missing (tessera setup writes it)"
		set -a
		# shellcheck source=/dev/null
		. "$f"
		set +a
	done
}

# root_sql SOCKET [mariadb options...]: the mariadb client as root over
# the server's unix socket (Debian's root authenticates by socket).
root_sql() {
	local sock=$1
	shift
	mariadb --no-defaults --user=root --socket="$sock" "$@"
}

# socket_of PRIMARY: the socket path of TESSERA_DB_PRIMARY=unix:PATH; these
# commands run on the database's host, as its root.
socket_of() {
	[[ $1 == unix:* ]] ||
	    die "TESSERA_DB_PRIMARY is $1: run this on the database's host, where it is unix:/path/to/socket"
	printf '%s\n' "${1#unix:}"
}
