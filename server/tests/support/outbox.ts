import net from 'node:net';
import { simpleParser } from 'mailparser';
import type { Workspace } from '../../src/compose.js';
import type { MailboxRow, UserRow } from '../../src/db/schema.js';
import { grantMailboxAccess } from '../../src/modules/mailboxes/index.js';
import type { Actor } from '../../src/modules/outbox/index.js';
import { createAccount, mailboxScopeFor } from '../../src/modules/security/index.js';
import { deliver, mailServer, withImap } from './mail-server.js';

/** An agent with reply access to the mailbox, as the outbox use cases see them. */
export async function createAgent(
  ws: Workspace,
  mailbox: MailboxRow,
  email: string,
  name: string,
): Promise<{ user: UserRow; actor: Actor }> {
  const user = await createAccount(ws.db, { email, name, password: 'correct horse battery staple', role: 'agent' });
  await grantMailboxAccess(ws.db, user.id, mailbox.id, 'reply');
  return { user, actor: { user, scope: mailboxScopeFor('agent', new Map([[mailbox.id, 'reply']])) } };
}

/** Messages in a user's folder whose subject contains `token`, parsed. */
export async function findMail(user: string, path: string, token: string) {
  return withImap(user, async (client) => {
    const lock = await client.getMailboxLock(path);
    try {
      const uids = (await client.search({ subject: token }, { uid: true })) || [];
      const out = [];
      for (const uid of uids) {
        const message = await client.fetchOne(String(uid), { source: true }, { uid: true });
        const source = message ? message.source : undefined;
        if (source) out.push({ raw: source, parsed: await simpleParser(source) });
      }
      return out;
    } finally {
      lock.release();
    }
  });
}

export async function waitForMail(user: string, path: string, token: string, count = 1, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await findMail(user, path, token);
    if (found.length >= count) return found;
    if (Date.now() > deadline) throw new Error(`${user}/${path}: ${found.length} mails with "${token}", expected ${count}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Proof that the mail server has delivered to `user` what was submitted before this call: a marker
 * mail submitted now arrives (one Postfix queue, one LMTP destination on the bench). Await it before
 * asserting that a mail did NOT arrive (a second copy), instead of sleeping.
 */
export async function mailDeliveredSoFar(user: string): Promise<void> {
  const marker = `Marker ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  await deliver({
    from: 'marker@bench.test',
    to: user,
    subject: marker,
    text: 'Everything submitted before this mail has been delivered.',
  });
  await waitForMail(user, 'INBOX', marker);
}

/**
 * A TCP proxy in front of the real Postfix submission port that lets a test act
 * at the one moment exactly-once is about: when Postfix has accepted the message
 * (its 250 after DATA) and before the client hears it. `onAccepted` may kill the
 * sending process or return 'swallow' to keep the answer from the client; while a promise it
 * returns is pending, the answer is held (time to find out which process is sending). It gets
 * the message as the client sent it (latin1), to tell one mail from another.
 */
export async function startSubmissionProxy(onAccepted: (message: string) => 'forward' | 'swallow' | Promise<'forward' | 'swallow'>) {
  let acceptedCount = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(mailServer.submissionPort, mailServer.host);
    sockets.add(client);
    sockets.add(upstream);
    let inData = false;
    let message = '';
    client.on('data', (chunk) => {
      if (inData) message += chunk.toString('latin1');
      upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      const text = chunk.toString('latin1');
      if (/^354 /m.test(text)) {
        inData = true;
        message = '';
      } else if (inData && /^250 /m.test(text)) {
        inData = false;
        acceptedCount++;
        void Promise.resolve(onAccepted(message)).then((answer) => {
          if (answer === 'forward' && !client.destroyed) client.write(chunk);
        });
        return;
      }
      if (!client.destroyed) client.write(chunk);
    });
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end);
    upstream.on('error', end);
    client.on('close', end);
    upstream.on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    accepted: () => acceptedCount,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
