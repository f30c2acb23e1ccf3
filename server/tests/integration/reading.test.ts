import type { ConversationDetail } from '@pier/contracts';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailbox, grantMailboxAccess } from '../../src/modules/mailboxes/index.js';
import { createAccount } from '../../src/modules/security/index.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import type { ApiClient } from '../support/http-client.js';
import { startTestPier } from '../support/pier.js';
import { TEST_PASSWORD as password } from '../support/users.js';

// A 1×1 PNG: the inline logo the HTML refers to by cid:.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

type Summary = { id: string; subject: string };

describe.each(engines)('reading a conversation on %s', (engine) => {
  let database: TestDatabase;
  let pier: Awaited<ReturnType<typeof startTestPier>>;
  let admin: ApiClient;
  let agent: ApiClient;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    pier = await startTestPier(database);
    const { db } = pier.workspace;
    await createAccount(db, { email: 'boss@acme.test', name: 'Boss', password, role: 'admin' });
    const zhang = await createAccount(db, { email: 'zhang@acme.test', name: 'Zhang', password, role: 'agent' });
    ids.sales = (await createMailbox(db, { address: 'sales@acme.test', displayName: 'Sales', purpose: 'sales' })).id;
    ids.accounting = (await createMailbox(db, { address: 'accounting@acme.test', displayName: 'Accounting', purpose: 'accounting' })).id;
    await grantMailboxAccess(db, zhang.id, ids.sales, 'reply');

    const smtp = nodemailer.createTransport({ host: '127.0.0.1', port: pier.smtpPort ?? 0, secure: false, ignoreTLS: true });
    await smtp.sendMail({
      from: 'Maria Gonzalez <maria@globex-trading.es>',
      to: 'sales@acme.test',
      subject: 'Inquiry LED panel',
      text: 'Please quote 500 pcs.\n\n> earlier text',
      html: '<p>Please quote <b>500 pcs</b>.</p><img src="cid:logo@globex"><img src="https://tracker.test/p.gif"><script>alert(1)</script>',
      attachments: [
        { filename: 'logo.png', content: PNG, cid: 'logo@globex' },
        { filename: '报价单 2026.pdf', content: Buffer.from('%PDF-1.4\n%fake but harmless\n'), contentType: 'application/pdf' },
        { filename: 'page.html', content: Buffer.from('<script>alert(1)</script>'), contentType: 'text/html' },
      ],
    });
    await smtp.sendMail({
      from: 'Maria Gonzalez <maria@globex-trading.es>',
      to: 'accounting@acme.test',
      subject: 'Invoice 2026-11 bank details',
      text: 'Payment to our account.',
    });
    smtp.close();

    admin = pier.api();
    agent = pier.api();
    expect((await admin.post('/api/auth/login', { email: 'boss@acme.test', password })).status).toBe(200);
    expect((await agent.post('/api/auth/login', { email: 'zhang@acme.test', password })).status).toBe(200);
    const list = (await admin.get<{ items: Summary[] }>('/api/conversations')).body.items;
    ids.inquiry = list.find((c) => c.subject === 'Inquiry LED panel')?.id ?? '';
    ids.invoice = list.find((c) => c.subject.startsWith('Invoice'))?.id ?? '';
  });
  afterAll(async () => {
    await pier?.stop();
    await database?.drop();
  });

  const detail = async (client: ApiClient, id: string) => {
    const res = await client.get<ConversationDetail>(`/api/conversations/${id}`);
    expect(res.status).toBe(200);
    return res.body;
  };
  const firstMessage = (d: ConversationDetail) => {
    const item = d.timeline[0];
    if (item?.kind !== 'message') throw new Error('expected a message first');
    return item;
  };

  it('returns the timeline, the customer with country and zone, mailboxes and related conversations', async () => {
    const d = await detail(admin, ids.inquiry ?? '');
    expect(d.conversation).toMatchObject({ subject: 'Inquiry LED panel', status: 'open', tags: [], following: false, team: null });
    expect(d.conversation.mailboxes).toEqual([{ id: ids.sales, address: 'sales@acme.test', displayName: 'Sales' }]);
    expect(d.customer).toMatchObject({
      address: 'maria@globex-trading.es',
      name: 'Maria Gonzalez',
      country: 'ES',
      timeZone: 'Europe/Madrid',
      company: { domain: 'globex-trading.es' },
    });
    expect(d.related.map((r) => r.subject)).toEqual(['Invoice 2026-11 bank details']);
    const message = firstMessage(d);
    expect(message).toMatchObject({ direction: 'in', hasHtml: true, parseStatus: 'ok', to: ['sales@acme.test'] });
    expect(message.text).toContain('Please quote 500 pcs.');
    expect(message.attachments.map((a) => [a.filename, a.isInline])).toEqual([
      ['logo.png', true],
      ['报价单 2026.pdf', false],
      ['page.html', false],
    ]);
  });

  it('gives an agent 404 for a conversation, message, source or attachment outside their mailboxes', async () => {
    expect((await detail(agent, ids.inquiry ?? '')).related).toEqual([]);
    expect(await agent.get(`/api/conversations/${ids.invoice}`)).toMatchObject({
      status: 404,
      body: { error: { code: 'conversation.not_found' } },
    });
    expect(await agent.get('/api/conversations/made-up')).toMatchObject({
      status: 404,
      body: { error: { code: 'conversation.not_found' } },
    });
    const invoice = firstMessage(await detail(admin, ids.invoice ?? ''));
    expect(await agent.get(`/api/messages/${invoice.id}/html`)).toMatchObject({
      status: 404,
      body: { error: { code: 'message.not_found' } },
    });
    expect(await agent.get(`/api/messages/${invoice.id}/raw`)).toMatchObject({ status: 404 });
    const pdf = firstMessage(await detail(admin, ids.inquiry ?? '')).attachments[1];
    expect((await agent.get(`/api/attachments/${pdf?.id}`)).status).toBe(200);
    const stranger = pier.api();
    expect((await stranger.get(`/api/attachments/${pdf?.id}`)).status).toBe(401);
  });

  it('serves the HTML sanitised, remote images blocked until asked, cid: inlined, under a strict sandboxing CSP', async () => {
    const message = firstMessage(await detail(admin, ids.inquiry ?? ''));
    const res = await admin.get<string>(`/api/messages/${message.id}/html`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain('sandbox');
    // Same origin so the reading pane can measure the frame, and never scripts with it.
    expect(csp).toContain('sandbox allow-same-origin allow-popups');
    expect(csp).not.toContain('allow-scripts');
    expect(csp).not.toMatch(/script-src/);
    expect(csp).toContain("frame-ancestors 'self'");
    expect(csp).not.toContain('https:');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.body).toContain('<b>500 pcs</b>');
    expect(res.body).not.toContain('<script>');
    expect(res.body).not.toContain('tracker.test');
    expect(res.body).toContain('src="data:image/png;base64,');
    expect(res.headers.get('x-pier-blocked-images')).toBe('1');
    const head = await admin.request('HEAD', `/api/messages/${message.id}/html`);
    expect(head.headers.get('x-pier-blocked-images')).toBe('1');
    expect(head.headers.get('x-pier-quoted-blocks')).toBe('0');

    const withImages = await admin.get<string>(`/api/messages/${message.id}/html?images=1`);
    expect(withImages.body).toContain('src="https://tracker.test/p.gif"');
    expect(withImages.headers.get('content-security-policy')).toContain('https:');
  });

  it('downloads attachments with an RFC 5987 file name, previews only images and PDF', async () => {
    const [logo, pdf, page] = firstMessage(await detail(admin, ids.inquiry ?? '')).attachments;
    const download = await admin.get(`/api/attachments/${pdf?.id}`);
    expect(download.headers.get('content-disposition')).toBe(
      `attachment; filename="??? 2026.pdf"; filename*=UTF-8''${encodeURIComponent('报价单')}%202026.pdf`,
    );
    expect(download.headers.get('x-content-type-options')).toBe('nosniff');
    const preview = await admin.get(`/api/attachments/${pdf?.id}?inline=1`);
    expect(preview.headers.get('content-disposition')).toMatch(/^inline;/);
    expect(preview.headers.get('content-type')).toBe('application/pdf');
    const image = await admin.get(`/api/attachments/${logo?.id}?inline=1`);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(image.headers.get('content-disposition')).toMatch(/^inline;/);
    const html = await admin.get(`/api/attachments/${page?.id}?inline=1`);
    expect(html.headers.get('content-type')).toBe('application/octet-stream');
    expect(html.headers.get('content-disposition')).toMatch(/^attachment;/);
    expect(html.headers.get('content-security-policy')).toContain('sandbox');
  });

  it('pages the conversation list with a keyset cursor', async () => {
    type Page = { items: Summary[]; nextCursor: string | null };
    const first = (await admin.get<Page>('/api/conversations?limit=1')).body;
    expect(first.items).toHaveLength(1);
    expect(first.nextCursor).toMatch(/^\d+\./);
    const second = (await admin.get<Page>(`/api/conversations?limit=1&cursor=${first.nextCursor}`)).body;
    expect(second.items.map((c) => c.id)).not.toContain(first.items[0]?.id);
    const rest = (await admin.get<Page>(`/api/conversations?limit=5&cursor=${second.nextCursor}`)).body;
    expect(rest).toEqual({ items: [], nextCursor: null });
    expect([...first.items, ...second.items].map((c) => c.subject).sort()).toEqual(['Inquiry LED panel', 'Invoice 2026-11 bank details']);
    expect((await admin.get('/api/conversations?cursor=bad')).status).toBe(400);
  });

  it('returns the original .eml for "view source"', async () => {
    const message = firstMessage(await detail(admin, ids.inquiry ?? ''));
    const raw = await admin.get<string>(`/api/messages/${message.id}/raw`);
    expect(raw.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(raw.body).toContain('Subject: Inquiry LED panel');
    expect(raw.body).toContain('Content-ID: <logo@globex>');
    const download = await admin.get(`/api/messages/${message.id}/raw?download=1`);
    expect(download.headers.get('content-type')).toBe('message/rfc822');
    expect(download.headers.get('content-disposition')).toBe(`attachment; filename="${message.id}.eml"`);
  });

  it('shows a <frameset> mail (its <noframes> text, no frames) instead of answering 500', async () => {
    const smtp = nodemailer.createTransport({ host: '127.0.0.1', port: pier.smtpPort ?? 0, secure: false, ignoreTLS: true });
    await smtp.sendMail({
      from: 'Kenji Sato <kenji@osaka-trade.test>',
      to: 'sales@acme.test',
      subject: 'Old portal notice',
      html: '<html><frameset cols="50%,50%"><frame src="https://evil.test/a"><frame src="https://evil.test/b"></frameset><noframes><p>Order 4711 shipped</p></noframes></html>',
    });
    smtp.close();
    const list = (await admin.get<{ items: Summary[] }>('/api/conversations')).body.items;
    const id = list.find((c) => c.subject === 'Old portal notice')?.id ?? '';
    const message = firstMessage(await detail(admin, id));
    const res = await admin.get<string>(`/api/messages/${message.id}/html`);
    expect(res.status).toBe(200);
    expect(res.body).toContain('<p>Order 4711 shipped</p>');
    expect(res.body).not.toMatch(/<frame|evil\.test/i);
  });
});
