import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailbox } from '../../src/modules/mailboxes/index.js';
import { createAccount } from '../../src/modules/security/index.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import type { ApiClient } from '../support/http-client.js';
import { makePng } from '../support/images.js';
import { startTestPier } from '../support/pier.js';

const password = 'a long enough password';
const settings = { companyName: 'ACME Lighting', website: 'acme.test', phone: '', sentCopy: 'auto' as const };

/** Issue 18: a job title, no dangling separators, unknown variables refused on save, an uploaded logo. */
describe.each(engines)('mailbox signatures on %s', (engine) => {
  let database: TestDatabase;
  let pier: Awaited<ReturnType<typeof startTestPier>>;
  let admin: ApiClient;
  let mailboxId = '';

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    pier = await startTestPier(database, { PIER_LOGIN_RATE_LIMIT: '200' });
    const { db } = pier.workspace;
    await createAccount(db, { email: 'lina@acme.test', name: '李娜 Li Na', password, role: 'admin' });
    mailboxId = (await createMailbox(db, { address: 'sales@acme.test', displayName: 'Sales', purpose: 'sales' })).id;
    admin = pier.api();
    expect((await admin.post('/api/auth/login', { email: 'lina@acme.test', password })).status).toBe(200);
  });
  afterAll(async () => {
    await pier?.stop();
    await database?.drop();
  });

  const preview = async () => (await admin.get<{ html: string }>(`/api/mailboxes/${mailboxId}/signature/preview`)).body.html;

  it('prints no separator next to an empty job title or phone in the default signature', async () => {
    // Nothing saved yet: the default template, with no job title, phone or company.
    expect(await preview()).toBe('<div class="pier-signature"><p>--<br><strong>李娜 Li Na</strong></p></div>');
    const template = (await admin.get<{ signatureHtml: string }>(`/api/mailboxes/${mailboxId}/signature`)).body.signatureHtml;
    expect(template).toContain('{{agent.name}}</strong> | {{agent.title}}');
    expect((await admin.put(`/api/mailboxes/${mailboxId}/signature`, { ...settings, signatureHtml: template })).status).toBe(200);
    const html = await preview();
    expect(html).toContain('<strong>李娜 Li Na</strong><br>');
    expect(html).toContain('ACME Lighting<br>acme.test</p>');
    expect(html).not.toContain('|');
  });

  it('fills the job title each agent sets for themselves, with its separator', async () => {
    const prefs = (await admin.get<{ undoSeconds: number; title: string }>('/api/outbox/preferences')).body;
    expect((await admin.put('/api/outbox/preferences', { ...prefs, title: 'Sales Manager 销售经理' })).status).toBe(200);
    expect(await preview()).toContain('<strong>李娜 Li Na</strong> | Sales Manager 销售经理<br>');
  });

  it('refuses an unknown variable with the known ones in the message, and keeps the saved template', async () => {
    const before = (await admin.get<{ signatureHtml: string }>(`/api/mailboxes/${mailboxId}/signature`)).body.signatureHtml;
    const refused = await admin.put(`/api/mailboxes/${mailboxId}/signature`, {
      ...settings,
      signatureHtml: '<p>{{name}}<br>{{agent.name}}</p>',
    });
    expect(refused).toMatchObject({
      status: 400,
      body: { error: { code: 'signature.unknown_variable', details: { unknown: '{{name}}' } } },
    });
    const message = (refused.body as { error: { message: string } }).error.message;
    expect(message).toContain('unknown variable {{name}}');
    expect(message).toContain('known: {{agent.name}}, {{agent.title}}');
    expect((await admin.get<{ signatureHtml: string }>(`/api/mailboxes/${mailboxId}/signature`)).body.signatureHtml).toBe(before);
  });

  it('takes an uploaded logo, shows it from Pier in the preview where {{company.logo}} stands, and refuses other files', async () => {
    const upload = (bytes: Uint8Array, type: string) =>
      admin.request<{ url: string; error?: { code: string; message: string } }>('PUT', `/api/mailboxes/${mailboxId}/signature/logo`, {
        rawBody: bytes,
        headers: { 'content-type': type },
      });
    const svg = await upload(
      Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)" width="90" height="30"/>'),
      'image/png',
    );
    expect(svg.status).toBe(415);
    expect(svg.body.error).toMatchObject({ code: 'signature.logo_type' });
    expect(svg.body.error?.message).toContain('SVG is refused');
    const big = await upload(makePng(300, 90, { padTo: 300 * 1024 }), 'image/png');
    expect(big.status).toBe(413);
    expect(big.body.error).toMatchObject({ code: 'signature.logo_too_large', message: 'the logo is 300 kB; at most 200 kB' });
    expect((await admin.get<{ logo: unknown }>(`/api/mailboxes/${mailboxId}/signature`)).body.logo).toBeNull();

    const png = makePng(240, 80);
    const saved = await upload(png, 'application/octet-stream');
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ mime: 'image/png', width: 240, height: 80, size: png.length });
    const served = await admin.request<string>('GET', saved.body.url);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(served.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Number(served.headers.get('content-length'))).toBe(png.length);

    // The default template ends with {{company.logo}}: the image from Pier's own route, on its own line.
    expect(await preview()).toContain(`acme.test<br><img src="${saved.body.url}" alt="ACME Lighting" width="180" height="60"></p>`);
    const template = '<p>--<br>{{company.logo}}<br><strong>{{agent.name}}</strong> | {{company.name}}</p>';
    expect((await admin.put(`/api/mailboxes/${mailboxId}/signature`, { ...settings, signatureHtml: template })).status).toBe(200);
    expect(await preview()).toContain(`<p>--<br><img src="${saved.body.url}" alt="ACME Lighting" width="180" height="60"><br><strong>`);

    // A remote logo link is refused, not fetched.
    const remote = await admin.put<{ error: { code: string } }>(`/api/mailboxes/${mailboxId}/signature`, {
      ...settings,
      signatureHtml: template,
      logoUrl: 'https://cdn.example.test/logo.png',
    });
    expect(remote).toMatchObject({ status: 400, body: { error: { code: 'signature.remote_logo' } } });

    expect((await admin.request('DELETE', `/api/mailboxes/${mailboxId}/signature/logo`)).status).toBe(204);
    expect(await preview()).not.toContain('<img');
    expect((await admin.request('GET', saved.body.url)).status).toBe(404);
  });
});
