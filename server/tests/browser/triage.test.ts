import { mkdirSync } from 'node:fs';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailbox, grantMailboxAccess } from '../../src/modules/mailboxes/index.js';
import { createAccount } from '../../src/modules/security/index.js';
import { signInInBrowser } from '../support/browser-sign-in.js';
import { chromiumArgs } from '../support/chromium.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { testEnv } from '../support/env.js';
import { startTestPier } from '../support/pier.js';
import { TEST_PASSWORD as password } from '../support/users.js';

const screenshots = path.join(process.env.PIER_TEST_OUTPUT ?? 'test-output', 'screenshots');

/** What each language's run works on, and the words it expects on screen. */
const runs = [
  {
    locale: 'en-US',
    lang: 'en',
    subject: 'RFQ LED panels',
    tag: 'quote',
    note: 'please check the stock',
    words: {
      took: 'Li Wei took this conversation',
      gaveBack: 'Li Wei gave this conversation back',
      unassign: 'Unassign',
      pending: 'changed the status to Pending',
      snoozed: 'Snoozed until',
      tagged: 'added tag #quote',
    },
  },
  {
    locale: 'zh-CN',
    lang: 'zh-CN',
    subject: '询价 钨钢刀',
    tag: '样品',
    note: '请确认库存',
    words: {
      took: 'Li Wei 认领了此会话',
      gaveBack: 'Li Wei 放弃了此会话',
      unassign: '取消分配',
      pending: '将状态改为「待处理」',
      snoozed: '暂停至',
      tagged: '添加了标签 #样品',
    },
  },
] as const;

describe('working a conversation in the browser (assign, tag, note with @mention, status, snooze)', () => {
  let database: TestDatabase;
  let pier: Awaited<ReturnType<typeof startTestPier>>;
  let browser: Browser;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    database = await createTestDatabase('sqlite');
    pier = await startTestPier(database);
    const { db } = pier.workspace;
    const sales = await createMailbox(db, { address: 'sales@acme.test', displayName: 'Sales', purpose: 'sales' });
    ids.li = (await createAccount(db, { email: 'li.wei@acme.test', name: 'Li Wei', password, role: 'agent' })).id;
    ids.zhang = (await createAccount(db, { email: 'zhang@acme.test', name: '张伟', password, role: 'agent' })).id;
    await grantMailboxAccess(db, ids.li, sales.id, 'reply');
    await grantMailboxAccess(db, ids.zhang, sales.id, 'reply');
    const smtp = nodemailer.createTransport({ host: '127.0.0.1', port: pier.smtpPort ?? 0, secure: false, ignoreTLS: true });
    await smtp.sendMail({
      from: 'Maria Lopez <maria@lopez-trading.es>',
      to: 'sales@acme.test',
      subject: 'RFQ LED panels',
      text: 'Please quote 500 LED panels.',
    });
    await smtp.sendMail({
      from: '王经理 <wang@jinhua-tools.cn>',
      to: 'sales@acme.test',
      subject: '询价 钨钢刀',
      text: '请报价钨钢刀 200 把，附样品要求。',
    });
    smtp.close();
    browser = await chromium.launch({ executablePath: testEnv('PIER_TEST_CHROMIUM'), args: chromiumArgs });
  });
  afterAll(async () => {
    await browser?.close();
    await pier?.stop();
    await database?.drop();
  });

  for (const run of runs) {
    it(`in ${run.lang}`, async () => {
      const page: Page = await (await browser.newContext({ locale: run.locale, viewport: { width: 1360, height: 900 } })).newPage();
      const shot = (name: string) => page.screenshot({ path: path.join(screenshots, `triage-${name}-${run.lang}.png`) });
      page.on('pageerror', (error) => console.error('pageerror', error.stack));
      await signInInBrowser(page, pier.url, { email: 'li.wei@acme.test', password });

      // Unassigned shows a count; open the conversation from it.
      const unassigned = page.getByTestId('view-unassigned');
      await expect.poll(() => unassigned.getByTestId('nav-count').textContent()).toBe(run.lang === 'en' ? '2' : '1');
      await unassigned.click();
      await page.getByTestId('conversation-item').filter({ hasText: run.subject }).click();
      // The reading pane mounts the triage toolbar, the notes and events and the note composer in its slots.
      const panel = page.getByTestId('conversation-pane');
      await panel.getByTestId('triage-toolbar').getByTestId('triage-assign').waitFor();

      // Assign to Li Wei from the menu.
      await panel.getByTestId('triage-assign').click();
      await page.getByTestId('assign-menu').waitFor();
      await shot('assign-menu');
      await page.getByTestId('assign-option').filter({ hasText: 'Li Wei' }).click();
      await expect.poll(() => panel.getByTestId('triage-assign').textContent()).toContain('Li Wei');
      // Self-assignment reads as taking the conversation, not "Li Wei assigned this to Li Wei".
      await panel.getByTestId('timeline-event').filter({ hasText: run.words.took }).waitFor();
      expect(await panel.getByTestId('timeline-event').filter({ hasText: 'Li Wei' }).allTextContents()).not.toContainEqual(
        expect.stringMatching(/assigned this to Li Wei|分配给 Li Wei/),
      );

      // A tag.
      await panel.getByTestId('triage-tag-input').fill(run.tag);
      await panel.getByTestId('triage-tag-input').press('Enter');
      await panel
        .getByTestId('triage-tag')
        .filter({ hasText: `#${run.tag}` })
        .waitFor();
      await panel.getByTestId('timeline-event').filter({ hasText: run.words.tagged }).waitFor();

      // A note mentioning 张伟, picked from the autocomplete.
      const input = panel.getByTestId('note-input');
      await input.click();
      await input.pressSequentially('@张');
      await page.getByTestId('mention-list').getByText('张伟').waitFor();
      await shot('mention');
      await input.press('Enter');
      await input.pressSequentially(run.note);
      expect(await input.inputValue()).toBe(`@张伟 ${run.note}`);
      await panel.getByTestId('note-submit').click();
      const note = panel.getByTestId('timeline-note').filter({ hasText: run.note });
      await note.waitFor();
      expect(await note.locator('mark').textContent()).toBe('@张伟');

      // Status: pending, then snoozed until tomorrow 09:00.
      await panel.getByTestId('triage-status').selectOption('pending');
      await panel.getByTestId('timeline-event').filter({ hasText: run.words.pending }).waitFor();
      await expect.poll(() => page.getByTestId('view-pending').getByTestId('nav-count').textContent()).toBe('1');
      await shot('conversation');
      await panel.getByTestId('triage-snooze').click();
      await page.getByTestId('snooze-tomorrow').click();
      await expect.poll(() => panel.getByTestId('triage-snooze').textContent()).toContain(run.words.snoozed);
      await expect.poll(() => page.getByTestId('view-snoozed').getByTestId('nav-count').textContent()).toBe(run.lang === 'en' ? '1' : '2');
      await shot('snoozed');

      // Giving it back: "Li Wei gave this conversation back", in the timeline and the toolbar.
      await panel.getByTestId('triage-assign').click();
      await page.getByTestId('assign-menu').getByRole('button', { name: run.words.unassign, exact: true }).click();
      await panel.getByTestId('timeline-event').filter({ hasText: run.words.gaveBack }).waitFor();
      await shot('gave-back');

      // The mention reached 张伟 as an in-app notification, the note's text with it.
      const { db } = pier.workspace;
      const notes = await db
        .selectFrom('notifications')
        .select(['kind', 'data'])
        .where('user_id', '=', ids.zhang ?? '')
        .execute();
      expect(notes.filter((n) => n.kind === 'mention' && n.data.includes(run.subject))).toHaveLength(1);
      await page.context().close();
    });
  }
});
