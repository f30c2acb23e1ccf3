import { beforeAll, describe, expect, it } from 'vitest';
import { sanitizeMailHtml } from './sanitize-html.js';
import { timeZoneOfCountry } from './time-zone.js';

const blocked = { allowRemoteImages: false, inlineImages: new Map() };
const clean = async (html: string, options = blocked) => (await sanitizeMailHtml(html, options)).html;

// jsdom loads lazily on first use, slowly on a busy machine.
beforeAll(() => sanitizeMailHtml('', blocked), 60_000);

describe('sanitizeMailHtml', () => {
  it.each([
    ['<script>alert(1)</script><p>hi</p>', /<script/i],
    ['<img src=x onerror="alert(1)">', /onerror/i],
    ['<a href="javascript:alert(1)">x</a>', /javascript:/i],
    ['<a href="data:text/html,<script>alert(1)</script>">x</a>', /data:text/i],
    ['<svg><script>alert(1)</script><circle onload="alert(1)"/></svg>', /script|onload/i],
    ['<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>', /javascript|xlink/i],
    ['<div style="width: expression(alert(1))">x</div>', /expression/i],
    ['<div style="behavior: url(x.htc)">x</div>', /behavior|htc/i],
    ['<meta http-equiv="refresh" content="0;url=https://evil.test/">', /refresh|meta/i],
    ['<form action="https://evil.test/"><input name=p><button>go</button></form>', /<form|<input|<button|action=/i],
    ['<base href="https://evil.test/"><a href="/x">x</a>', /<base/i],
    ['<iframe src="https://evil.test/"></iframe><object data="x"></object><embed src="x">', /<iframe|<object|<embed/i],
    ['<iframe srcdoc="<script>alert(1)</script>"></iframe>', /srcdoc|<iframe/i],
    ['<style>@import url(https://evil.test/x.css); body{background:url(https://evil.test/p.png)}</style>', /evil\.test|@import/i],
    ['<link rel=stylesheet href="https://evil.test/x.css">', /<link/i],
  ])('removes the danger from %s', async (input, danger) => {
    expect(await clean(input)).not.toMatch(danger);
  });

  it('blocks remote images, srcset, background= and CSS url() until asked, and counts them', async () => {
    const html =
      '<img src="https://t.test/p.gif" srcset="https://t.test/a.png 2x"><table background="http://t.test/bg.png"><tr><td style="background-image:url(\'https://t.test/c.png\')">x</td></tr></table>';
    const off = await sanitizeMailHtml(html, blocked);
    expect(off.html).not.toContain('t.test');
    expect(off.html).toContain('data-pier-blocked');
    expect(off.blockedImages).toBe(4);
    const on = await sanitizeMailHtml(html, { allowRemoteImages: true, inlineImages: new Map() });
    expect(on.html).toContain('src="https://t.test/p.gif"');
    expect(on.html).toContain('https://t.test/bg.png');
    expect(on.html).toContain('background-image:url(https://t.test/c.png)');
  });

  it('turns cid: references into the inline part and drops unknown ones', async () => {
    const inlineImages = new Map([
      ['logo@acme', { contentId: 'logo@acme', mime: 'image/png', dataUrl: 'data:image/png;base64,AAAA', url: '/x' }],
    ]);
    const html = await clean('<img src="cid:logo@acme"><img src="cid:missing@acme"><img src="image001.png">', {
      allowRemoteImages: false,
      inlineImages,
    });
    expect(html).toContain('src="data:image/png;base64,AAAA"');
    expect(html).not.toContain('missing@acme');
    expect(html).not.toContain('image001.png');
  });

  it('keeps ordinary mail: tables, styles, https links that open outside the frame', async () => {
    const html = await clean('<table border="0"><tr><td style="color:red">价格</td></tr></table><a href="https://acme.test/q">报价</a>');
    expect(html).toContain('<table border="0">');
    expect(html).toContain('style="color:red"');
    expect(html).toContain('target="_blank"');
    expect(html).toContain('rel="noopener noreferrer"');
    expect(html).toContain('价格');
  });
});

describe('CSS on a parse tree (issue 12)', () => {
  const css = async (style: string, options = blocked) => {
    const html = await clean(`<style>${style}</style><p style="${style.replace(/"/g, '&quot;')}">x</p>`, options);
    return html;
  };

  it.each([
    [
      'nested @import that reassembles after one removal',
      '@im@importport url(https://evil.test/x.css); p{color:red}',
      /import|evil\.test/i,
    ],
    ['nested expression() that reassembles after one removal', 'p{width:expexpression(ression(alert(1)))}', /expression|alert/i],
    ['an escaped url(', 'p{background:u\\72l(https://evil.test/a.png)}', /evil\.test/i],
    ['a fully escaped url( with a quoted address', 'p{background:\\75\\72\\6c("https://evil.test/b.png")}', /evil\.test/i],
    ['an escaped @import', '@\\69mport "https://evil.test/c.css"; p{color:red}', /evil\.test|import/i],
    [
      'image-set() with bare strings',
      'p{background-image:image-set("https://evil.test/d.png" 1x, "https://evil.test/e.png" 2x)}',
      /evil\.test/i,
    ],
    [
      '-webkit-image-set() and cross-fade()',
      'p{background:-webkit-image-set(url(https://evil.test/f.png) 1x);content:cross-fade("https://evil.test/g.png", red)}',
      /evil\.test/i,
    ],
    ['an escaped behavior property', 'p{b\\65havior:url(x.htc);-moz-binding:url(https://evil.test/h.xml#x)}', /htc|binding|evil\.test/i],
    ['an escaped expression()', 'p{width:\\65xpression(alert(2))}', /expression|alert/i],
    ['a custom property that carries a URL', 'p{--bg:url(https://evil.test/i.png);background:var(--bg)}', /evil\.test/i],
    ['a src() function', '@font-face{font-family:x;src:src("https://evil.test/j.woff")}', /evil\.test/i],
    ['unparseable text after a url', 'p{background:url(https://evil.test/k.png}', /evil\.test/i],
  ])('neutralises %s, in <style> and in style=', async (_name, style, danger) => {
    expect(await css(style)).not.toMatch(danger);
  });

  it('keeps layout CSS and lets image URLs through the gate once images are allowed', async () => {
    const html = await css('@media (max-width:600px){p{color:red;background:image-set("https://cdn.test/a.png" 1x)}}', {
      allowRemoteImages: true,
      inlineImages: new Map(),
    });
    expect(html).toContain('@media (max-width:600px)');
    expect(html).toContain('color:red');
    expect(html).toContain('image-set(url(https://cdn.test/a.png)1x)');
  });

  it('still shows a <frameset> mail, without its frames', async () => {
    const result = await sanitizeMailHtml(
      '<html><frameset cols="50%,50%"><frame src="https://evil.test/a"><frame src="https://evil.test/b"></frameset><noframes><p>Your order 4711</p></noframes></html>',
      blocked,
    );
    expect(result.html).not.toMatch(/frame|evil\.test/i);
    expect(result.html).toContain('<p>Your order 4711</p>');
  });
});

describe('timeZoneOfCountry', () => {
  it('names the main business zone, from ICU for one-zone countries', () => {
    expect(timeZoneOfCountry('ES')).toBe('Europe/Madrid');
    expect(timeZoneOfCountry('US')).toBe('America/New_York');
    expect(timeZoneOfCountry('FR')).toBe('Europe/Paris');
    expect(timeZoneOfCountry('JP')).toBe('Asia/Tokyo');
    expect(timeZoneOfCountry(null)).toBeNull();
    expect(timeZoneOfCountry('xx')).toBeNull();
  });
});

describe('quoted history', () => {
  it('folds Gmail, Apple Mail and Outlook quotes when asked and counts them either way', async () => {
    const html =
      '<p>Yes, confirmed.</p><div class="gmail_quote">On Mon wrote:<blockquote type="cite">old</blockquote></div>' +
      '<div id="divRplyFwdMsg">From: Li</div><p>older still</p>';
    const shown = await sanitizeMailHtml(html, { ...blocked, hideQuoted: false });
    expect(shown.quotedBlocks).toBe(2);
    expect(shown.html).toContain('older still');
    const folded = await sanitizeMailHtml(html, { ...blocked, hideQuoted: true });
    expect(folded.quotedBlocks).toBe(2);
    expect(folded.html).toBe('<p>Yes, confirmed.</p>');
  });
});
