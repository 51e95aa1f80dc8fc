#!/bin/sh
# A private PostgreSQL cluster for one test run.
# Usage: tests/pg/cluster.sh start DIR    prints one line, the base URI
#                                         postgresql:///postgres?host=DIR&port=PORT&user=postgres
#        tests/pg/cluster.sh stop DIR     stops the cluster (fast mode) and removes DIR
#
# DIR holds the data directory (DIR/data), the server log (DIR/server.log) and the
# unix socket; the server also listens on 127.0.0.1 at a free TCP port. Every
# connection is trusted, so the cluster is for tests only. fsync and
# synchronous_commit stay on: the tests see real commit durability and its cost.
#
# initdb refuses to run as root; as root the server runs as the system user
# $KEIKAI_PG_OSUSER, default "postgres" (made if missing), which then owns DIR.
# The database superuser is "postgres" either way.
#
# start on a DIR whose cluster is running prints its URI again; start on a DIR of a
# cluster that is not running makes it afresh. stop on a missing DIR does nothing.
# A DIR that is not empty and was not made by this script is never touched.
set -eu

marker=.keikai-test-cluster
pg_user=postgres
os_user=${KEIKAI_PG_OSUSER:-postgres}

die() {
	echo "cluster.sh: $*" >&2
	exit 1
}

# The directory with initdb, pg_ctl and postgres: pg_config's, else the newest
# Debian one, else the PATH.
find_bindir() {
	if command -v pg_config >/dev/null 2>&1; then
		d=$(pg_config --bindir 2>/dev/null || true)
		[ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && { echo "$d"; return; }
	fi
	d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5,5n | tail -n 1)
	[ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && { echo "$d"; return; }
	d=$(command -v initdb 2>/dev/null || true)
	[ -n "$d" ] && [ -x "$(dirname "$d")/pg_ctl" ] && { dirname "$d"; return; }
	die "no PostgreSQL server binaries (initdb, pg_ctl); install the postgresql package (scripts/install-deps.sh --test)"
}

# Runs a command as the user that owns the cluster.
as_owner() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u "$os_user" -- "$@"
	else
		"$@"
	fi
}

# As root: the unprivileged user the server runs as, made when missing.
ensure_user() {
	[ "$(id -u)" -eq 0 ] || return 0
	id -u "$os_user" >/dev/null 2>&1 && return 0
	useradd --system --user-group --home-dir /nonexistent --no-create-home \
		--shell /usr/sbin/nologin "$os_user" ||
		die "cannot create the system user $os_user to run the server as"
}

# A value for a URI query: characters other than [A-Za-z0-9/._~-] as %XX.
uri_escape() {
	printf '%s' "$1" | od -An -v -tx1 | tr -s ' \n' '  ' | {
		out=""
		for h in $(cat); do
			case $h in
			2[de] | 2f | 3[0-9] | 4[1-9a-f] | 5[0-9a] | 5f | 6[1-9a-f] | 7[0-9a] | 7e)
				out="$out$(printf "\\$(printf '%03o' "0x$h")")"
				;;
			*) out="$out%$h" ;;
			esac
		done
		printf '%s' "$out"
	}
}

base_uri() { # dir port
	printf 'postgresql:///postgres?host=%s&port=%s&user=%s\n' "$(uri_escape "$1")" "$2" "$pg_user"
}

# Is TCP port $1 on 127.0.0.1 (or any address) in use? From /proc/net/tcp{,6}.
port_in_use() {
	hex=$(printf '%04X' "$1")
	cat /proc/net/tcp /proc/net/tcp6 2>/dev/null |
		awk -v p=":$hex" '$2 ~ p"$" { found = 1 } END { exit !found }'
}

# A random TCP port in 20000..59999 that nothing uses now.
free_port() {
	i=0
	while [ $i -lt 200 ]; do
		p=$(( $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 40000 + 20000 ))
		port_in_use "$p" || { echo "$p"; return; }
		i=$((i + 1))
	done
	die "no free TCP port found"
}

running() { # dir
	[ -f "$1/data/postmaster.pid" ] && as_owner "$bindir/pg_ctl" status -D "$1/data" >/dev/null 2>&1
}

log_tail() { # dir
	if [ -f "$1/server.log" ]; then
		echo "--- last lines of $1/server.log:"
		tail -n 30 "$1/server.log"
	fi
}

# Is $1 the pid of a live postmaster of data directory $2?
alive() {
	[ -n "$1" ] && tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -qF -- "-D $2 "
}

# Stops the server of DIR, if any, and makes sure its postmaster is gone.
stop_server() { # dir
	[ -f "$1/data/postmaster.pid" ] || return 0
	pid=$(head -n 1 "$1/data/postmaster.pid" 2>/dev/null || true)
	as_owner "$bindir/pg_ctl" stop -D "$1/data" -m fast -w -t 60 >/dev/null 2>&1 ||
		as_owner "$bindir/pg_ctl" stop -D "$1/data" -m immediate -w -t 30 >/dev/null 2>&1 ||
		true
	alive "$pid" "$1/data" || return 0
	# pg_ctl could not stop it: take it down hard.
	kill -KILL "$pid" 2>/dev/null || true
	i=0
	while alive "$pid" "$1/data" && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	alive "$pid" "$1/data" && die "cannot stop the PostgreSQL server $pid of $1"
	return 0
}

# As root: run as the user that owns an existing cluster.
take_owner() { # dir
	[ "$(id -u)" -eq 0 ] && [ -d "$1/data" ] && os_user=$(stat -c %U "$1/data")
	return 0
}

ours() { # dir: made by this script, or empty
	[ -f "$1/$marker" ] || [ -z "$(ls -A "$1" 2>/dev/null)" ]
}

cmd_start() {
	dir=$1
	bindir=$(find_bindir)
	ensure_user
	mkdir -p "$dir"
	dir=$(cd "$dir" && pwd -P)
	cd /
	case $dir in *\'*) die "$dir: a path with a quote cannot be a socket directory" ;; esac
	ours "$dir" || die "$dir is not empty and holds no cluster made by this script"
	take_owner "$dir"
	if running "$dir"; then
		port=$(sed -n 4p "$dir/data/postmaster.pid")
		base_uri "$dir" "$port"
		return
	fi
	stop_server "$dir"
	rm -rf "$dir/data" "$dir/server.log" "$dir"/.s.PGSQL.*
	: >"$dir/$marker"

	# The socket path is DIR/.s.PGSQL.PORT, and sun_path holds 107 bytes.
	[ ${#dir} -le 90 ] || die "$dir is too long a path for the server's unix socket (at most 90 bytes)"
	if [ "$(id -u)" -eq 0 ]; then
		chown "$os_user:" "$dir" "$dir/$marker"
		chmod 755 "$dir"
		runuser -u "$os_user" -- test -w "$dir" ||
			die "user $os_user cannot write $dir (is a parent directory closed to it?)"
	fi

	locale=C
	locale -a 2>/dev/null | grep -qix 'c\.utf-\?8' && locale=C.UTF-8
	# --no-sync: initdb's files need not reach the disk before the server starts;
	# the server itself runs with fsync and synchronous commit.
	if ! as_owner "$bindir/initdb" -D "$dir/data" -U "$pg_user" -A trust -E UTF8 \
		--locale="$locale" --no-sync >"$dir/initdb.log" 2>&1; then
		tail -n 30 "$dir/initdb.log" >&2
		die "initdb failed in $dir/data"
	fi
	as_owner sh -c "cat >'$dir/data/pg_hba.conf'" <<-EOF
		# keikai tests: every local connection is trusted.
		local all all trust
		host  all all 127.0.0.1/32 trust
	EOF

	tries=0
	while :; do
		port=$(free_port)
		as_owner sh -c "cat >>'$dir/data/postgresql.conf'" <<-EOF

			# keikai tests (tests/pg/cluster.sh); the last setting of a name wins
			listen_addresses = '127.0.0.1'
			port = $port
			unix_socket_directories = '$dir'
			# four test programs at once (tests/run-all.sh), each store holding up
			# to 16 connections, with room to spare
			max_connections = 400
			fsync = on
			synchronous_commit = on
			full_page_writes = on
			log_line_prefix = '%m [%p] %q%u@%d '
		EOF
		if as_owner "$bindir/pg_ctl" start -D "$dir/data" -l "$dir/server.log" -w -t 60 \
			>"$dir/pg_ctl.log" 2>&1; then
			break
		fi
		stop_server "$dir"
		tries=$((tries + 1))
		# Another process took the port between the check and the start: again.
		if [ $tries -lt 5 ] && grep -q 'could not bind\|Address already in use' "$dir/server.log" 2>/dev/null; then
			continue
		fi
		{
			cat "$dir/pg_ctl.log"
			log_tail "$dir"
		} >&2
		die "the PostgreSQL server in $dir did not start"
	done

	if ! as_owner "$bindir/pg_isready" -q -h "$dir" -p "$port" -t 30 2>/dev/null; then
		log_tail "$dir" >&2
		stop_server "$dir"
		die "the PostgreSQL server in $dir started but does not accept connections"
	fi
	base_uri "$dir" "$port"
}

cmd_stop() {
	dir=$1
	[ -e "$dir" ] || return 0
	[ -d "$dir" ] || die "$dir is not a directory"
	dir=$(cd "$dir" && pwd -P)
	cd /
	ours "$dir" || die "$dir holds no cluster made by this script; not removing it"
	if [ -f "$dir/data/postmaster.pid" ]; then
		bindir=$(find_bindir)
		take_owner "$dir"
		stop_server "$dir"
	fi
	rm -rf "$dir"
}

[ $# -eq 2 ] || die "usage: cluster.sh start|stop DIR"
case $1 in
start) cmd_start "$2" ;;
stop) cmd_stop "$2" ;;
*) die "usage: cluster.sh start|stop DIR" ;;
esac
