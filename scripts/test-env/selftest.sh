#!/usr/bin/env bash
# End-to-end check of a running test bench (about 1-2 s). Not needed by the Vitest suites; use it to
# tell "the bench is broken" from "Pier is broken".
#   bash scripts/test-env/selftest.sh        # same PIER_TEST_PORTBASE / PIER_TEST_ENV_DIR as start
# Checks: swaks -> Postfix MX -> LMTP -> sales INBOX read back over IMAP; AUTH PLAIN on Postfix submission;
# unauthenticated submission refused; AUTH LOGIN on Dovecot submission; ManageSieve PUTSCRIPT/SETACTIVE then
# sieve fileinto "Junk" on delivery; mail to a foreign domain is refused locally; PostgreSQL answers in UTF8.
# Needs swaks (installed by start), python3 and psql (from the postgresql package).
set -euo pipefail
PORTBASE="${PIER_TEST_PORTBASE:-21000}"
S="${PIER_TEST_ENV_DIR:-${TMPDIR:-/tmp}/pier-test-env-$PORTBASE}"
[ -f "$S/env" ] || { echo "selftest: no $S/env; run test-env.sh start first" >&2; exit 1; }
# shellcheck disable=SC1091
source "$S/env"
H=$PIER_TEST_MAIL_HOST
TAG="selftest-$$-$(date +%s%N)"
sw() { swaks --server "$H" --silent 2 "$@"; }

echo "1. SMTP (no auth) $PIER_TEST_SMTP_PORT -> sales@acme.test"
sw --port "$PIER_TEST_SMTP_PORT" --from buyer@customer.test --to sales@acme.test \
  --header "Subject: $TAG smtp 询价 RFQ" --body "Dear sales, please quote 500 pcs. $TAG"
echo "2. Postfix submission $PIER_TEST_SUBMISSION_PORT AUTH PLAIN info@acme.test -> buyer@customer.test"
sw --port "$PIER_TEST_SUBMISSION_PORT" --auth PLAIN --auth-user info@acme.test --auth-password "$PIER_TEST_MAIL_PASSWORD" \
  --from info@acme.test --to buyer@customer.test --header "Subject: $TAG submission" --body "reply $TAG"
echo "3. Postfix submission without AUTH must be refused"
if sw --port "$PIER_TEST_SUBMISSION_PORT" --from x@acme.test --to buyer@customer.test >/dev/null 2>&1; then
  echo "FAIL: unauthenticated submission accepted"; exit 1
fi
echo "4. Dovecot submission $PIER_TEST_DOVECOT_SUBMISSION_PORT AUTH LOGIN sales@acme.test -> info@acme.test"
sw --port "$PIER_TEST_DOVECOT_SUBMISSION_PORT" --auth LOGIN --auth-user sales@acme.test --auth-password "$PIER_TEST_MAIL_PASSWORD" \
  --from sales@acme.test --to info@acme.test --header "Subject: $TAG dovecot-submission" --body "internal $TAG"
echo "5. IMAP read-back, ManageSieve upload + sieve rule on delivery"
python3 - "$TAG" <<'PY'
import base64, imaplib, os, socket, subprocess, sys, time
tag = sys.argv[1]; H = os.environ['PIER_TEST_MAIL_HOST']; PW = os.environ['PIER_TEST_MAIL_PASSWORD']
IMAP = int(os.environ['PIER_TEST_IMAP_PORT']); SIEVE = int(os.environ['PIER_TEST_SIEVE_PORT'])
SMTP = os.environ['PIER_TEST_SMTP_PORT']
def wait_for(user, box, needle, timeout=10):
    t0 = time.time()
    while time.time() - t0 < timeout:
        M = imaplib.IMAP4(H, IMAP); M.login(user, PW); M.select('"%s"' % box, readonly=True)
        typ, data = M.search(None, 'SUBJECT', '"%s"' % needle)
        ids = data[0].split()
        if ids:
            typ, msg = M.fetch(ids[-1], '(BODY.PEEK[])'); M.logout(); return msg[0][1]
        M.logout(); time.sleep(0.1)
    raise SystemExit(f'FAIL: {needle!r} not in {user}/{box}')
raw = wait_for('sales@acme.test', 'INBOX', tag + ' smtp')
assert b'please quote 500' in raw, raw; print('   sales INBOX ok (%d bytes)' % len(raw))
wait_for('buyer@customer.test', 'INBOX', tag + ' submission'); print('   buyer INBOX ok')
wait_for('info@acme.test', 'INBOX', tag + ' dovecot-submission'); print('   info INBOX ok')
s = socket.create_connection((H, SIEVE)); f = s.makefile('rwb')
def rd_until_ok():
    while True:
        l = f.readline()
        if not l: raise SystemExit('FAIL: sieve connection closed')
        if l.startswith((b'OK', b'NO', b'BYE')):
            if not l.startswith(b'OK'): raise SystemExit('FAIL: sieve ' + l.decode())
            return
def cmd(c): f.write(c); f.flush(); rd_until_ok()
rd_until_ok()
cmd(b'AUTHENTICATE "PLAIN" "' + base64.b64encode(b'\0sales@acme.test\0' + PW.encode()) + b'"\r\n')
script = b'require ["fileinto"];\r\nif header :contains "subject" "SIEVE-JUNK" { fileinto "Junk"; stop; }\r\n'
cmd(b'PUTSCRIPT "selftest" {%d+}\r\n' % len(script) + script + b'\r\n')
cmd(b'SETACTIVE "selftest"\r\n'); cmd(b'LOGOUT\r\n'); s.close()
subprocess.run(['swaks', '--server', H, '--port', SMTP, '--silent', '2', '--from', 'buyer@customer.test',
                '--to', 'sales@acme.test', '--header', f'Subject: {tag} SIEVE-JUNK', '--body', 'x'], check=True)
wait_for('sales@acme.test', 'Junk', tag + ' SIEVE-JUNK'); print('   sieve fileinto Junk ok')
# leave sales@ without an active script so later tests see plain INBOX delivery
s = socket.create_connection((H, SIEVE)); f = s.makefile('rwb'); rd_until_ok()
cmd(b'AUTHENTICATE "PLAIN" "' + base64.b64encode(b'\0sales@acme.test\0' + PW.encode()) + b'"\r\n')
cmd(b'SETACTIVE ""\r\n'); cmd(b'DELETESCRIPT "selftest"\r\n'); cmd(b'LOGOUT\r\n'); s.close()
PY
echo "6. mail to a foreign domain is refused locally (never leaves the machine)"
sw --port "$PIER_TEST_SMTP_PORT" --from buyer@customer.test --to someone@example.com --header "Subject: $TAG outbound" >/dev/null 2>&1 || true
for _ in $(seq 1 20); do grep -q "someone@example.com" "$S/log/postfix.log" && break; sleep 0.1; done
if grep -q "someone@example.com.*\(outbound mail disabled\|Relay access denied\)" "$S/log/postfix.log"; then
  echo "   outbound refused ok"
else
  echo "FAIL: no refusal logged for someone@example.com"; exit 1
fi
echo "7. PostgreSQL $PIER_TEST_DATABASE_URL"
psql "$PIER_TEST_DATABASE_URL" -XAtqc "select 'server ' || current_setting('server_version') || ', ' || current_setting('server_encoding') || ', ' || '询价'"
echo "8. S3 (s3rver) $PIER_TEST_S3_ENDPOINT: bucket $PIER_TEST_S3_BUCKET lists"
curl -sf "$PIER_TEST_S3_ENDPOINT/$PIER_TEST_S3_BUCKET?max-keys=1" | grep -q "<Name>$PIER_TEST_S3_BUCKET</Name>" ||
  { echo "FAIL: no bucket listing from s3rver"; exit 1; }
echo "   listing ok"
echo "SELFTEST PASSED"
