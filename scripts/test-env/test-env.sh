#!/usr/bin/env bash
# Pier's real-server test bench: a throwaway Dovecot + Postfix mail stack and a private PostgreSQL
# cluster, all on 127.0.0.1 only, all state in one directory that is wiped on every start.
#
#   bash scripts/test-env/test-env.sh start    # install missing Debian packages, wipe state, start, wait for ports
#   bash scripts/test-env/test-env.sh status   # is each daemon up? (exit 0 = all up, 3 = not all up)
#   bash scripts/test-env/test-env.sh stop     # stop by recorded PIDs only; PURGE=1 also deletes the state dir
#
# Knobs (environment):
#   PIER_TEST_PORTBASE       default 21000; every mail port is PORTBASE + the standard port
#   PIER_TEST_ENV_DIR        state dir, default ${TMPDIR:-/tmp}/pier-test-env-$PORTBASE
#   PIER_TEST_PG_PORT        default PORTBASE + 5432
#   PIER_TEST_MAIL_LOCATION  default sdbox:~/sdbox (maildir:~/Maildir also works, slower to seed)
#   PIER_TEST_MAIL_FSYNC     default optimized ('never' is faster still)
#   PIER_TEST_PG_BINDIR      default: newest /usr/lib/postgresql/*/bin
#   PIER_TEST_S3_PORT        default PORTBASE + 9000 (s3rver, the S3-compatible object store; an npm devDependency)
#
# `start` writes $STATE/env (sourceable `export KEY=VALUE` lines) and prints `env: <path>` as its last line.
# See README.md beside this file for ports, users and the gotchas behind the config lines.
set -euo pipefail

PORTBASE="${PIER_TEST_PORTBASE:-21000}"
case "$PORTBASE" in '' | *[!0-9]*) echo "test-env: PIER_TEST_PORTBASE must be a number" >&2; exit 2 ;; esac
S="${PIER_TEST_ENV_DIR:-${TMPDIR:-/tmp}/pier-test-env-$PORTBASE}"
S="${S%/}"
MAIL_LOCATION="${PIER_TEST_MAIL_LOCATION:-sdbox:~/sdbox}"
MAIL_FSYNC="${PIER_TEST_MAIL_FSYNC:-optimized}"
DOMAINS="acme.test customer.test"
MAIL_PASSWORD="secret"
MAIL_USERS="info@acme.test sales@acme.test newsletter@acme.test support@acme.test accounting@acme.test bench@acme.test buyer@customer.test buyer2@customer.test"
CHROMIUM=/usr/bin/chromium

SMTP_PORT=$((PORTBASE + 25))        # Postfix smtpd (MX role), no auth, accepts the local domains from 127.0.0.0/8
SUBMISSION_PORT=$((PORTBASE + 587)) # Postfix smtpd + SASL via Dovecot (AUTH PLAIN/LOGIN), no TLS
DSUB_PORT=$((PORTBASE + 588))       # Dovecot submission (AUTH PLAIN/LOGIN), relays to SMTP_PORT
IMAP_PORT=$((PORTBASE + 143))       # Dovecot IMAP
LMTP_PORT=$((PORTBASE + 24))        # Dovecot LMTP (Postfix delivers here; sieve runs on delivery)
SIEVE_PORT=$((PORTBASE + 4190))     # Dovecot ManageSieve
PG_PORT="${PIER_TEST_PG_PORT:-$((PORTBASE + 5432))}"
# Not a daemon of the bench: the tests' own loopback OAuth 2.0 server (server/tests/support/oauth-server.ts)
# listens here while a test runs; Dovecot's oauth2 passdb asks it whether an XOAUTH2/OAUTHBEARER token is active.
OAUTH_PORT=$((PORTBASE + 1080))
# S3-compatible object store for the S3 blob store (decision 0057): s3rver from node_modules, path-style,
# key pair S3RVER/S3RVER, bucket pier-test. Debian has no S3 server that runs without a cluster.
S3_PORT="${PIER_TEST_S3_PORT:-$((PORTBASE + 9000))}"
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
ALL_PORTS="$SMTP_PORT $SUBMISSION_PORT $DSUB_PORT $IMAP_PORT $LMTP_PORT $SIEVE_PORT $PG_PORT $S3_PORT"

PKGS=(dovecot-core dovecot-imapd dovecot-lmtpd dovecot-managesieved dovecot-sieve dovecot-submissiond
  postfix swaks postgresql chromium fonts-wqy-zenhei)

MARKER=".pier-test-env" # only a dir carrying this file (or an empty/missing one) is ever wiped

log() { echo "test-env: $*"; }
die() { echo "test-env: ERROR: $*" >&2; exit 1; }

# ---------------------------------------------------------------- processes (recorded PIDs only)
# Each daemon's own pid file first; the copy in $S/env when that is not readable (a non-root `status`).
pid_from() { # pidfile ENV_KEY
  local pid
  pid=$(head -1 "$1" 2>/dev/null | tr -d ' \n' || true)
  [ -n "$pid" ] || pid=$(sed -n "s/^export $2=//p" "$S/env" 2>/dev/null || true)
  echo "$pid"
}
dovecot_pid() { pid_from "$S/dovecot/run/master.pid" PIER_TEST_DOVECOT_PID; }
postfix_pid() { pid_from "$S/postfix/spool/pid/master.pid" PIER_TEST_POSTFIX_PID; }
pg_pid() { pid_from "$S/pg/postmaster.pid" PIER_TEST_PG_PID; }
s3_pid() { pid_from "$S/s3/s3.pid" PIER_TEST_S3_PID; }

# alive PID: exists and is not a zombie. Our daemons detach, so after they exit they stay zombies until
# the machine's init reaps them (here that took up to ~1.5 s): kill -0 alone would say "alive".
alive() {
  local st # /proc/PID/stat is world-readable (kill -0 would need permission to signal)
  st=$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null) || return 1
  [ "$st" != Z ] && [ "$st" != X ]
}

# is_ours NAME PID: the PID is alive AND is the expected program of THIS state dir (guards against PID reuse)
is_ours() {
  local name=$1 pid=$2 comm cmd envs
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  alive "$pid" || return 1
  comm=$(cat "/proc/$pid/comm" 2>/dev/null) || return 1
  cmd=$(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline") || return 1
  case "$name" in
    dovecot) [ "$comm" = dovecot ] && [[ "$cmd" == *"$S/dovecot/dovecot.conf"* ]] ;;
    postfix)
      # Postfix's master has no path on its command line; `postfix -c DIR` exports MAIL_CONFIG=DIR to it.
      # (Only root can read another user's environ: a non-root `status` trusts the pid file + name.)
      [ "$comm" = master ] || return 1
      envs=$(tr '\0' '\n' 2>/dev/null <"/proc/$pid/environ") || { [ "$(id -u)" != 0 ]; return; }
      [[ $'\n'"$envs"$'\n' == *$'\n'"MAIL_CONFIG=$S/postfix/etc"$'\n'* ]] ;;
    postgres) [ "$comm" = postgres ] && [[ "$cmd" == *"-D $S/pg "* ]] ;;
    s3) [[ "$cmd" == *"s3-server.mjs $S/s3 "* ]] ;;
    *) return 1 ;;
  esac
}

# stop_pid NAME PID: TERM, wait up to 5 s, then KILL
stop_pid() {
  local name=$1 pid=$2
  is_ours "$name" "$pid" || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do
    alive "$pid" || { log "$name ($pid) stopped"; return 0; }
    sleep 0.1
  done
  log "$name ($pid) still alive after 5 s, sending KILL"
  kill -KILL "$pid" 2>/dev/null || true
}

as_postgres() { # run a command as the postgres user from a directory it can read
  if command -v runuser >/dev/null 2>&1; then
    (cd / && runuser -u postgres -- "$@")
  else
    local q; printf -v q '%q ' "$@"
    (cd / && su postgres -s /bin/sh -c "$q")
  fi
}

pg_bindir() {
  if [ -n "${PIER_TEST_PG_BINDIR:-}" ]; then echo "$PIER_TEST_PG_BINDIR"; return; fi
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  [ -n "$d" ] && [ -x "$d/pg_ctl" ] || die "no PostgreSQL found under /usr/lib/postgresql/*/bin"
  echo "$d"
}

do_stop() {
  [ -d "$S" ] || { log "nothing to stop (no state dir $S)"; return 0; }
  [ "$(id -u)" = 0 ] || die "stop needs root (the daemons run as root, mail and postgres); try: sudo $0 stop"
  local pf dc pg bindir
  pf=$(postfix_pid); dc=$(dovecot_pid); pg=$(pg_pid)
  stop_pid s3 "$(s3_pid)" &
  # The three stop in parallel (Dovecot's master alone needs about 1 s to wind down its children).
  # Postfix master: TERM makes it stop all its children.
  stop_pid postfix "$pf" &
  # Dovecot master: TERM stops all its children (logins, imap, lmtp, auth ...).
  stop_pid dovecot "$dc" &
  # PostgreSQL: fast shutdown through pg_ctl (as postgres), then the same TERM/KILL fallback on the postmaster.
  if is_ours postgres "$pg"; then
    bindir=$(pg_bindir)
    (
      as_postgres "$bindir/pg_ctl" stop -D "$S/pg" -m fast -w -t 10 >>"$S/log/postgres-ctl.log" 2>&1 || true
      if is_ours postgres "$pg"; then stop_pid postgres "$pg"; else log "postgres ($pg) stopped"; fi
    ) &
  fi
  wait
  # Dovecot's and Postfix's children drop their listeners a moment after the master exits.
  local busy=""
  for _ in $(seq 1 30); do
    busy=""
    for p in $ALL_PORTS; do port_busy "$p" && busy="$busy $p"; done
    [ -z "$busy" ] && break
    sleep 0.1
  done
  [ -z "$busy" ] || log "warning: port(s)$busy still listening after stop"
  if [ "${PURGE:-}" = 1 ]; then
    if [ -e "$S/$MARKER" ]; then rm -rf "$S"; log "removed $S"; else log "not removing $S (no $MARKER in it)"; fi
  fi
  return 0
}

port_busy() { [ -n "$(ss -Hltn "sport = :$1" 2>/dev/null)" ]; }

all_up() { is_ours dovecot "$(dovecot_pid)" && is_ours postfix "$(postfix_pid)" && is_ours postgres "$(pg_pid)" && is_ours s3 "$(s3_pid)"; }
any_up() { is_ours dovecot "$(dovecot_pid)" || is_ours postfix "$(postfix_pid)" || is_ours postgres "$(pg_pid)" || is_ours s3 "$(s3_pid)"; }

# ---------------------------------------------------------------- packages
missing_pkgs() {
  local p out=()
  for p in "${PKGS[@]}"; do
    [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)" = "install ok installed" ] || out+=("$p")
  done
  echo "${out[*]:-}"
}

wait_for_other_apt() {
  # Another apt/dpkg run (e.g. a developer's install) holds the dpkg lock: wait for it, never kill it.
  local waited=0
  while pgrep -x apt-get >/dev/null || pgrep -x apt >/dev/null || pgrep -x dpkg >/dev/null; do
    [ $waited = 0 ] && log "another apt-get/dpkg is running; waiting for it to finish"
    waited=$((waited + 1))
    [ $waited -gt 600 ] && die "apt/dpkg still busy after 10 min"
    sleep 1
  done
}

install_packages() { # apt log goes to $1
  local apt_log=$1 missing
  missing=$(missing_pkgs)
  [ -z "$missing" ] && return 0
  wait_for_other_apt
  missing=$(missing_pkgs) # the other apt run may have installed them
  [ -z "$missing" ] && return 0
  log "installing: $missing (log $apt_log)"
  local t0=$SECONDS created_policy=0
  export DEBIAN_FRONTEND=noninteractive
  # Postfix: no debconf configuration at all; we run our own config dir.
  echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
  echo "postfix postfix/mailname string localhost" | debconf-set-selections
  # Never let Debian's maintainer scripts start the system daemons (they would listen on 0.0.0.0:25/143/5432).
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    created_policy=1
  fi
  local rc=0
  {
    apt-get update -q -o DPkg::Lock::Timeout=600 &&
      # shellcheck disable=SC2086
      apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout=600 $missing
  } >>"$apt_log" 2>&1 || rc=$?
  [ $created_policy = 1 ] && rm -f /usr/sbin/policy-rc.d
  [ $rc = 0 ] || { tail -20 "$apt_log" >&2; die "apt-get failed (rc $rc), see $apt_log"; }
  missing=$(missing_pkgs)
  [ -z "$missing" ] || die "still missing after apt-get install: $missing (see $apt_log)"
  log "packages installed in $((SECONDS - t0)) s"
}

# ---------------------------------------------------------------- start
wait_port() { # port [tries of 0.05 s]
  local tries=${2:-200}
  for _ in $(seq 1 "$tries"); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.05
  done
  return 1
}

print_env() { cat "$S/env"; echo "env: $S/env"; }

write_configs() {
  # ---------- users: passwd-file for Dovecot, texthash recipient map for Postfix ----------
  : >"$S/users"
  : >"$S/postfix/etc/vmailbox"
  local u
  for u in $MAIL_USERS; do
    echo "$u:{PLAIN}$MAIL_PASSWORD::::::" >>"$S/users"
    echo "$u OK" >>"$S/postfix/etc/vmailbox"
  done
  # Postfix accepts it, Dovecot has no such user: LMTP refuses, Postfix mails the sender a real DSN.
  echo "gone@customer.test OK" >>"$S/postfix/etc/vmailbox"
  chown root:dovecot "$S/users"
  chmod 640 "$S/users"

  # ---------- Dovecot ----------
  cat >"$S/dovecot/oauth2.conf.ext" <<EOF
introspection_mode = post
introspection_url = http://127.0.0.1:$OAUTH_PORT/introspect
username_attribute = username
active_attribute = active
active_value = true
timeout_msecs = 5000
EOF
  cat >"$S/dovecot/dovecot.conf" <<EOF
# generated by scripts/test-env/test-env.sh -- throwaway instance, loopback only
base_dir = $S/dovecot/run
state_dir = $S/dovecot/state
instance_name = pier-test-$PORTBASE
log_path = $S/log/dovecot.log
info_log_path = $S/log/dovecot.log
protocols = imap lmtp sieve submission
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login xoauth2 oauthbearer
auth_verbose = yes
hostname = mx.pier-test.test
postmaster_address = postmaster@acme.test
first_valid_uid = 8
last_valid_uid = 8
first_valid_gid = 8
mail_location = $MAIL_LOCATION
mail_fsync = $MAIL_FSYNC
mail_max_userip_connections = 200
imap_idle_notify_interval = 2 mins
protocol imap {
  mail_max_userip_connections = 200
}
namespace inbox {
  inbox = yes
  separator = /
  mailbox Drafts {
    special_use = \\Drafts
    auto = subscribe
  }
  mailbox Sent {
    special_use = \\Sent
    auto = subscribe
  }
  mailbox Trash {
    special_use = \\Trash
    auto = subscribe
  }
  mailbox Junk {
    special_use = \\Junk
    auto = subscribe
  }
  mailbox Archive {
    special_use = \\Archive
    auto = subscribe
  }
}
passdb {
  driver = passwd-file
  mechanisms = plain login
  args = scheme=PLAIN username_format=%u $S/users
}
# XOAUTH2 / OAUTHBEARER: the bearer token is checked by RFC 7662 introspection (POST token=...)
# against the test's loopback OAuth server; "active": true and "username" = the login make it valid.
passdb {
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = $S/dovecot/oauth2.conf.ext
}
userdb {
  driver = passwd-file
  args = username_format=%u $S/users
  default_fields = uid=mail gid=mail home=$S/mail/%d/%n
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $IMAP_PORT
  }
  inet_listener imaps {
    port = 0
  }
}
service pop3-login {
  inet_listener pop3 {
    port = 0
  }
  inet_listener pop3s {
    port = 0
  }
}
service lmtp {
  inet_listener lmtp {
    address = 127.0.0.1
    port = $LMTP_PORT
  }
}
service managesieve-login {
  inet_listener sieve {
    address = 127.0.0.1
    port = $SIEVE_PORT
  }
}
service submission-login {
  inet_listener submission {
    address = 127.0.0.1
    port = $DSUB_PORT
  }
  inet_listener submissions {
    port = 0
  }
}
service auth {
  unix_listener auth-postfix {
    mode = 0666
  }
}
submission_relay_host = 127.0.0.1
submission_relay_port = $SMTP_PORT
submission_relay_trusted = yes
protocol lmtp {
  mail_plugins = \$mail_plugins sieve
}
protocol sieve {
  managesieve_max_line_length = 65536
}
plugin {
  sieve = file:~/sieve;active=~/.dovecot.sieve
}
EOF

  # ---------- Postfix ----------
  local P="$S/postfix/etc"
  cat >"$P/main.cf" <<EOF
# generated by scripts/test-env/test-env.sh -- throwaway instance, loopback only, never relays outside
compatibility_level = 3.6
queue_directory = $S/postfix/spool
data_directory = $S/postfix/data
mail_owner = postfix
setgid_group = postdrop
myhostname = mx.pier-test.test
mydomain = pier-test.test
myorigin = \$myhostname
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
smtpd_peername_lookup = no
smtp_dns_support_level = disabled
lmtp_dns_support_level = disabled
alias_maps =
alias_database =
local_transport = error:local delivery disabled
virtual_mailbox_domains = $DOMAINS
virtual_mailbox_maps = texthash:$P/vmailbox
# buyer+7@customer.test is buyer@customer.test (campaign tests mail many addresses of one test user)
recipient_delimiter = +
virtual_transport = lmtp:inet:127.0.0.1:$LMTP_PORT
default_transport = error:outbound mail disabled in the Pier test bench
relay_transport = error:outbound mail disabled in the Pier test bench
smtpd_relay_restrictions = permit_mynetworks, permit_sasl_authenticated, reject_unauth_destination
smtpd_sasl_type = dovecot
smtpd_sasl_path = $S/dovecot/run/auth-postfix
smtpd_sasl_auth_enable = no
smtpd_tls_security_level = none
smtpd_tls_auth_only = no
smtputf8_enable = yes
message_size_limit = 52428800
biff = no
maillog_file = $S/log/postfix.log
maillog_file_prefixes = /tmp, /var, /dev/stdout, $S
EOF
  cat >"$P/master.cf" <<EOF
# service type  private unpriv  chroot  wakeup  maxproc command
127.0.0.1:$SMTP_PORT inet n - n - - smtpd
127.0.0.1:$SUBMISSION_PORT inet n - n - - smtpd
  -o syslog_name=postfix/submission
  -o smtpd_sasl_auth_enable=yes
  -o broken_sasl_auth_clients=yes
  -o smtpd_client_restrictions=permit_sasl_authenticated,reject
  -o smtpd_relay_restrictions=permit_sasl_authenticated,reject
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
proxywrite unix -       -       n       -       1       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
lmtp      unix  -       -       n       -       -       lmtp
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
EOF
  # Postfix refuses to trust a config/map file whose mtime is not yet in the past: it re-reads it every
  # 0.3 s until it is (dict_load_file), which cost ~2 s on every start. Backdate what we just wrote.
  touch -d '-1 min' "$P/main.cf" "$P/master.cf" "$P/vmailbox"
}

start_postgres() { # runs in a background subshell; initdb + pg_ctl start -w
  local bindir=$1 locale=C
  # UTF8 encoding whatever the caller's LANG is (unset LANG would give SQL_ASCII).
  case $'\n'"$(locale -a 2>/dev/null || true)"$'\n' in *$'\n'C.utf8$'\n'* | *$'\n'C.UTF-8$'\n'*) locale=C.UTF-8 ;; esac
  as_postgres "$bindir/initdb" -D "$S/pg" -A trust -U postgres --no-sync -E UTF8 --locale="$locale" \
    >"$S/log/initdb.log" 2>&1 || { echo "initdb failed:" >&2; tail -20 "$S/log/initdb.log" >&2; return 1; }
  as_postgres "$bindir/pg_ctl" start -D "$S/pg" -w -t 30 -l "$S/log/postgres.log" \
    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $S/pg-sock -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    >"$S/log/postgres-ctl.log" 2>&1 || { echo "pg_ctl start failed:" >&2; tail -20 "$S/log/postgres.log" >&2; return 1; }
  for _ in $(seq 1 100); do
    "$bindir/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres && return 0
    sleep 0.1
  done
  echo "pg_isready did not answer on 127.0.0.1:$PG_PORT" >&2
  return 1
}

do_start() {
  local t0=$EPOCHREALTIME
  if [ -f "$S/env" ] && all_up; then
    log "already running in $S"
    print_env
    return 0
  fi
  if [ "$(id -u)" != 0 ]; then
    local missing
    missing=$(missing_pkgs)
    [ -z "$missing" ] || die "missing Debian packages: $missing
  run this as root (it installs them), or first:  sudo apt-get install --no-install-recommends $missing"
    die "start needs root (Dovecot stores mail as uid 'mail', PostgreSQL runs as 'postgres'); try: sudo $0 start"
  fi

  # A half-running instance of THIS state dir (e.g. one daemon crashed): stop the rest, then start clean.
  if [ -d "$S" ] && any_up; then
    log "partially running instance in $S: stopping it first"
    do_stop
  fi

  local p
  for p in $ALL_PORTS; do
    if port_busy "$p"; then
      die "port 127.0.0.1:$p is already in use (another test bench? try PIER_TEST_PORTBASE=22000)"
    fi
  done

  # ---------- wipe state (only a dir we created before, or an empty/missing one) ----------
  case "$S" in / | /tmp | /var/tmp | "$HOME" | '') die "refusing to use $S as the state dir" ;; esac
  if [ -d "$S" ] && [ ! -e "$S/$MARKER" ] && [ -n "$(ls -A "$S" 2>/dev/null)" ]; then
    die "$S exists, is not empty and is not a test-env state dir (no $MARKER): refusing to wipe it"
  fi
  rm -rf "$S"
  mkdir -p "$S"/{log,mail,dovecot/run,dovecot/state,postfix/etc,postfix/spool,postfix/data}
  touch "$S/$MARKER"

  install_packages "$S/log/apt.log"
  for p in dovecot postfix; do command -v "$p" >/dev/null || die "$p not found in PATH (is /usr/sbin in PATH?)"; done
  local bindir
  bindir=$(pg_bindir)

  # The daemons' users must be able to walk into the state dir.
  chmod 755 "$S" "$S/log"
  chown mail:mail "$S/mail"; chmod 750 "$S/mail"
  chown postfix:postfix "$S/postfix/data"
  mkdir -p "$S/pg" "$S/pg-sock"
  chown postgres:postgres "$S/pg" "$S/pg-sock"
  chmod 700 "$S/pg"
  touch "$S/log/dovecot.log" "$S/log/postfix.log" "$S/log/postgres.log"
  chown postgres:postgres "$S/log/postgres.log"

  # If anything below fails (set -e / die), stop whatever this run already started.
  PG_JOB=""
  trap 'start_failed' EXIT

  # PostgreSQL (initdb is the slowest step) runs in the background while the mail stack comes up.
  start_postgres "$bindir" </dev/null &
  PG_JOB=$!

  write_configs
  # Every daemon gets stdio detached from the caller: Dovecot's master otherwise keeps the caller's stderr
  # open, and a caller reading our output through a pipe (CI, execSync, `| tee`) would never see EOF.
  dovecot -c "$S/dovecot/dovecot.conf" </dev/null >>"$S/log/dovecot-start.log" 2>&1 ||
    die "dovecot did not start: $(cat "$S/log/dovecot-start.log")"
  postfix -c "$S/postfix/etc" start </dev/null >>"$S/log/postfix-start.log" 2>&1 ||
    die "postfix did not start: $(cat "$S/log/postfix-start.log")"
  # s3rver: detached like the daemons above; it writes its pid file once it listens.
  mkdir -p "$S/s3"
  [ -d "$REPO/node_modules/@20minutes/s3rver" ] || die "s3rver is not installed: run npm install first"
  setsid node "$REPO/scripts/test-env/s3-server.mjs" "$S/s3" "$S3_PORT" </dev/null >>"$S/log/s3.log" 2>&1 &

  wait "$PG_JOB" || die "PostgreSQL did not start; see $S/log/initdb.log and $S/log/postgres.log"
  PG_JOB=""
  for p in $ALL_PORTS; do
    wait_port "$p" || die "port $p did not come up; see $S/log/"
  done
  for _ in $(seq 1 100); do is_ours s3 "$(s3_pid)" && break; sleep 0.05; done
  is_ours s3 "$(s3_pid)" || die "s3rver wrote no pid file; see $S/log/s3.log"

  cat >"$S/env" <<EOF
export PIER_TEST_ENV_DIR=$S
export PIER_TEST_MAIL_HOST=127.0.0.1
export PIER_TEST_SMTP_PORT=$SMTP_PORT
export PIER_TEST_SUBMISSION_PORT=$SUBMISSION_PORT
export PIER_TEST_DOVECOT_SUBMISSION_PORT=$DSUB_PORT
export PIER_TEST_IMAP_PORT=$IMAP_PORT
export PIER_TEST_OAUTH_PORT=$OAUTH_PORT
export PIER_TEST_LMTP_PORT=$LMTP_PORT
export PIER_TEST_SIEVE_PORT=$SIEVE_PORT
export PIER_TEST_MAIL_PASSWORD=$MAIL_PASSWORD
export PIER_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:$PG_PORT/postgres
export PIER_TEST_CHROMIUM=$CHROMIUM
export PIER_TEST_DOVECOT_PID=$(dovecot_pid)
export PIER_TEST_POSTFIX_PID=$(postfix_pid)
export PIER_TEST_PG_PID=$(pg_pid)
export PIER_TEST_S3_ENDPOINT=http://127.0.0.1:$S3_PORT
export PIER_TEST_S3_BUCKET=pier-test
export PIER_TEST_S3_ACCESS_KEY_ID=S3RVER
export PIER_TEST_S3_SECRET_ACCESS_KEY=S3RVER
export PIER_TEST_S3_PID=$(s3_pid)
EOF
  trap - EXIT
  log "up in $(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }') s (state $S, logs $S/log)"
  print_env
}

start_failed() {
  local rc=$?
  echo "test-env: start failed; stopping what this run started (logs in $S/log)" >&2
  [ -n "${PG_JOB:-}" ] && wait "$PG_JOB" 2>/dev/null
  do_stop >&2 || true
  exit "$rc"
}

do_status() {
  local ok=0 pid
  pid=$(dovecot_pid)
  if is_ours dovecot "$pid"; then echo "dovecot:  up (pid $pid) imap $IMAP_PORT lmtp $LMTP_PORT sieve $SIEVE_PORT submission $DSUB_PORT"; else echo "dovecot:  down"; ok=3; fi
  pid=$(postfix_pid)
  if is_ours postfix "$pid"; then echo "postfix:  up (pid $pid) smtp $SMTP_PORT submission $SUBMISSION_PORT"; else echo "postfix:  down"; ok=3; fi
  pid=$(pg_pid)
  if is_ours postgres "$pid"; then echo "postgres: up (pid $pid) port $PG_PORT"; else echo "postgres: down"; ok=3; fi
  pid=$(s3_pid)
  if is_ours s3 "$pid"; then echo "s3:       up (pid $pid) port $S3_PORT"; else echo "s3:       down"; ok=3; fi
  echo "state:    $S"
  [ -f "$S/env" ] && echo "env: $S/env"
  return $ok
}

case "${1:-}" in
  start) do_start ;;
  stop) do_stop ;;
  status) do_status ;;
  *) echo "usage: $0 start|stop|status   (PURGE=1 $0 stop also deletes the state dir)" >&2; exit 2 ;;
esac
