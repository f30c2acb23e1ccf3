#!/usr/bin/env node
// `node scripts/bench-sanitize.mjs [--runs 30] [--compare path/to/other/sanitize-html.js]`
//
// Per-mail cost of the mail HTML sanitiser (server/src/modules/reading/sanitize-html.ts) on three
// large synthetic HTML mails, generated deterministically: a marketing newsletter (table layout,
// inline style on every cell, a big <style> block with media queries), an Outlook reply chain
// (MsoNormal classes, mso- declarations, @font-face, nested quotes) and a long Chinese/English
// mail with little styling. Times sanitizeMailHtml() with images blocked (process CPU time),
// `runs` times after 3 warm-up runs. With --compare, another build of the module (e.g. an older version compiled
// with esbuild into server/dist) is timed in the same process, runs interleaved, so a busy
// machine slows both alike. Run `node scripts/build.mjs --quiet` first. The last line printed
// is one JSON object.
import path from 'node:path';
import { arg, percentile, prng, root, round } from './bench/lib.mjs';

const runs = Number(arg('runs', 30));
const builds = { current: path.join(root, 'server/dist/modules/reading/sanitize-html.js') };
if (arg('compare', '')) builds.compare = path.resolve(arg('compare', ''));
const sanitizers = {};
for (const [label, file] of Object.entries(builds)) sanitizers[label] = (await import(file)).sanitizeMailHtml;
const random = prng(42);
const pick = (items) => items[Math.floor(random() * items.length)];
const words = ['price', 'shipment', 'LED', 'sample', 'invoice', '报价', '样品', '发货', '付款', 'container', 'FOB', 'lead time'];
const sentence = (n) => Array.from({ length: n }, () => pick(words)).join(' ');

function newsletter() {
  const css = Array.from(
    { length: 400 },
    (_, i) =>
      `.c${i}{color:#${(i * 4099).toString(16).slice(-6).padStart(6, '0')};padding:${i % 12}px;font:14px/1.4 Arial,sans-serif;background:url(https://cdn.news.test/bg${i}.png) no-repeat}` +
      `@media (max-width:${300 + i}px){.c${i}{width:100% !important;display:block}}`,
  ).join('\n');
  const rows = Array.from(
    { length: 600 },
    (_, i) =>
      `<tr><td class="c${i % 400}" style="background-image:url('https://cdn.news.test/p${i}.jpg');border:1px solid #eee;padding:8px 12px;color:#333">` +
      `<img src="https://cdn.news.test/i${i}.png" width="120" height="80" style="display:block;border:0"><a href="https://news.test/p/${i}" style="color:#0b63ce;text-decoration:none">${sentence(12)}</a></td></tr>`,
  ).join('');
  return `<html><head><style>${css}</style></head><body><table width="600" cellpadding="0" cellspacing="0">${rows}</table></body></html>`;
}

function outlookChain() {
  const style = `<style>@font-face{font-family:"Cambria Math";panose-1:2 4 5 3 5 4 6 3 2 4;src:url(https://fonts.test/cm.woff)}
p.MsoNormal,li.MsoNormal,div.MsoNormal{margin:0cm;font-size:11.0pt;font-family:"Calibri",sans-serif;mso-fareast-language:ZH-CN}
a:link,span.MsoHyperlink{mso-style-priority:99;color:#0563C1;text-decoration:underline}
${Array.from({ length: 300 }, (_, i) => `span.EmailStyle${i}{mso-style-type:personal-reply;font-family:"Calibri",sans-serif;color:windowtext}`).join('\n')}
@page WordSection1{size:612.0pt 792.0pt;margin:72.0pt 72.0pt 72.0pt 72.0pt}div.WordSection1{page:WordSection1}</style>`;
  let body = '';
  for (let depth = 0; depth < 12; depth++) {
    const paragraphs = Array.from(
      { length: 60 },
      () =>
        `<p class="MsoNormal" style="mso-margin-top-alt:auto;line-height:115%"><span lang="EN-US" style="font-size:10.5pt;color:#1F497D">${sentence(20)}</span></p>`,
    ).join('');
    body = `<div class="WordSection1">${paragraphs}<div id="divRplyFwdMsg"><b>From:</b> Li Wei<br><b>Sent:</b> Monday</div><blockquote style="border-left:solid #CCCCCC 1.0pt;padding:0cm 0cm 0cm 6.0pt">${body}</blockquote></div>`;
  }
  return `<html xmlns:o="urn:schemas-microsoft-com:office:office"><head>${style}</head><body lang="ZH-CN" link="#0563C1">${body}</body></html>`;
}

function longText() {
  return `<div>${Array.from({ length: 4000 }, (_, i) => `<p>${i % 50 === 0 ? '<b>' : ''}${sentence(30)}${i % 50 === 0 ? '</b>' : ''}</p>`).join('')}</div>`;
}

const mails = { newsletter: newsletter(), outlookChain: outlookChain(), longText: longText() };
const options = { allowRemoteImages: false, inlineImages: new Map() };
const results = {};
for (const [name, html] of Object.entries(mails)) {
  const times = Object.fromEntries(Object.keys(sanitizers).map((label) => [label, []]));
  for (const sanitize of Object.values(sanitizers)) for (let i = 0; i < 3; i++) await sanitize(html, options);
  for (let i = 0; i < runs; i++) {
    for (const [label, sanitize] of Object.entries(sanitizers)) {
      // CPU time of the process, not wall time: on a shared machine, waiting for a core is not the sanitiser's cost.
      const started = process.cpuUsage();
      await sanitize(html, options);
      const used = process.cpuUsage(started);
      times[label].push((used.user + used.system) / 1000);
    }
  }
  results[name] = { kb: Math.round(Buffer.byteLength(html) / 1024) };
  for (const [label, list] of Object.entries(times)) {
    list.sort((a, b) => a - b);
    results[name][label] = { medianCpuMs: round(percentile(list, 50), 1), p95CpuMs: round(percentile(list, 95), 1) };
    const { medianCpuMs, p95CpuMs } = results[name][label];
    console.log(
      `${name.padEnd(14)} ${String(results[name].kb).padStart(5)} KB  ${label.padEnd(8)} CPU median ${medianCpuMs} ms  p95 ${p95CpuMs} ms`,
    );
  }
}
console.log(JSON.stringify({ runs, results }));
