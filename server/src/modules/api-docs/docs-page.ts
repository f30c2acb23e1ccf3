import { WEBHOOK_SIGNATURE_HEADER, webhookEvents } from '@pier/contracts';
import type { OpenApiDocument, Operation } from './openapi.js';

const html = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

const scopeLabel = (scope: Operation['x-pier-token-scope']) => (scope === null ? 'session only' : `token: ${scope}`);

/**
 * The readable reference at /api/docs: the OpenAPI document as one static HTML page (no script,
 * so the app's strict CSP holds), grouped by area, with each route's schemas folded away.
 */
export function renderDocsPage(doc: OpenApiDocument): string {
  const byTag = new Map<string, { path: string; method: string; op: Operation }[]>();
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const tag = op.tags[0] ?? 'api';
      byTag.set(tag, [...(byTag.get(tag) ?? []), { path, method, op }]);
    }
  }
  const tags = [...byTag.keys()].sort();
  const sections = tags.map((tag) => {
    const ops = (byTag.get(tag) ?? []).sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
    return `<section id="${html(tag)}"><h2>${html(tag)}</h2>${ops.map(renderOperation).join('')}</section>`;
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Pier API reference</title><link rel="stylesheet" href="/api/docs.css"></head>
<body><header><h1>Pier API reference</h1><p>Version ${html(doc.info.version)} · OpenAPI 3.1: <a href="/api/openapi.json">/api/openapi.json</a></p></header>
<main><section id="intro"><h2>Authentication</h2><p>${html(doc.info.description)}</p>
<pre>curl -H "Authorization: Bearer $PIER_TOKEN" https://pier.example.com/api/conversations</pre>
<h2>Webhooks</h2><p>Events: ${webhookEvents.map((e) => `<code>${e}</code>`).join(', ')}. Each delivery is a POST of JSON
<code>{"id","event","createdAt","data"}</code> with the header <code>${WEBHOOK_SIGNATURE_HEADER}: t=&lt;unix seconds&gt;,v1=&lt;hex&gt;</code>,
where <code>v1</code> is HMAC-SHA256 with the hook's secret over <code>&lt;t&gt;.&lt;raw body&gt;</code>. Check it with a constant-time
comparison and refuse a <code>t</code> older than five minutes. A 2xx answer ends the delivery; anything else is retried with backoff.</p>
<nav><h2>Areas</h2><ul>${tags.map((t) => `<li><a href="#${html(t)}">${html(t)}</a></li>`).join('')}</ul></nav></section>
${sections.join('\n')}</main></body></html>`;
}

function renderOperation({ path, method, op }: { path: string; method: string; op: Operation }): string {
  const parts: string[] = [];
  if (op.parameters) parts.push(`<h4>Parameters</h4><pre>${html(JSON.stringify(op.parameters, null, 2))}</pre>`);
  if (op.requestBody) parts.push(`<h4>Request body</h4><pre>${html(JSON.stringify(op.requestBody, null, 2))}</pre>`);
  parts.push(`<h4>Responses</h4><pre>${html(JSON.stringify(op.responses, null, 2))}</pre>`);
  const auth = op.security.length === 0 ? 'public' : scopeLabel(op['x-pier-token-scope']);
  return `<details class="op"><summary><span class="method ${html(method)}">${html(method.toUpperCase())}</span> <code>${html(path)}</code> <span class="scope">${html(auth)}</span></summary>${parts.join('')}</details>`;
}

export const DOCS_CSS = `
body{font:15px/1.5 system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;margin:0;color:#1b1f24;background:#fafafa}
header,main{max-width:960px;margin:0 auto;padding:16px}
header{border-bottom:1px solid #ddd}
h1{font-size:24px;margin:8px 0}h2{font-size:19px;margin:24px 0 8px}h4{margin:8px 0 4px;font-size:14px}
pre{background:#fff;border:1px solid #e2e2e2;padding:8px;overflow:auto;font-size:12px;max-height:360px}
.op{background:#fff;border:1px solid #e2e2e2;border-radius:6px;margin:6px 0;padding:6px 10px}
.op summary{cursor:pointer;display:flex;gap:8px;flex-wrap:wrap;align-items:baseline}
.op code{word-break:break-all}
.method{font-weight:600;font-size:12px;min-width:56px;display:inline-block}
.get{color:#0b6b3a}.post{color:#1a56b0}.put,.patch{color:#8a5a00}.delete{color:#b3261e}
.scope{margin-left:auto;font-size:12px;color:#555}
nav ul{columns:3;padding-left:18px}
@media (max-width:600px){nav ul{columns:2}.scope{margin-left:0}}
`;
