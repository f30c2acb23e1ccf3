import type { FaqAnswer, FaqQuestionCluster, FaqSuggestion } from '@pier/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as knowledgeMigration from '../../src/db/migrations/0055_knowledge.js';
import { ingestMail } from '../../src/modules/conversations/index.js';
import { classifyStoredMessage } from '../../src/modules/mail-facts/index.js';
import { createMailbox, grantMailboxAccess, loadOwnAddresses } from '../../src/modules/mailboxes/index.js';
import { createAccount } from '../../src/modules/security/index.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import type { ApiClient } from '../support/http-client.js';
import { startTestPier } from '../support/pier.js';

const password = 'a long enough password';
const DAY = 86_400_000;
let counter = 0;

function mail(input: { from: string; to: string; subject: string; body: string; inReplyTo?: string }) {
  const id = `<faq${++counter}.${Date.now()}@test>`;
  const raw = [
    `Message-ID: ${id}`,
    `Date: ${new Date().toUTCString()}`,
    `From: ${input.from}`,
    `To: ${input.to}`,
    `Subject: ${input.subject}`,
    ...(input.inReplyTo ? [`In-Reply-To: ${input.inReplyTo}`, `References: ${input.inReplyTo}`] : []),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    input.body,
  ].join('\r\n');
  return { id, raw: Buffer.from(raw) };
}

/**
 * Issue 19, the FAQ library (decision 0050) on both engines: folders, language versions,
 * attachments, variables and usage; suggestions ranked by the incoming mail's words and language
 * that never include a sent answer from a mailbox the agent cannot read; an answer made from a
 * sent mail; and the unanswered questions of info@ grouped by similarity.
 */
describe.each(engines)('FAQ library on %s', (engine) => {
  let database: TestDatabase;
  let pier: Awaited<ReturnType<typeof startTestPier>>;
  let admin: ApiClient;
  let agent: ApiClient;
  const box = { info: '', sales: '', finance: '' };
  const conv: Record<string, string> = {};
  const sent: Record<string, string> = {};

  async function store(raw: Buffer, mailboxId: string, receivedAt: number) {
    const { db, blobs, engine: e, messageIds, recordReopened, teamActivity } = pier.workspace;
    const ctx = { engine: e, ownAddresses: await loadOwnAddresses(db), messageIds, recordReopened, teamActivity };
    const stored = await ingestMail({ db, blobs, ctx }, { raw, mailboxIds: [mailboxId], source: 'imap', receivedAt });
    await classifyStoredMessage({ db, blobs }, { ...stored, mailboxId, direction: 'in', source: 'imap', receivedAt } as Parameters<
      typeof classifyStoredMessage
    >[1]);
    return stored;
  }

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    pier = await startTestPier(database, { PIER_LOGIN_RATE_LIMIT: '200' });
    const { db } = pier.workspace;
    await createAccount(db, { email: 'lina@acme.test', name: '李娜 Li Na', password, role: 'admin' });
    const agentId = (await createAccount(db, { email: 'tom@acme.test', name: 'Tom Agent', password, role: 'agent' })).id;
    box.info = (await createMailbox(db, { address: 'info@acme.test', displayName: 'Info', purpose: 'inquiry' })).id;
    box.sales = (await createMailbox(db, { address: 'sales@acme.test', displayName: 'Sales', purpose: 'sales' })).id;
    box.finance = (await createMailbox(db, { address: 'finance@acme.test', displayName: 'Finance', purpose: 'accounting' })).id;
    await grantMailboxAccess(db, agentId, box.info, 'reply');
    await grantMailboxAccess(db, agentId, box.sales, 'reply');
    admin = pier.api();
    agent = pier.api();
    expect((await admin.post('/api/auth/login', { email: 'lina@acme.test', password })).status).toBe(200);
    expect((await agent.post('/api/auth/login', { email: 'tom@acme.test', password })).status).toBe(200);

    const now = pier.clock.now();
    const incoming = async (key: string, mailboxId: string, from: string, subject: string, body: string, daysAgo = 3) => {
      const m = mail({ from, to: 'info@acme.test', subject, body });
      conv[key] = (await store(m.raw, mailboxId, now - daysAgo * DAY)).conversationId;
      return m.id;
    };
    // info@: three customers ask about the minimum order, three (in Chinese) about samples.
    await incoming(
      'moqEn',
      box.info,
      'Hans Müller <hans@mueller-licht.de>',
      'Minimum order quantity',
      'Hello, what is your minimum order quantity (MOQ) for the LED panel lights? We would like to order a small quantity first.',
    );
    await incoming(
      'moq2',
      box.info,
      'Ana <ana@luces.es>',
      'MOQ question',
      'Dear Sir, what is the minimum order quantity for your LED panel? Can we order a small quantity?',
    );
    await incoming(
      'moqZh',
      box.info,
      '王先生 <wang@jinghua-trade.cn>',
      '起订量',
      '您好，请问你们LED面板灯的最小起订量是多少？我们想先小批量订购。',
    );
    await incoming('sample1', box.info, '刘经理 <liu@hengda.cn>', '样品', '您好，请问可以寄样品吗？样品费多少？运费谁付？');
    await incoming(
      'sample2',
      box.info,
      '陈小姐 <chen@meili.cn>',
      '关于样品',
      '你好，我们想要两个样品测试，样品费怎么算？可以寄样品到上海吗？',
    );
    await incoming('sample3', box.info, '赵先生 <zhao@dongfang.cn>', '寄样品', '请问寄样品需要多长时间？样品费可以退吗？');
    // Older than 90 days: not among the recent questions.
    await incoming('oldSample', box.info, '孙先生 <sun@old.cn>', '样品', '请问可以寄样品吗？样品费多少？', 120);
    // sales@ (not an inquiry mailbox): its questions are not counted.
    await incoming('salesSample', box.sales, '周先生 <zhou@x.cn>', '样品', '请问可以寄样品吗？样品费多少？');

    // Past sent answers: one from sales@ (the agent reads it), one from finance@ (the agent does not).
    const askLead = mail({
      from: 'Piet <piet@holland-led.nl>',
      to: 'sales@acme.test',
      subject: 'Lead time',
      body: 'How long is the lead time for 500 panels?',
    });
    await store(askLead.raw, box.sales, now - 10 * DAY);
    const answerLead = mail({
      from: 'Sales <sales@acme.test>',
      to: 'piet@holland-led.nl',
      subject: 'Re: Lead time',
      inReplyTo: askLead.id,
      body: 'Dear Piet,\n\nOur lead time for LED panels is 15 days after the deposit; for 500 panels about 20 days.\n\nOn Mon, Piet wrote:\n> How long is the lead time for 500 panels?',
    });
    sent.sales = (await store(answerLead.raw, box.sales, now - 9 * DAY)).messageId;
    const askFin = mail({
      from: 'Bob <bob@buyer.test>',
      to: 'finance@acme.test',
      subject: 'Lead time and payment',
      body: 'What is the lead time and where do we pay?',
    });
    await store(askFin.raw, box.finance, now - 8 * DAY);
    const answerFin = mail({
      from: 'Finance <finance@acme.test>',
      to: 'bob@buyer.test',
      subject: 'Re: Lead time and payment',
      inReplyTo: askFin.id,
      body: 'Lead time for LED panels is 15 days. Pay to CONFIDENTIALBANK account 6222 0000 1111, never tell anyone.',
    });
    sent.finance = (await store(answerFin.raw, box.finance, now - 7 * DAY)).messageId;
    // The question the agent is answering now, in info@.
    await incoming(
      'leadQ',
      box.info,
      'Marc <marc@lumiere.fr>',
      'Lead time?',
      'Hello, what is your lead time for LED panels after the deposit?',
    );
  });
  afterAll(async () => {
    await pier?.stop();
    await database?.drop();
  });

  let moq: FaqAnswer;

  it('keeps answers in folders with a version per language, an attachment, and who edited last', async () => {
    const folder = await admin.post<{ id: string }>('/api/faq/folders', { name: 'Orders 订单' });
    expect(folder.status).toBe(201);
    const upload = await agent.request<{ id: string }>('POST', '/api/outbox/uploads?filename=price-list.pdf&mime=application/pdf', {
      rawBody: '%PDF-1.4 price list',
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect(upload.status).toBe(201);
    const created = await agent.post<FaqAnswer>('/api/faq/answers', {
      folderId: folder.body.id,
      title: 'Minimum order quantity (MOQ)',
      versions: [
        {
          language: 'en',
          bodyHtml:
            '<p>Dear {{contact.name}}, our minimum order quantity for LED panels is 100 pcs; {{company}} may order a small trial quantity first. {{agent.name}}</p>',
        },
        { language: 'zh-CN', bodyHtml: '<p>{{contact.name}}您好，我们LED面板灯的最小起订量是100件，可以先小批量试订。{{agent.name}}</p>' },
      ],
      attachments: [{ uploadId: upload.body.id }],
    });
    expect(created.status).toBe(201);
    moq = created.body;
    expect(moq.versions.map((v) => v.language)).toEqual(['en', 'zh-CN']);
    expect(moq.attachments).toMatchObject([{ filename: 'price-list.pdf', mime: 'application/pdf' }]);
    expect(moq.updatedBy.name).toBe('Tom Agent');

    const library = await agent.get<{ folders: { id: string; answerCount: number }[]; answers: FaqAnswer[] }>('/api/faq');
    expect(library.body.folders).toEqual([expect.objectContaining({ id: folder.body.id, answerCount: 1 })]);
    expect(library.body.answers.map((a) => a.id)).toContain(moq.id);

    const duplicate = await agent.post('/api/faq/answers', {
      folderId: null,
      title: 'Twice',
      versions: [
        { language: 'en', bodyHtml: 'a' },
        { language: 'en', bodyHtml: 'b' },
      ],
    });
    expect(duplicate).toMatchObject({ status: 400, body: { error: { code: 'knowledge.duplicate_language' } } });
    const unknown = await agent.post('/api/faq/answers', {
      folderId: null,
      title: 'Typo',
      versions: [{ language: 'en', bodyHtml: '<p>Dear {{contact.nmae}}</p>' }],
    });
    expect(unknown).toMatchObject({
      status: 400,
      body: { error: { code: 'knowledge.unknown_variable', details: { unknown: '{{contact.nmae}}' } } },
    });
    // Someone else's upload id attaches nothing.
    const foreign = await admin.put(`/api/faq/answers/${moq.id}`, {
      folderId: folder.body.id,
      title: moq.title,
      versions: moq.versions,
      attachments: [{ attachmentId: moq.attachments[0]?.id }, { uploadId: upload.body.id }],
    });
    expect(foreign).toMatchObject({ status: 400, body: { error: { code: 'knowledge.upload_not_found' } } });
  });

  it('fills variables from the conversation, counts the use and hands the attachment to the draft', async () => {
    const preview = await agent.post<{ html: string; language: string }>(`/api/faq/answers/${moq.id}/render`, { language: 'en' });
    expect(preview.body.html).toContain('Dear Maria Rossi');
    expect(preview.body.html).toContain('Rossi Trading S.r.l. may order');
    expect(preview.body.html).toContain('Tom Agent');

    const inserted = await agent.post<{ html: string; language: string; uploads: { id: string; filename: string }[] }>(
      `/api/faq/answers/${moq.id}/render`,
      { language: 'zh', mailboxId: box.info, conversationId: conv.moqZh, insert: true },
    );
    expect(inserted.status).toBe(200);
    expect(inserted.body.language).toBe('zh-CN');
    expect(inserted.body.html).toContain('王先生您好');
    expect(inserted.body.uploads).toMatchObject([{ filename: 'price-list.pdf' }]);
    const english = await agent.post<{ html: string }>(`/api/faq/answers/${moq.id}/render`, {
      language: 'en',
      mailboxId: box.info,
      conversationId: conv.moqEn,
      insert: true,
    });
    // The company is the customer's, from the contacts directory (its domain until someone names it).
    expect(english.body.html).toContain('Dear Hans Müller, our minimum order');
    expect(english.body.html).toContain('mueller-licht.de may order');
    const after = await agent.get<FaqAnswer>(`/api/faq/answers/${moq.id}`);
    expect(after.body.useCount).toBe(2);
    expect(after.body.lastUsedAt).not.toBeNull();

    // No reply access to finance@: inserting "from" it is refused like a mailbox that does not exist.
    const refused = await agent.post(`/api/faq/answers/${moq.id}/render`, { mailboxId: box.finance, insert: true });
    expect(refused.status).toBe(404);
  });

  const suggestionsFor = async (client: ApiClient, conversationId: string | undefined) =>
    (await client.get<{ language: string | null; items: FaqSuggestion[] }>(`/api/conversations/${conversationId}/faq-suggestions`)).body;

  it('suggests the library answer for the question in either language', async () => {
    const english = await suggestionsFor(agent, conv.moq2);
    expect(english.language).toBe('en');
    expect(english.items[0]).toMatchObject({ kind: 'library', id: moq.id, language: 'en' });
    const chinese = await suggestionsFor(agent, conv.moqZh);
    expect(chinese.language).toBe('zh');
    expect(chinese.items[0]).toMatchObject({ kind: 'library', id: moq.id, language: 'zh-CN' });
  });

  it('suggests past sent answers only from mailboxes the agent may read', async () => {
    const asAgent = await suggestionsFor(agent, conv.leadQ);
    expect(asAgent.items.map((i) => i.id)).toContain(sent.sales);
    expect(asAgent.items.map((i) => i.id)).not.toContain(sent.finance);
    expect(JSON.stringify(asAgent)).not.toContain('CONFIDENTIALBANK');
    const top = asAgent.items.find((i) => i.id === sent.sales);
    expect(top).toMatchObject({ kind: 'sent', title: 'Re: Lead time' });
    // Quoted history is not part of the answer.
    expect(top?.snippet).not.toContain('> How long');
    // The admin reads finance@, so the same question finds its answer there too.
    const asAdmin = await suggestionsFor(admin, conv.leadQ);
    expect(asAdmin.items.map((i) => i.id)).toContain(sent.finance);
    // A conversation the agent cannot read: 404, nothing in the body.
    const financeConversation = (
      await pier.workspace.db
        .selectFrom('conversation_messages')
        .select('conversation_id')
        .where('message_id', '=', sent.finance ?? '')
        .executeTakeFirstOrThrow()
    ).conversation_id;
    const hidden = await agent.get(`/api/conversations/${financeConversation}/faq-suggestions`);
    expect(hidden.status).toBe(404);
    expect(JSON.stringify(hidden.body)).not.toContain('CONFIDENTIALBANK');
  });

  it('turns a sent reply into an answer, without the quoted history', async () => {
    const draft = await agent.get<{ title: string; language: string; bodyHtml: string; sourceMessageId: string }>(
      `/api/messages/${sent.sales}/faq-draft`,
    );
    expect(draft.status).toBe(200);
    expect(draft.body).toMatchObject({ title: 'Lead time', language: 'en', sourceMessageId: sent.sales });
    expect(draft.body.bodyHtml).toContain('Our lead time for LED panels is 15 days');
    expect(draft.body.bodyHtml).not.toContain('How long is the lead time');
    const hidden = await agent.get(`/api/messages/${sent.finance}/faq-draft`);
    expect(hidden.status).toBe(404);
    expect(JSON.stringify(hidden.body)).not.toContain('CONFIDENTIALBANK');
    const sneaky = await agent.post('/api/faq/answers', {
      folderId: null,
      title: 'x',
      versions: [{ language: 'en', bodyHtml: 'x' }],
      sourceMessageId: sent.finance,
    });
    expect(sneaky.status).toBe(404);

    const saved = await agent.post<FaqAnswer>('/api/faq/answers', {
      folderId: null,
      title: draft.body.title,
      versions: [{ language: draft.body.language, bodyHtml: draft.body.bodyHtml }],
      sourceMessageId: draft.body.sourceMessageId,
    });
    expect(saved.status).toBe(201);
    expect(saved.body.sourceMessageId).toBe(sent.sales);
    // Now in the library, the sent mail itself is no longer suggested beside it.
    const items = (await suggestionsFor(agent, conv.leadQ)).items;
    expect(items.map((i) => i.id)).not.toContain(sent.sales);
    expect(items[0]).toMatchObject({ kind: 'library', id: saved.body.id });
  });

  it('lists the questions info@ asked most often in 90 days that the library does not answer', async () => {
    const result = await agent.get<{ days: number; items: FaqQuestionCluster[] }>('/api/faq/unanswered-questions');
    expect(result.status).toBe(200);
    expect(result.body.days).toBe(90);
    const [first, ...rest] = result.body.items;
    // The sample questions (3 in info@ in the window; not the old one, not sales@'s) form the top group.
    expect(first).toMatchObject({ count: 3, language: 'zh' });
    expect(new Set(first?.conversationIds)).toEqual(new Set([conv.sample1, conv.sample2, conv.sample3]));
    expect(first?.terms).toContain('样品');
    // Minimum-order questions have a library answer: not listed.
    const all = result.body.items.flatMap((c) => c.conversationIds);
    expect(all).not.toContain(conv.moqEn);
    expect(all).not.toContain(conv.moq2);
    expect(rest.every((c) => c.count < 3)).toBe(true);

    // Once the library answers samples, the group is gone.
    await agent.post('/api/faq/answers', {
      folderId: null,
      title: '样品和样品费',
      versions: [{ language: 'zh-CN', bodyHtml: '<p>可以寄样品。样品费按单价收取，下单后退还；运费由客户支付。</p>' }],
    });
    const after = await agent.get<{ items: FaqQuestionCluster[] }>('/api/faq/unanswered-questions');
    expect(after.body.items.flatMap((c) => c.conversationIds)).not.toContain(conv.sample1);
  });

  it('lets auditors read but not write, and only admins delete, each deletion in the audit log', async () => {
    const { db } = pier.workspace;
    const auditorId = (await createAccount(db, { email: 'ada@acme.test', name: 'Ada Auditor', password, role: 'auditor' })).id;
    await grantMailboxAccess(db, auditorId, box.sales, 'read');
    const auditor = pier.api();
    expect((await auditor.post('/api/auth/login', { email: 'ada@acme.test', password })).status).toBe(200);
    expect((await auditor.get<FaqAnswer>(`/api/faq/answers/${moq.id}`)).body.title).toBe(moq.title);
    // "Turn into FAQ answer" is not theirs: the draft of a sent reply they may read is refused, its text not shown.
    const draft = await auditor.get(`/api/messages/${sent.sales}/faq-draft`);
    expect(draft).toMatchObject({ status: 403, body: { error: { code: 'auth.forbidden' } } });
    expect(JSON.stringify(draft.body)).not.toContain('lead time');
    const write = await auditor.post('/api/faq/answers', { folderId: null, title: 'x', versions: [{ language: 'en', bodyHtml: 'x' }] });
    expect(write.status).toBe(403);
    expect((await auditor.request('DELETE', `/api/faq/answers/${moq.id}`)).status).toBe(403);

    expect((await agent.request('DELETE', `/api/faq/answers/${moq.id}`)).status).toBe(403);
    expect((await admin.request('DELETE', `/api/faq/answers/${moq.id}`)).status).toBe(204);
    expect((await agent.get(`/api/faq/answers/${moq.id}`)).status).toBe(404);
    expect((await admin.request('DELETE', `/api/faq/answers/${moq.id}`)).status).toBe(404);
    const folder = moq.folderId ?? '';
    expect((await admin.request('DELETE', `/api/faq/folders/${folder}`)).status).toBe(204);

    // Who deleted what, kept where the library no longer can: one record per deletion, none for the refused ones.
    const lina = await db.selectFrom('users').select('id').where('email', '=', 'lina@acme.test').executeTakeFirstOrThrow();
    const rows = await db
      .selectFrom('audit_log')
      .select(['actor_id', 'action', 'target_type', 'target_id', 'details'])
      .where('action', 'in', ['faq.answer_deleted', 'faq.folder_deleted'])
      .orderBy('seq')
      .execute();
    expect(rows.map((r) => ({ ...r, details: JSON.parse(r.details) }))).toEqual([
      {
        actor_id: lina.id,
        action: 'faq.answer_deleted',
        target_type: 'faq_answer',
        target_id: moq.id,
        details: { title: 'Minimum order quantity (MOQ)', folder: 'Orders 订单', languages: ['en', 'zh-CN'], via: 'api' },
      },
      {
        actor_id: lina.id,
        action: 'faq.folder_deleted',
        target_type: 'faq_folder',
        target_id: folder,
        details: { name: 'Orders 订单', answersUnfiled: 0, via: 'api' },
      },
    ]);
  });

  it('migration 0055 copies the saved replies into the library (run again over saved replies that exist)', async () => {
    const { db } = pier.workspace;
    const lina = await db.selectFrom('users').select('id').where('email', '=', 'lina@acme.test').executeTakeFirstOrThrow();
    const at = Date.UTC(2026, 0, 5);
    await db
      .insertInto('outbox_saved_replies')
      .values([
        {
          id: 'saved-zh',
          name: '报价',
          body_html: '<p>{{customer.name}}您好，报价单见附件。</p>',
          created_by: lina.id,
          created_at: at,
          updated_at: at,
        },
        {
          id: 'saved-en',
          name: 'Quote',
          body_html: '<p>Dear {{customer.name}}, our quote follows.</p>',
          created_by: lina.id,
          created_at: at,
          updated_at: at,
        },
      ])
      .execute();
    const raw = db as unknown as Parameters<typeof knowledgeMigration.up>[0];
    await knowledgeMigration.down(raw);
    await knowledgeMigration.up(raw);
    const library = await libraryAnswers();
    expect(library.map((a) => [a.title, a.versions.map((v) => v.language)])).toEqual([
      ['Quote', ['en']],
      ['报价', ['zh-CN']],
    ]);
    expect(library[1]?.updatedBy.name).toBe('李娜 Li Na');
    // Still insertable with the saved reply's variable name.
    const rendered = await agent.post<{ html: string }>('/api/faq/answers/saved-zh/render', {
      mailboxId: box.info,
      conversationId: conv.moqZh,
      insert: true,
    });
    expect(rendered.body.html).toContain('王先生您好，报价单见附件');
  });

  async function libraryAnswers() {
    return (await agent.get<{ answers: FaqAnswer[] }>('/api/faq')).body.answers;
  }
});
