// CPU of rewriting a campaign mail's links for 1,000 recipients: the regular expression of decision 0058
// (copied here) against the tokenizer of decision 0060. Run after `npm run build`:
//   node scripts/bench-campaign-links.mjs
// Prints user and sys CPU seconds per method, each twice (the first round warms up).
import { randomBytes } from 'node:crypto';
import { rewriteLinks, signClickToken } from '../server/dist/modules/campaigns/clicks.js';

const key = randomBytes(32);
// A newsletter-sized HTML: 30 links, tables, ~20 KB.
let html = '<table>';
for (let i = 0; i < 30; i++)
  html += `<tr><td style="padding:8px"><a href="https://shop.example/p/${i}?utm_source=news&amp;utm_medium=mail" class="btn">Product ${i}</a><p>${'Lorem ipsum dolor sit amet, consectetur. '.repeat(12)}</p></td></tr>`;
html += '</table><p><a href="https://pier.example/unsubscribe/x.y">Unsubscribe</a></p>';
const ENT = { '&amp;': '&', '&quot;': '"', '&nbsp;': '\u00a0', '&lt;': '<', '&gt;': '>' };
const esc = (s) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
function oldRewrite(h, input) {
  const base = input.baseUrl.replace(/\/+$/, '');
  return h.replace(/\bhref="(https?:[^"]*)"/gi, (whole, raw) => {
    const url = raw.replace(/&(amp|quot|nbsp|lt|gt);/g, (e) => ENT[e] ?? e);
    if (url === input.keep) return whole;
    return `href="${esc(`${base}/c?t=${signClickToken(input.key, input.recipientId, url)}`)}"`;
  });
}
const input = (i) => ({ baseUrl: 'https://pier.example', key, recipientId: `r${i}`, keep: 'https://pier.example/unsubscribe/x.y' });
const N = 1000;
for (const [name, fn] of [
  ['regex (before)', oldRewrite],
  ['htmlparser2 (after)', rewriteLinks],
  ['regex (before)', oldRewrite],
  ['htmlparser2 (after)', rewriteLinks],
]) {
  const t = process.cpuUsage();
  for (let i = 0; i < N; i++) fn(html, input(i));
  const d = process.cpuUsage(t);
  console.log(
    `${name}: ${N} recipients, ${html.length} chars, 31 links: user ${(d.user / 1e6).toFixed(3)} s, sys ${(d.system / 1e6).toFixed(3)} s`,
  );
}
