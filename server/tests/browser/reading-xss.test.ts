import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { type Browser, chromium, type Page, type Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailbox } from '../../src/modules/mailboxes/index.js';
import { createAccount } from '../../src/modules/security/index.js';
import { signInInBrowser } from '../support/browser-sign-in.js';
import { chromiumArgs } from '../support/chromium.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { testEnv } from '../support/env.js';
import { startTestPier } from '../support/pier.js';
import { TEST_PASSWORD } from '../support/users.js';

/**
 * Hostile HTML mail opened in the real reading pane in Chromium. Every payload
 * tries to prove it ran by calling a loopback listener (fetch, image, form,
 * refresh, import…), by setting a flag on the app window, or by opening a
 * dialog; none may succeed. A second listener poses as a remote image host
 * (https://tracker.test): nothing may reach it until "show images" is clicked,
 * and then it must (so this test can fail).
 */
const screenshots = path.join(process.env.PIER_TEST_OUTPUT ?? 'test-output', 'screenshots');
const admin = { email: 'admin@acme.test', password: TEST_PASSWORD };
const TRACKER_HOST = 'tracker.test';

type Hit = { url: string; at: number };

function listen(server: http.Server | https.Server, hits: Hit[]): Promise<number> {
  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    hits.push({ url: req.url ?? '', at: Date.now() });
    // A 1×1 GIF for image requests; the same bytes for anything else.
    res.writeHead(200, { 'content-type': 'image/gif', 'access-control-allow-origin': '*' });
    res.end(Buffer.from('R0lGODlhAQABAAAAACwAAAAAAQABAAA=', 'base64'));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

/** Each payload in its own mail: [name, html]. B is the beacon origin, T the tracker origin. */
function payloads(B: string, T: string): [string, string][] {
  const beacon = (name: string) =>
    `fetch('${B}/xss?p=${name}');new Image().src='${B}/xss-img?p=${name}';top.__pierXss='${name}';alert('${name}')`;
  return [
    ['script-tag', `<p>script tag</p><script>${beacon('script')}</script><script src="${B}/xss?p=script-src"></script>`],
    [
      'event-handlers',
      `<p>event handlers</p><img src="x" onerror="${beacon('onerror')}"><body onload="${beacon('onload')}"><details open ontoggle="${beacon('ontoggle')}"><summary>d</summary></details><div id="hover" onmouseover="${beacon('mouseover')}">hover me</div><input autofocus onfocus="${beacon('onfocus')}">`,
    ],
    [
      'javascript-links',
      `<p>javascript links</p><a id="js" href="javascript:${beacon('jslink')}">click me</a><a id="js2" href="  JaVaScRiPt:${beacon('jslink2')}">and me</a><area href="javascript:${beacon('area')}">`,
    ],
    [
      'svg',
      `<p>svg</p><svg onload="${beacon('svg-onload')}"><script>${beacon('svg-script')}</script><animate onbegin="${beacon('svg-animate')}" attributeName="x" dur="1s"/><a xlink:href="javascript:${beacon('svg-xlink')}"><text x="10" y="20">svg link</text></a><image href="${B}/xss?p=svg-image"/><foreignObject><iframe src="${B}/xss?p=svg-fo"></iframe></foreignObject></svg>`,
    ],
    [
      'css',
      `<p>css</p><div style="width:expression(${beacon('expression')});background:url(javascript:${beacon('css-js')})">x</div><style>@import url(${B}/xss?p=import); body{behavior:url(${B}/xss?p=htc);-moz-binding:url(${B}/xss?p=binding)} p{background:url(${B}/xss?p=css-bg)}</style><link rel="stylesheet" href="${B}/xss?p=link">`,
    ],
    ['meta-refresh', `<p>meta refresh</p><meta http-equiv="refresh" content="0;url=${B}/xss?p=refresh">`],
    [
      'form-action',
      `<p>form</p><form action="${B}/xss?p=form" method="post"><input name="password" value="secret"><button id="go" type="submit">Log in</button></form><button formaction="${B}/xss?p=formaction">x</button>`,
    ],
    ['base-href', `<base href="${B}/xss/base/"><p>base</p><a id="rel" href="relative-page">relative link</a><img src="pixel.gif">`],
    [
      'frames-objects',
      `<p>frames</p><iframe src="${B}/xss?p=iframe"></iframe><object data="${B}/xss?p=object"></object><embed src="${B}/xss?p=embed"><frameset><frame src="${B}/xss?p=frame"></frameset><video poster="${B}/xss?p=poster" src="${B}/xss?p=video"></video><audio src="${B}/xss?p=audio"></audio>`,
    ],
    [
      'data-links',
      `<p>data links</p><a id="data" href="data:text/html;base64,${Buffer.from(`<script>${beacon('data-link')}</script>`).toString('base64')}">data link</a><iframe src="data:text/html,<script>${beacon('data-frame')}</script>"></iframe>`,
    ],
    ['srcdoc', `<p>srcdoc</p><iframe srcdoc="<script>${beacon('srcdoc')}</script><img src='${B}/xss?p=srcdoc-img'>"></iframe>`],
    [
      'mutation',
      `<p>mutation</p><math><mtext><table><mglyph><style><img src=x onerror="${beacon('mxss')}"></style></mglyph></table></mtext></math><noscript><p title="</noscript><img src=x onerror=${beacon('noscript')}>"></p></noscript><svg><style><img src=x onerror="${beacon('svg-style')}"></style></svg>`,
    ],
    [
      'remote-images',
      `<p>Tracking pixels</p><img src="${T}/pixel.gif?m=img"><img srcset="${T}/pixel.gif?m=srcset 2x"><table background="${T}/pixel.gif?m=background"><tr><td style="background-image:url('${T}/pixel.gif?m=css')">cell</td></tr></table><style>.x{background:url(${T}/pixel.gif?m=style)}</style><div class="x">x</div>`,
    ],
  ];
}

describe('hostile HTML mail in the reading pane', () => {
  let database: TestDatabase;
  let pier: Awaited<ReturnType<typeof startTestPier>>;
  let browser: Browser;
  let page: Page;
  let certDir: string;
  const beaconHits: Hit[] = [];
  const trackerHits: Hit[] = [];
  const requests: { url: string; at: number }[] = [];
  const dialogs: string[] = [];
  const beaconServer = http.createServer();
  let trackerServer: https.Server;
  let B = '';
  let T = '';
  const subjects = new Map<string, string>();

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    certDir = mkdtempSync(path.join(tmpdir(), 'pier-xss-cert-'));
    execFileSync('openssl', [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      `/CN=${TRACKER_HOST}`,
      '-addext',
      `subjectAltName=DNS:${TRACKER_HOST}`,
      '-keyout',
      path.join(certDir, 'key.pem'),
      '-out',
      path.join(certDir, 'cert.pem'),
    ]);
    trackerServer = https.createServer({
      key: readFileSync(path.join(certDir, 'key.pem')),
      cert: readFileSync(path.join(certDir, 'cert.pem')),
    });
    B = `http://127.0.0.1:${await listen(beaconServer, beaconHits)}`;
    T = `https://${TRACKER_HOST}:${await listen(trackerServer, trackerHits)}`;

    database = await createTestDatabase('sqlite');
    pier = await startTestPier(database);
    const { db } = pier.workspace;
    await createAccount(db, { email: admin.email, name: 'Li Wei', password: admin.password, role: 'admin' });
    await createMailbox(db, { address: 'sales@acme.test', displayName: 'Sales', purpose: 'sales' });
    const smtp = nodemailer.createTransport({ host: '127.0.0.1', port: pier.smtpPort ?? 0, secure: false, ignoreTLS: true });
    for (const [name, html] of payloads(B, T)) {
      const subject = `Hostile ${name}`;
      subjects.set(name, subject);
      await smtp.sendMail({ from: 'Mallory <mallory@evil-corp.test>', to: 'sales@acme.test', subject, html, text: `hostile ${name}` });
    }
    smtp.close();

    browser = await chromium.launch({
      executablePath: testEnv('PIER_TEST_CHROMIUM'),
      // tracker.test resolves to the loopback tracker; its self-signed certificate is accepted so that,
      // once the reader asks for images, the request really completes.
      args: [...chromiumArgs, `--host-resolver-rules=MAP ${TRACKER_HOST} 127.0.0.1`, '--ignore-certificate-errors'],
    });
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1400, height: 900 } });
    page = await context.newPage();
    page.on('request', (request: Request) => requests.push({ url: request.url(), at: Date.now() }));
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    page.on('popup', (popup) => requests.push({ url: `popup:${popup.url()}`, at: Date.now() }));
    await signInInBrowser(page, pier.url, admin);
  });
  afterAll(async () => {
    await browser?.close();
    await pier?.stop();
    await database?.drop();
    beaconServer.close();
    trackerServer?.close();
    if (certDir) rmSync(certDir, { recursive: true, force: true });
  });

  const foreign = () => requests.filter((r) => !r.url.startsWith(pier.url) && !r.url.startsWith('data:'));

  async function open(name: string) {
    const subject = subjects.get(name) ?? '';
    await page.getByTestId('conversation-item').filter({ hasText: subject }).click();
    await page.locator(`#conversation-subject:text-is("${subject}")`).waitFor();
    const frameElement = page.getByTestId('mail-frame');
    await frameElement.waitFor();
    const frame = await (await frameElement.elementHandle())?.contentFrame();
    if (!frame) throw new Error('no mail frame');
    await frame.waitForLoadState('load');
    return frame;
  }

  /**
   * Proves the page got past the point where a payload could still act, instead of sleeping: the mail
   * frame renders twice more (autofocus, SMIL animation starts, style-driven loads and whatever the clicks
   * started have had their turn; a frame that navigated away to another origin makes this throw), then
   * the app window makes one request of its own and the test waits until it has seen it, so any request
   * the payload started before it has been seen too.
   */
  let markers = 0;
  async function pageSettled() {
    await page.evaluate(
      () =>
        new Promise<void>((resolve, reject) => {
          const view = document.querySelector<HTMLIFrameElement>('[data-testid="mail-frame"]')?.contentWindow;
          if (!view) return reject(new Error('no mail frame'));
          view.requestAnimationFrame(() => view.requestAnimationFrame(() => resolve()));
        }),
    );
    const marker = `${pier.url}/api/health?settled=${++markers}`;
    await page.evaluate((url) => fetch(url).then((response) => response.status), marker);
    await expect.poll(() => requests.some((r) => r.url === marker)).toBe(true);
  }

  it('runs no script and loads nothing from elsewhere, whatever the payload', async () => {
    for (const [name] of payloads(B, T)) {
      const frame = await open(name);
      // The content itself is there (the sanitiser kept the text) …
      expect(await frame.locator('body').textContent()).toBeTruthy();
      // … and what a reader would do with it: hover, click the links and buttons that remain.
      for (const selector of ['#hover', '#js', '#js2', '#data', '#go', '#rel', 'a']) {
        const target = frame.locator(selector).first();
        if ((await target.count()) > 0) await target.click({ timeout: 2_000, force: true }).catch(() => undefined);
      }
      await pageSettled();
      if (name === 'svg' || name === 'css') await page.screenshot({ path: path.join(screenshots, `30-xss-${name}-en.png`) });
    }
    // Timers, refreshes and late loads of the last payload: past them too.
    await pageSettled();
    expect(dialogs).toEqual([]);
    expect(beaconHits).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { __pierXss?: string }).__pierXss)).toBeUndefined();
    expect(trackerHits).toEqual([]);
    expect(foreign()).toEqual([]);
    // The app window is still the app: no refresh or link navigated it away.
    expect(page.url().startsWith(pier.url)).toBe(true);
  });

  it('loads remote images only after "show images", and then really does', async () => {
    const frame = await open('remote-images');
    // The app has counted the blocked images and the frame has laid them out: past the point where they would load.
    const bar = page.getByTestId('images-bar');
    await expect.poll(() => bar.textContent()).toMatch(/5 remote images blocked/);
    await pageSettled();
    expect(trackerHits).toEqual([]);
    expect(foreign()).toEqual([]);
    expect(await frame.locator('img[data-pier-blocked]').count()).toBe(2);
    await page.screenshot({ path: path.join(screenshots, '31-images-blocked-en.png') });

    await page.getByTestId('show-images').click();
    // Each kind of image loads in its own time (CSS backgrounds after layout): wait for all three.
    const seen = () => trackerHits.map((h) => new URL(h.url, T).searchParams.get('m'));
    await expect.poll(seen, { timeout: 10_000 }).toEqual(expect.arrayContaining(['img', 'background', 'css']));
    expect(requests.some((r) => r.url.startsWith(`${T}/pixel.gif`))).toBe(true);
    // Still nothing from the hostile payloads.
    expect(beaconHits).toEqual([]);
    expect(dialogs).toEqual([]);
    await page.screenshot({ path: path.join(screenshots, '32-images-shown-en.png') });
  });
});
