import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailbox, grantMailboxAccess } from '../../src/modules/mailboxes/index.js';
import { createAccount } from '../../src/modules/security/index.js';
import { createTeam, setMailboxRoute, setMemberAway, updateTeam } from '../../src/modules/triage/index.js';
import { signInInBrowser } from '../support/browser-sign-in.js';
import { chromiumArgs } from '../support/chromium.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { testEnv } from '../support/env.js';
import { startTestPier } from '../support/pier.js';
import { TEST_PASSWORD as password } from '../support/users.js';

const screenshots = path.join(process.env.PIER_TEST_OUTPUT ?? 'test-output', 'screenshots');
const admin = { actorId: null, via: 'system' as const };

/** Settings → teams and → mailboxes → access (decision 0034) at 1440 and 390 px, in zh-CN and English. */
describe('access and teams settings in Chromium', () => {
  let database: TestDatabase;
  let pier: Awaited<ReturnType<typeof startTestPier>>;
  let browser: Browser;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    database = await createTestDatabase('sqlite');
    pier = await startTestPier(database);
    const { db } = pier.workspace;
    ids.boss = (await createAccount(db, { email: 'boss@acme.test', name: '陈总', password, role: 'admin' })).id;
    for (const [key, email, name] of [
      ['li', 'li.na@acme.test', '李娜'],
      ['wang', 'wang.fang@acme.test', '王芳'],
      ['maria', 'maria@acme.test', 'Maria Lopez'],
      ['newbie', 'newbie@acme.test', 'New Hire'],
    ] as const) {
      ids[key] = (await createAccount(db, { email, name, password, role: 'agent' })).id;
    }
    ids.sales = (await createMailbox(db, { address: 'sales@acme.test', displayName: 'Sales', purpose: 'sales' })).id;
    for (const [who, level] of [
      ['li', 'reply'],
      ['wang', 'manage'],
      ['maria', 'read'],
    ] as const) {
      await grantMailboxAccess(db, ids[who] as string, ids.sales, level);
    }
    const team = await createTeam(db, { name: '欧洲出口 Export EU', memberIds: [ids.li, ids.wang, ids.maria] as string[] }, admin);
    await updateTeam(db, team.id, { leadId: ids.wang, routing: 'round_robin', openCap: 20, escalateAfterHours: 4 }, admin);
    await setMemberAway(db, team.id, { userId: ids.maria as string, away: true }, { ...admin, role: 'admin' });
    await createTeam(db, { name: 'After-sales', memberIds: [ids.li as string], routing: 'least_open' }, admin);
    await setMailboxRoute(db, ids.sales, team.id, admin);
    browser = await chromium.launch({ executablePath: testEnv('PIER_TEST_CHROMIUM'), args: chromiumArgs });
  });
  afterAll(async () => {
    await browser?.close();
    await pier?.stop();
    await database?.drop();
  });

  for (const locale of ['zh-CN', 'en'] as const) {
    for (const width of [1440, 390]) {
      it(`shows the teams and access screens in ${locale} at ${width} px`, async () => {
        const context = await browser.newContext({ locale, viewport: { width, height: 900 } });
        const page = await context.newPage();
        await signInInBrowser(page, pier.url, { email: 'boss@acme.test', password }, `${pier.url}/login`);
        await page.goto(`${pier.url}/settings/teams`);
        await page.getByTestId('teams-page').waitFor();
        await expect.poll(() => page.getByTestId('team-card').count()).toBe(2);
        const card = page.locator('[data-testid="team-card"][aria-label="欧洲出口 Export EU"]');
        expect(await card.locator('[data-away]').textContent()).toContain('Maria Lopez');
        expect(await card.getByTestId('team-routing').inputValue()).toBe('round_robin');
        await page.screenshot({ path: path.join(screenshots, `teams-${locale}-${width}.png`), fullPage: true });
        // The page itself never scrolls sideways on a phone (the settings top bar is another matter, see the report).
        expect(await page.locator('.settings-main').evaluate((main) => main.scrollWidth <= main.clientWidth + 1)).toBe(true);

        await page.goto(`${pier.url}/settings/mailboxes/${ids.sales}/access`);
        await page.getByTestId('mailbox-access-page').waitFor();
        await expect.poll(() => page.getByTestId('access-people').locator('li').count()).toBe(3);
        expect(await page.getByTestId('mailbox-route').inputValue()).not.toBe('');
        await page.screenshot({ path: path.join(screenshots, `mailbox-access-${locale}-${width}.png`), fullPage: true });
        expect(await page.locator('.settings-main').evaluate((main) => main.scrollWidth <= main.clientWidth + 1)).toBe(true);
        await context.close();
      });
    }
  }

  it('an admin removes a person and routes the mailbox to no team from the access screen', async () => {
    const context = await browser.newContext({ locale: 'en', viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await signInInBrowser(page, pier.url, { email: 'boss@acme.test', password }, `${pier.url}/login`);
    await page.goto(`${pier.url}/settings/mailboxes/${ids.sales}/access`);
    await expect.poll(() => page.getByTestId('access-people').locator('li').count()).toBe(3);
    await page.getByTestId('access-people').locator('li', { hasText: 'Maria Lopez' }).getByRole('button').click();
    await expect.poll(() => page.getByTestId('access-people').locator('li').count()).toBe(2);
    const routed = page.waitForResponse((r) => r.url().endsWith('/route') && r.request().method() === 'PUT');
    await page.getByTestId('mailbox-route').selectOption({ value: '' });
    expect((await routed).status()).toBe(204);
    const { db } = pier.workspace;
    await expect
      .poll(
        async () =>
          (
            await db
              .selectFrom('mailbox_routes')
              .select('team_id')
              .where('mailbox_id', '=', ids.sales as string)
              .execute()
          ).length,
      )
      .toBe(0);
    const grants = await db
      .selectFrom('mailbox_access')
      .select('user_id')
      .where('mailbox_id', '=', ids.sales as string)
      .execute();
    expect(grants.map((g) => g.user_id)).not.toContain(ids.maria);
    await context.close();
  });

  it('an agent without a mailbox sees whom to ask, by name', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 800 } });
    const page = await context.newPage();
    await signInInBrowser(page, pier.url, { email: 'newbie@acme.test', password }, `${pier.url}/login`);
    const ask = page.getByTestId('whom-to-ask');
    await ask.waitFor();
    expect(await ask.textContent()).toContain('陈总');
    await page.screenshot({ path: path.join(screenshots, 'whom-to-ask-zh-CN-1440.png'), fullPage: true });
    await context.close();
  });
});
