import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { rewriteLinks, verifyClickToken } from './clicks.js';
import { rewriteWebLinks, webLinksOf, webUrlOf } from './html-links.js';

const key = randomBytes(32);
const keep = 'https://pier.example/unsubscribe/tok.en';
const track = (html: string) => rewriteLinks(html, { baseUrl: 'https://pier.example/', key, recipientId: 'r1', keep });
/** The URLs the tracked links of `html` redirect to, in order. */
const targets = (html: string) =>
  [...html.matchAll(/https:\/\/pier\.example\/c\?t=([^"]+)"/g)].map((m) => verifyClickToken(key, m[1] ?? '')?.url ?? 'FORGED');

describe('campaign links read by an HTML tokenizer', () => {
  it('tracks double-, single-quoted, unquoted and upper-case hrefs, the value decoded once', () => {
    const html = [
      `<a href="https://a.example/1?x=1&amp;y=2">1</a>`,
      `<a href='https://a.example/2?x=1&amp;y="q"'>2</a>`,
      `<a href=https://a.example/3?x=1&amp;y=2>3</a>`,
      `<A HREF="https://A.example/4">4</A>`,
      `<a class=btn href = "https://a.example/5" >5</a>`,
    ].join('\n');
    expect(targets(track(html))).toEqual([
      'https://a.example/1?x=1&y=2',
      'https://a.example/2?x=1&y=%22q%22',
      'https://a.example/3?x=1&y=2',
      'https://a.example/4',
      'https://a.example/5',
    ]);
  });

  it('decodes every named and numeric entity, and keeps the attribute rule for legacy ones without ";"', () => {
    expect(webUrlOf('https://a.example/')).toBe('https://a.example/');
    const html =
      `<a href="&#x68;ttps&colon;&sol;&sol;b.example/&#8364;?q=caf&eacute;">e</a>` +
      `<a href="https://b.example/?a=1&copy=2&amp;c=3">legacy</a>` +
      `<a href="https://b.example/&NewLine;path">newline</a>`;
    expect(targets(track(html))).toEqual([
      'https://b.example/%E2%82%AC?q=caf%C3%A9',
      // "&copy=" stays as written inside an attribute (HTML's legacy-entity rule); "&amp;" is "&".
      'https://b.example/?a=1&copy=2&c=3',
      'https://b.example/path',
    ]);
  });

  it('never rewrites mailto:, tel:, anchors, relative links, javascript: or the unsubscribe link', () => {
    const html = [
      `<a href="MAILTO:sales@acme.test?subject=Hi&amp;body=x">m</a>`,
      `<a href='tel:+86 21 5555 0100'>t</a>`,
      `<a href=#top>anchor</a>`,
      `<a href="/relative/page">rel</a>`,
      `<a href="java&#x09;script:alert(1)">js</a>`,
      `<a href=" ${keep} ">unsubscribe, spaced</a>`,
      `<a href='https://pier.example/unsubscribe/other.token'>another recipient's</a>`,
    ].join('');
    expect(track(html)).toBe(html);
  });

  it('leaves links in comments, script, style, textarea, text and other attributes alone', () => {
    const html = [
      `<!-- <a href="https://c.example/commented">x</a> -->`,
      `<script>var s = '<a href="https://c.example/script">';</script>`,
      `<style>a[href="https://c.example/style"]{color:red}</style>`,
      `<textarea><a href="https://c.example/textarea"></a></textarea>`,
      `<p>Write href="https://c.example/text" in your page</p>`,
      `<a title='href="https://c.example/title"' data-href="https://c.example/data" href="https://c.example/real">r</a>`,
      `<img src="https://c.example/logo.png" alt="logo">`,
    ].join('\n');
    const out = track(html);
    expect(targets(out)).toEqual(['https://c.example/real']);
    // Everything before the one link is untouched, byte for byte.
    expect(out.slice(0, html.indexOf('<a title='))).toBe(html.slice(0, html.indexOf('<a title=')));
    expect(out).toContain(
      `title="href=&quot;https://c.example/title&quot;" data-href="https://c.example/data" href="https://pier.example/c?t=`,
    );
  });

  it('uses the first of two hrefs, as a browser does, and keeps the tag’s other attributes', () => {
    const html = `<a href="https://d.example/first" HREF="https://d.example/second" target=_blank download style='font-family:"Noto Sans"'>x</a>`;
    const out = track(html);
    expect(targets(out)).toEqual(['https://d.example/first']);
    expect(out).toMatch(
      /^<a href="https:\/\/pier\.example\/c\?t=[^"]+" target="_blank" download style="font-family:&quot;Noto Sans&quot;">x<\/a>$/,
    );
  });

  it('tracks <area> links, survives unclosed and broken markup, and lists each web link once', () => {
    const html = `<map><area href="https://e.example/a" alt=a></map><a href="https://e.example/b"><a href=https://e.example/a>again<p <a href="https://e.example/c"`;
    expect(targets(track(html))).toEqual(['https://e.example/a', 'https://e.example/b', 'https://e.example/a']);
    expect(webLinksOf(html)).toEqual(['https://e.example/a', 'https://e.example/b']);
    expect(rewriteWebLinks('no links at all &amp; text', () => 'https://x.example/')).toBe('no links at all &amp; text');
  });
});
