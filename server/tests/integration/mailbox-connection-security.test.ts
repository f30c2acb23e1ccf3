import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import type { ApiClient } from '../support/http-client.js';
import { startTestPier } from '../support/pier.js';
import { ageStepUp } from '../support/step-up.js';
import { nextCode } from '../support/two-factor.js';

const boss = { email: 'boss@acme.test', name: 'Boss', password: 'correct horse battery staple' };
const BANNER = 'SSH-2.0-OpenSSH_9.2 internal-build SECRET-BANNER';
const INTERNAL_PAGE = 'INTERNAL-ADMIN-PAGE: redis at 10.0.0.7, root password hunter2';

/** A loopback service that greets every connection with a banner, like sshd or redis would. */
async function startBannerService(): Promise<{ server: Server; port: number; connections: () => number }> {
  let connections = 0;
  const server = createServer((socket) => {
    connections += 1;
    socket.on('error', () => {});
    socket.end(`${BANNER}\r\n`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return { server, port: typeof address === 'object' && address ? address.port : 0, connections: () => connections };
}

/** An internal web service: answers every request with a page (or an OAuth-looking error) and records what was posted. */
async function startInternalHttp(): Promise<{ server: HttpServer; port: number; bodies: string[] }> {
  const bodies: string[] = [];
  const server = createHttpServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    request.on('end', () => {
      bodies.push(body);
      if (request.url === '/oauth-error') {
        response.writeHead(400, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: 'invalid_grant', error_description: INTERNAL_PAGE }));
        return;
      }
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end(`<html><body>${INTERNAL_PAGE}</body></html>`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return { server, port: typeof address === 'object' && address ? address.port : 0, bodies };
}

const connectionTo = (host: string, port: number, extra: Record<string, unknown> = {}) => ({
  preset: 'other',
  imap: { host, port, tls: 'none', user: 'probe@acme.test' },
  smtp: { host, port, tls: 'none', user: 'probe@acme.test' },
  authMethod: 'password',
  password: 'mailbox secret',
  syncFolders: ['inbox'],
  syncSinceDays: null,
  ...extra,
});

type TestAnswer = {
  ok: boolean;
  imap: { ok: boolean; code?: string; message?: string };
  smtp: { ok: boolean; code?: string; message?: string };
};

/**
 * Where the server connects for an admin (issue 12): mailbox servers and OAuth token endpoints
 * must resolve to public addresses unless PIER_ALLOW_PRIVATE_HOSTS allows private ones, nothing a
 * foreign server says comes back, the connection test needs a step-up, and a saved password never
 * follows a change of server.
 */
describe.each(engines)('mailbox connection security on %s', (engine) => {
  let database: TestDatabase;
  let allowedDatabase: TestDatabase;
  let pier: Awaited<ReturnType<typeof startTestPier>>;
  let allowing: Awaited<ReturnType<typeof startTestPier>>;
  let admin: ApiClient;
  let allowedAdmin: ApiClient;
  let banner: Awaited<ReturnType<typeof startBannerService>>;
  let internal: Awaited<ReturnType<typeof startInternalHttp>>;

  beforeAll(async () => {
    banner = await startBannerService();
    internal = await startInternalHttp();
    database = await createTestDatabase(engine);
    allowedDatabase = await createTestDatabase(engine);
    // The default: PIER_ALLOW_PRIVATE_HOSTS unset.
    pier = await startTestPier(database, { PIER_ALLOW_PRIVATE_HOSTS: '' });
    // An on-premises install that allows its own loopback range only (the list form).
    allowing = await startTestPier(allowedDatabase, { PIER_ALLOW_PRIVATE_HOSTS: '127.0.0.0/8' });
    admin = pier.api();
    allowedAdmin = allowing.api();
    expect((await admin.post('/api/setup', boss)).status).toBe(201);
    expect((await allowedAdmin.post('/api/setup', boss)).status).toBe(201);
  });
  afterAll(async () => {
    await pier?.stop();
    await allowing?.stop();
    await database?.drop();
    await allowedDatabase?.drop();
    banner?.server.close();
    internal?.server.close();
  });

  it.each([['127.0.0.1'], ['10.20.30.40'], ['::1'], ['169.254.169.254'], ['localhost'], ['::ffff:127.0.0.1']])(
    'refuses to test a mailbox server at %s, with a clear code and nothing of the service in the answer',
    async (host) => {
      const before = banner.connections();
      const res = await admin.post<TestAnswer>('/api/mailboxes/test', {
        address: 'probe@acme.test',
        connection: connectionTo(host, banner.port),
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        ok: false,
        imap: { ok: false, code: 'connection.private_host' },
        smtp: { ok: false, code: 'connection.private_host' },
      });
      expect(res.body.imap.message).toMatch(/private or reserved network/);
      expect(JSON.stringify(res.body)).not.toContain('SECRET-BANNER');
      expect(banner.connections()).toBe(before);
    },
  );

  it('refuses to save a mailbox whose servers resolve to a private address', async () => {
    const res = await admin.post<{ error: { code: string; message: string } }>('/api/mailboxes', {
      address: 'probe@acme.test',
      displayName: 'Probe',
      purpose: 'sales',
      connection: connectionTo('127.0.0.1', banner.port),
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('mailbox.private_host');
    expect(res.body.error.message).toContain('PIER_ALLOW_PRIVATE_HOSTS');
    const saved = await pier.workspace.db.selectFrom('mailboxes').select('id').where('address', '=', 'probe@acme.test').execute();
    expect(saved).toEqual([]);
  });

  it('never posts the client secret to a private token endpoint', async () => {
    const before = internal.bodies.length;
    const res = await admin.post<TestAnswer>('/api/mailboxes/test', {
      address: 'probe@acme.test',
      connection: connectionTo('mail.acme.invalid', 993, {
        authMethod: 'xoauth2',
        password: undefined,
        oauth: {
          refreshToken: 'refresh-me',
          clientId: 'pier-app',
          clientSecret: 'the-client-secret',
          tokenEndpoint: `http://127.0.0.1:${internal.port}/token`,
        },
      }),
    });
    expect(res.body).toMatchObject({ ok: false, imap: { code: 'connection.private_host' }, smtp: { code: 'connection.private_host' } });
    expect(JSON.stringify(res.body)).not.toContain('INTERNAL-ADMIN-PAGE');
    expect(internal.bodies.length).toBe(before);
  });

  it('when private hosts are allowed, still answers with its own words and never the service banner', async () => {
    const res = await allowedAdmin.post<TestAnswer>('/api/mailboxes/test', {
      address: 'probe@acme.test',
      connection: connectionTo('127.0.0.1', banner.port),
    });
    expect(res.status).toBe(200);
    expect(res.body.ok).toBe(false);
    expect(res.body.imap.code).toMatch(/^connection\.(protocol_error|unreachable|timeout)$/);
    expect(res.body.smtp.code).toMatch(/^connection\.(protocol_error|unreachable|timeout)$/);
    expect(JSON.stringify(res.body)).not.toMatch(/SSH-2|SECRET-BANNER|OpenSSH/);
  });

  it('when private hosts are allowed, repeats neither an internal page nor an OAuth error description', async () => {
    for (const path of ['/token', '/oauth-error']) {
      const res = await allowedAdmin.post<TestAnswer>('/api/mailboxes/test', {
        address: 'probe@acme.test',
        connection: connectionTo('127.0.0.1', banner.port, {
          authMethod: 'xoauth2',
          password: undefined,
          oauth: { refreshToken: 'refresh-me', clientId: 'pier-app', tokenEndpoint: `http://127.0.0.1:${internal.port}${path}` },
        }),
      });
      expect(res.body.ok).toBe(false);
      expect(res.body.imap.code).toBe(path === '/token' ? 'connection.protocol_error' : 'connection.oauth_revoked');
      expect(JSON.stringify(res.body)).not.toContain('INTERNAL-ADMIN-PAGE');
      expect(JSON.stringify(res.body)).not.toContain('hunter2');
    }
  });

  it('the list form allows only the listed addresses', async () => {
    const res = await allowedAdmin.post<TestAnswer>('/api/mailboxes/test', {
      address: 'probe@acme.test',
      connection: connectionTo('10.20.30.40', banner.port),
    });
    expect(res.body).toMatchObject({ imap: { code: 'connection.private_host' }, smtp: { code: 'connection.private_host' } });
  });

  it('asks for a fresh step-up before testing a connection, and connects nowhere until then', async () => {
    const user = await allowing.workspace.db.selectFrom('users').select('id').where('email', '=', boss.email).executeTakeFirstOrThrow();
    await ageStepUp(allowing.workspace.db, user.id);
    const before = banner.connections();
    const res = await allowedAdmin.post<{ error: { code: string } }>('/api/mailboxes/test', {
      address: 'probe@acme.test',
      connection: connectionTo('127.0.0.1', banner.port),
    });
    expect(res).toMatchObject({ status: 403, body: { error: { code: 'auth.step_up_required' } } });
    expect(banner.connections()).toBe(before);
    expect(
      (await allowedAdmin.post('/api/auth/step-up', { password: boss.password, code: nextCode(allowing.url, boss.email) })).status,
    ).toBe(204);
    const after = await allowedAdmin.post<TestAnswer>('/api/mailboxes/test', {
      address: 'probe@acme.test',
      connection: connectionTo('127.0.0.1', banner.port),
    });
    expect(after.status).toBe(200);
    expect(banner.connections()).toBeGreaterThan(before);
  });

  it('refuses a change of server, port or TLS mode that does not enter the password again, and keeps the saved settings', async () => {
    const created = await allowedAdmin.post<{ id: string }>('/api/mailboxes', {
      address: 'sales@acme.test',
      displayName: 'Sales',
      purpose: 'sales',
      connection: connectionTo('127.0.0.1', 2525),
    });
    expect(created.status).toBe(201);
    const { password: _, ...withoutPassword } = connectionTo('127.0.0.1', 2525);
    const changes = [
      { ...withoutPassword, smtp: { host: '127.0.0.2', port: 2525, tls: 'none', user: 'probe@acme.test' } },
      { ...withoutPassword, smtp: { host: '127.0.0.1', port: 587, tls: 'none', user: 'probe@acme.test' } },
      { ...withoutPassword, imap: { host: '127.0.0.1', port: 2525, tls: 'starttls', user: 'probe@acme.test' } },
    ];
    for (const connection of changes) {
      const res = await allowedAdmin.request<{ error: { code: string; message: string } }>('PATCH', `/api/mailboxes/${created.body.id}`, {
        json: { connection },
      });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('mailbox.secret_required');
      expect(res.body.error.message).toMatch(/server changed: enter the password again/);
    }
    const row = await allowing.workspace.db
      .selectFrom('mailboxes')
      .select(['smtp_host', 'smtp_port', 'imap_tls'])
      .where('id', '=', created.body.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ smtp_host: '127.0.0.1', smtp_port: 2525, imap_tls: 'none' });

    // The same servers with other sync settings keep the saved password; a new server with the password is saved.
    const sameServers = await allowedAdmin.request('PATCH', `/api/mailboxes/${created.body.id}`, {
      json: { connection: { ...withoutPassword, syncFolders: ['inbox', 'sent'] } },
    });
    expect(sameServers.status).toBe(200);
    const moved = await allowedAdmin.request('PATCH', `/api/mailboxes/${created.body.id}`, {
      json: { connection: { ...changes[0], password: 'the new server password' } },
    });
    expect(moved.status).toBe(200);
    expect(
      await allowing.workspace.db.selectFrom('mailboxes').select('smtp_host').where('id', '=', created.body.id).executeTakeFirstOrThrow(),
    ).toEqual({ smtp_host: '127.0.0.2' });
  });
});
