import { createPublicKey, verify } from 'node:crypto';
import { PushPayloadSchema } from '@pier/contracts';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.js';
import { readSetting } from '../../src/db/settings.js';
import { createMailbox, grantMailboxAccess } from '../../src/modules/mailboxes/index.js';
import { createAccount } from '../../src/modules/security/index.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import { type ApiClient, createApiClient } from '../support/http-client.js';
import { type PierProcess, startPierProcess } from '../support/pier-process.js';
import { startPushReceiver } from '../support/push-receiver.js';
import { TEST_PASSWORD as password } from '../support/users.js';
import { waitFor } from '../support/wait.js';
import { openTestWorkspace } from '../support/workspace.js';

type Receiver = Awaited<ReturnType<typeof startPushReceiver>>;

/** Checks the VAPID header as a push service does: ES256 over the JWT, with the key the header names. */
function verifyVapid(authorization: string, publicKey: string, audience: string) {
  const match = /^vapid t=([^,]+), k=(.+)$/.exec(authorization);
  expect(match).not.toBeNull();
  const [, jwt = '', k] = match ?? [];
  expect(k).toBe(publicKey);
  const [header = '', claims = '', signature = ''] = jwt.split('.');
  const raw = Buffer.from(publicKey, 'base64url');
  const key = createPublicKey({
    key: { kty: 'EC', crv: 'P-256', x: raw.subarray(1, 33).toString('base64url'), y: raw.subarray(33).toString('base64url') },
    format: 'jwk',
  });
  const valid = verify(
    'sha256',
    Buffer.from(`${header}.${claims}`),
    { key, dsaEncoding: 'ieee-p1363' },
    Buffer.from(signature, 'base64url'),
  );
  expect(valid).toBe(true);
  expect(JSON.parse(Buffer.from(claims, 'base64url').toString()).aud).toBe(audience);
}

/**
 * Web Push end to end on the server side (decision 0037): the real server process, a local HTTPS
 * push service that decrypts what it receives with the subscription's keys, the way a browser does.
 */
describe.each(engines)('web push on %s', (engine) => {
  let database: TestDatabase;
  let receiver: Receiver;
  let pier: PierProcess;
  const as: Record<'li' | 'zhang' | 'auditor', ApiClient> = {} as never;
  let phone: ReturnType<Receiver['device']>;
  let conversationId = '';
  let liId = '';
  const subject = 'Inquiry: 300 LED panels, price in USD';

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    receiver = await startPushReceiver();
    phone = receiver.device('/push/li-phone');
    // The people and the mailbox are written straight into the workspace (the CLI that can do the
    // same is tested in cli.test.ts): five CLI processes cost ~10 CPU-s per engine.
    const ws = await openTestWorkspace(database);
    const ids: Record<string, string> = {};
    for (const [email, name, role] of [
      ['li@acme.test', 'Li Wei', 'agent'],
      ['zhang@acme.test', 'Zhang Min', 'admin'],
      ['audit@acme.test', 'Auditor', 'auditor'],
    ] as const) {
      ids[email] = (await createAccount(ws.db, { email, name, role, password })).id;
    }
    const sales = await createMailbox(ws.db, { address: 'sales@acme.test', displayName: 'Sales', purpose: 'sales' });
    await grantMailboxAccess(ws.db, ids['li@acme.test'] as string, sales.id, 'reply');
    await ws.close();
    // Pier trusts the local push service's certificate the standard Node way.
    pier = await startPierProcess(database, {
      NODE_EXTRA_CA_CERTS: receiver.caPath,
      // Sessions outlive the days the last test moves the clock (the idle timeout follows it).
      PIER_SESSION_IDLE_MINUTES: String(60 * 24 * 90),
    });
    for (const [who, email] of [
      ['li', 'li@acme.test'],
      ['zhang', 'zhang@acme.test'],
      ['auditor', 'audit@acme.test'],
    ] as const) {
      as[who] = createApiClient(pier.url);
      expect((await as[who].post('/api/auth/login', { email, password })).status).toBe(200);
    }
    const smtp = nodemailer.createTransport({ host: '127.0.0.1', port: pier.smtpPort, secure: false, ignoreTLS: true });
    await smtp.sendMail({ from: 'Maria <maria@globex.test>', to: 'sales@acme.test', subject, text: 'Please quote, bank details follow.' });
    smtp.close();
    conversationId = await waitFor(async () => {
      const list = await as.li.get<{ items: { id: string }[] }>('/api/conversations');
      return list.body.items?.[0]?.id;
    }, 'the mail to be stored');
    const people = await as.zhang.get<{ mentionable: { id: string; email: string }[] }>(`/api/conversations/${conversationId}/people`);
    liId = people.body.mentionable.find((p) => p.email === 'li@acme.test')?.id ?? '';
    expect(liId).not.toBe('');
    // A server process and a mail through it: a minute on a loaded 2-core machine.
  }, 180_000);
  afterAll(async () => {
    await pier?.stop();
    await receiver?.close();
    await database?.drop();
  });

  it('makes the VAPID key pair once per workspace and keeps the private key sealed', async () => {
    const first = await as.li.get<{ publicKey: string; kinds: string[]; devices: unknown[] }>('/api/push');
    expect(first.status).toBe(200);
    expect(Buffer.from(first.body.publicKey, 'base64url')).toHaveLength(65);
    expect(first.body.kinds).toEqual(['assigned', 'mention', 'sla', 'fraud', 'approval']);
    expect(first.body.devices).toEqual([]);
    expect((await as.zhang.get<{ publicKey: string }>('/api/push')).body.publicKey).toBe(first.body.publicKey);
    const handle = openDatabase(database);
    try {
      const stored = JSON.parse((await readSetting(handle.db, 'push.vapid')) ?? '{}') as { publicKey: string; privateKey: string };
      expect(stored.publicKey).toBe(first.body.publicKey);
      expect(stored.privateKey).toMatch(/^v1:/);
      expect(JSON.stringify(first.body)).not.toContain(stored.privateKey.slice(3, 20));
    } finally {
      await handle.close();
    }
  });

  it('refuses endpoints that are not https, or keys of the wrong shape, saying why', async () => {
    const refused = receiver.device('/refused');
    const http = await as.li.post<{ error: { code: string; message: string } }>('/api/push/subscriptions', {
      ...refused.subscription,
      endpoint: refused.endpoint.replace('https:', 'http:'),
    });
    expect(http.status).toBe(400);
    expect(http.body.error.code).toBe('push.endpoint_refused');
    expect(http.body.error.message).toContain('https');
    const badKey = await as.li.post<{ error: { code: string } }>('/api/push/subscriptions', {
      endpoint: refused.endpoint,
      keys: { p256dh: 'short', auth: refused.subscription.keys.auth },
    });
    expect(badKey.status).toBe(400);
    expect(badKey.body.error.code).toBe('request.invalid');
  });

  it('pushes an assignment to the assignee with only kind and ids, encrypted for the device', async () => {
    const added = await as.li.post<{ id: string }>('/api/push/subscriptions', phone.subscription, {
      headers: {
        'user-agent': 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36',
      },
    });
    expect(added.status).toBe(201);
    const settings = await as.li.get<{ publicKey: string; devices: { id: string; device: string; current: boolean }[] }>(
      `/api/push?endpoint=${encodeURIComponent(phone.endpoint)}`,
    );
    expect(settings.body.devices).toEqual([expect.objectContaining({ id: added.body.id, device: 'Chrome on Android', current: true })]);
    // The endpoint is a capability URL: never sent back.
    expect(JSON.stringify(settings.body)).not.toContain('li-phone');

    expect((await as.zhang.post(`/api/conversations/${conversationId}/assign`, { assigneeId: liId })).status).toBe(200);
    const push = await waitFor(async () => phone.pushes()[0], 'the assignment push');
    expect(push.headers['content-encoding']).toBe('aes128gcm');
    expect(push.headers.ttl).toBe('86400');
    expect(push.headers.urgency).toBe('high');
    verifyVapid(String(push.headers.authorization), settings.body.publicKey, new URL(phone.endpoint).origin);
    // Nothing readable on the wire: neither the subject nor the assigner's name.
    expect(push.body.toString('latin1')).not.toContain('LED');
    const payload = PushPayloadSchema.strict().parse(phone.decrypt(push.body));
    const notifications = await as.li.get<{ items: { id: string; kind: string }[] }>('/api/notifications');
    expect(payload).toEqual({ kind: 'assigned', notificationId: notifications.body.items[0]?.id, conversationId });
    expect(notifications.body.items[0]?.kind).toBe('assigned');
  });

  it('sends only the kinds the person chose, and never kinds without a push', async () => {
    const before = phone.pushes().length;
    const chosen = await as.li.put<{ kinds: string[] }>('/api/push/kinds', { kinds: ['approval', 'mention', 'mention'] });
    expect(chosen.body.kinds).toEqual(['mention', 'approval']);
    expect((await as.li.put('/api/push/kinds', { kinds: ['everything'] })).status).toBe(400);
    // Assigned (turned off), then a note Li follows as assignee (a kind without push), then a mention.
    expect((await as.zhang.post(`/api/conversations/${conversationId}/assign`, { assigneeId: null })).status).toBe(200);
    expect((await as.zhang.post(`/api/conversations/${conversationId}/assign`, { assigneeId: liId })).status).toBe(200);
    expect(
      (await as.zhang.post(`/api/conversations/${conversationId}/notes`, { body: 'FYI, checked the stock', mentions: [] })).status,
    ).toBe(201);
    expect((await as.zhang.post(`/api/conversations/${conversationId}/notes`, { body: '@Li Wei price?', mentions: [liId] })).status).toBe(
      201,
    );
    await waitFor(async () => (phone.pushes().length > before ? true : undefined), 'the mention push');
    // Pushes go out in the order their notifications were written: had the others been sent, they came first.
    const kinds = phone
      .pushes()
      .slice(before)
      .map((p) => (phone.decrypt(p.body) as { kind: string }).kind);
    expect(kinds).toEqual(['mention']);
    const unread = await as.li.get<{ items: { kind: string }[] }>('/api/notifications?unread=1');
    expect(unread.body.items.map((n) => n.kind)).toEqual(expect.arrayContaining(['assigned', 'mention']));
  });

  it('removes subscriptions the push service says are gone (404, 410) and counts a test push', async () => {
    const gone = receiver.device('/gone/old-laptop');
    const missing = receiver.device('/missing/old-tablet');
    for (const device of [gone, missing]) expect((await as.li.post('/api/push/subscriptions', device.subscription)).status).toBe(201);
    expect((await as.li.get<{ devices: unknown[] }>('/api/push')).body.devices).toHaveLength(3);
    const result = await as.li.post<{ sent: number; removed: number; failed: number }>('/api/push/test');
    expect(result.body).toEqual({ sent: 1, removed: 2, failed: 0 });
    expect(gone.pushes()).toHaveLength(1);
    const devices = (await as.li.get<{ devices: { device: string; lastSentAt: number | null }[] }>('/api/push')).body.devices;
    expect(devices).toHaveLength(1);
    expect(devices[0]?.lastSentAt).toBeGreaterThan(0);
    expect(phone.decrypt(phone.pushes().at(-1)?.body ?? Buffer.alloc(0))).toEqual({
      kind: 'test',
      notificationId: null,
      conversationId: null,
    });
  });

  it('lets people remove only their own devices; auditors may keep their own', async () => {
    const [device] = (await as.li.get<{ devices: { id: string }[] }>('/api/push')).body.devices;
    const other = await as.zhang.request<{ error: { code: string } }>('DELETE', `/api/push/devices/${device?.id}`);
    expect(other.status).toBe(404);
    expect(other.body.error.code).toBe('push.subscription_not_found');
    expect((await as.zhang.post<{ removed: boolean }>('/api/push/unsubscribe', { endpoint: phone.endpoint })).body).toEqual({
      removed: false,
    });
    expect((await as.li.get<{ devices: unknown[] }>('/api/push')).body.devices).toHaveLength(1);

    const auditorPhone = receiver.device('/push/auditor');
    expect((await as.auditor.post('/api/push/subscriptions', auditorPhone.subscription)).status).toBe(201);
    expect((await as.auditor.put('/api/push/kinds', { kinds: [] })).status).toBe(200);

    expect((await as.li.request('DELETE', `/api/push/devices/${device?.id}`)).status).toBe(204);
    expect((await as.li.get<{ devices: unknown[] }>('/api/push')).body.devices).toEqual([]);
  });

  // Last: it moves the server's clock to the conversation's SLA warning (decision 0033).
  it('pushes the SLA warning to the assignee, with only kind and ids', async () => {
    const tablet = receiver.device('/push/li-tablet');
    expect((await as.li.post('/api/push/subscriptions', tablet.subscription)).status).toBe(201);
    expect((await as.li.put('/api/push/kinds', { kinds: ['sla'] })).status).toBe(200);
    // The SLA clock is set by background work after the mail is stored: on a loaded machine it may lag.
    const conversation = await waitFor(async () => {
      const list = await as.li.get<{ items?: { id: string; assignee: { id: string } | null; sla: { warnAt: number | null } | null }[] }>(
        '/api/conversations',
      );
      const found = list.body.items?.find((c) => c.id === conversationId);
      return found?.sla?.warnAt ? found : undefined;
    }, 'the conversation’s SLA warning time');
    expect(conversation.assignee?.id).toBe(liId);
    const warnAt = conversation.sla?.warnAt ?? 0;
    // A minute past the warning: the SLA job's next slot is due at once.
    const now = await pier.advanceClock(0);
    await pier.advanceClock(Math.max(0, warnAt - now) + 60_000);
    const push = await waitFor(async () => tablet.pushes()[0], 'the SLA warning push');
    expect(push.body.toString('latin1')).not.toContain('LED');
    const payload = PushPayloadSchema.strict().parse(tablet.decrypt(push.body));
    const warning = (await as.li.get<{ items: { id: string; kind: string }[] }>('/api/notifications')).body.items.find(
      (n) => n.kind === 'sla_warning',
    );
    expect(payload).toEqual({ kind: 'sla', notificationId: warning?.id, conversationId });
    // Zhang neither leads a team of it nor is assigned: no warning for him.
    const zhang = await as.zhang.get<{ items: { kind: string }[] }>('/api/notifications');
    expect(zhang.body.items.filter((n) => n.kind === 'sla_warning')).toEqual([]);
  });
});
