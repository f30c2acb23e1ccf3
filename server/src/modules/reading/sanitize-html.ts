import type { DOMPurify } from 'dompurify';
import type { CssContext, sanitizeCss as SanitizeCss } from './sanitize-css.js';

/**
 * Mail HTML made safe to show: DOMPurify (on a jsdom window) removes scripts,
 * event handlers, javascript:/data: links, forms, frames, <base>, <meta> and
 * SVG scripting; on top of that this module blocks every remote resource
 * (tracking pixels, CSS url(), srcset, background=) unless the reader asked
 * for images, and turns `cid:` references into the inline attachment's bytes.
 * The result is still served under a strict CSP in a sandboxed frame: the
 * sanitiser is one wall of three.
 */
export type InlineImage = { contentId: string; mime: string; dataUrl: string | null; url: string };

export type SanitizeOptions = {
  /** The reader clicked "show images": remote https images load (http ones are upgraded). */
  allowRemoteImages: boolean;
  /** Inline parts by Content-ID (without angle brackets, lower case). */
  inlineImages: ReadonlyMap<string, InlineImage>;
  /** Fold the quoted history (Gmail, Apple Mail, Outlook, Foxmail/QQ markers) out of the page. */
  hideQuoted?: boolean;
};

export type SanitizedHtml = { html: string; blockedImages: number; quotedBlocks: number };

// Where mail clients put the message being answered. Outlook and Foxmail mark only the header
// block, so everything after the marker goes too.
// Ids are matched by suffix: DOMPurify prefixes them (user-content-…) against DOM clobbering.
const QUOTE_BLOCKS =
  'blockquote[type="cite"], .gmail_quote, .yahoo_quoted, .moz-cite-prefix, [id$="mail-editor-reference-message-container"]';
const QUOTE_STARTS =
  '[id$="divRplyFwdMsg"], [id$="appendonsend"], [id$="isForwardContent"], [id$="isReplyContent"], hr[id$="stopSpelling"]';

type Purifier = { purifier: DOMPurify; parseDocument: (html: string) => Document; sanitizeCss: typeof SanitizeCss };
let purifierPromise: Promise<Purifier> | undefined;

/**
 * jsdom takes about a second to load: only processes that show mail pay for it, once. css-tree
 * comes with it (~9 MB resident): a server that only syncs never loads either (decision 0026).
 */
function loadPurifier(): Promise<Purifier> {
  purifierPromise ??= (async () => {
    const [{ default: createDOMPurify }, { JSDOM }, { sanitizeCss }] = await Promise.all([
      import('dompurify'),
      import('jsdom'),
      import('./sanitize-css.js'),
    ]);
    const { window } = new JSDOM('');
    const parser = new window.DOMParser();
    return {
      purifier: createDOMPurify(window as unknown as Parameters<typeof createDOMPurify>[0]),
      parseDocument: (html: string) => parser.parseFromString(html, 'text/html'),
      sanitizeCss,
    };
  })();
  return purifierPromise;
}

/**
 * A frameset document has no body, so DOMPurify has nothing to return (the reading route
 * answered 500). What such a mail offers a reader without frames is its <noframes> content
 * (raw text to the parser, HTML to a frameless reader): that is what gets sanitised instead.
 */
function noFramesContent(html: string, parseDocument: Purifier['parseDocument']): string {
  const doc = parseDocument(html);
  return [...doc.querySelectorAll('noframes')].map((element) => element.textContent ?? '').join('\n');
}

const FORBID_TAGS = [
  'script',
  'noscript',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'form',
  'input',
  'button',
  'select',
  'option',
  'textarea',
  'base',
  'meta',
  'link',
  'portal',
  'math',
  'template',
  'audio',
  'video',
  'source',
  'track',
];
const FORBID_ATTR = ['action', 'formaction', 'srcdoc', 'ping', 'xlink:href', 'autofocus', 'http-equiv'];
// SVG presentation attributes whose CSS value may hold url().
const SVG_CSS_ATTRS = new Set([
  'fill',
  'stroke',
  'filter',
  'mask',
  'clip-path',
  'marker',
  'marker-start',
  'marker-mid',
  'marker-end',
  'cursor',
]);
// Attributes that name a URL: anything not allowed below is dropped.
const URL_ATTRS = ['href', 'src', 'srcset', 'background', 'poster', 'cite', 'longdesc', 'lowsrc', 'dynsrc'];

/** Blocked remote images so far, and the CSS already rewritten in this mail (newsletters repeat one style= hundreds of times). */
type Counter = { blocked: number; css: Map<string, { css: string; blocked: number }>; sanitizeCss: typeof SanitizeCss };

function rewriteImageUrl(raw: string, options: SanitizeOptions, counter: Counter): string | null {
  const value = raw.trim();
  if (/^data:image\/(png|gif|jpe?g|webp|bmp|avif);/i.test(value)) return value;
  if (/^cid:/i.test(value)) {
    const id = decodeURIComponentSafe(value.slice(4)).replace(/^<|>$/g, '').toLowerCase();
    const inline = options.inlineImages.get(id);
    if (!inline) return null;
    return inline.dataUrl ?? inline.url;
  }
  if (/^(https?:)?\/\//i.test(value)) {
    if (!options.allowRemoteImages) {
      counter.blocked += 1;
      return null;
    }
    // The frame's CSP allows https images only: plain http ones are upgraded, like browsers do for mixed content.
    return value.replace(/^(http:)?\/\//i, 'https://');
  }
  // Relative paths (osTicket "image001.png"), file:, javascript: and anything else: nowhere safe to load from.
  return null;
}

/** CSS on a parse tree (sanitize-css.ts), every URL through the image gate. */
function rewriteCss(css: string, context: CssContext, options: SanitizeOptions, counter: Counter): string {
  const key = `${context}\n${css}`;
  const known = counter.css.get(key);
  if (known) {
    counter.blocked += known.blocked;
    return known.css;
  }
  const before = counter.blocked;
  const safe = counter.sanitizeCss(css, context, (url) => rewriteImageUrl(url, options, counter));
  counter.css.set(key, { css: safe, blocked: counter.blocked - before });
  return safe;
}

function decodeURIComponentSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

const SAFE_LINK = /^(https?:|mailto:|tel:|#)/i;

export async function sanitizeMailHtml(html: string, options: SanitizeOptions): Promise<SanitizedHtml> {
  const { purifier, parseDocument, sanitizeCss } = await loadPurifier();
  const counter: Counter = { blocked: 0, css: new Map(), sanitizeCss };
  purifier.removeAllHooks();
  purifier.addHook('uponSanitizeElement', (node, data) => {
    // <style> blocks are kept (mail layout depends on them) with their URLs and old IE tricks neutralised.
    if (data.tagName === 'style' && node.textContent) node.textContent = rewriteCss(node.textContent, 'stylesheet', options, counter);
  });
  purifier.addHook('afterSanitizeAttributes', (node) => {
    const element = node as Element;
    if (typeof element.getAttribute !== 'function') return;
    const tag = element.tagName.toLowerCase();
    for (const name of URL_ATTRS) {
      const value = element.getAttribute(name);
      if (value === null) continue;
      if (name === 'href' && tag === 'a') {
        if (!SAFE_LINK.test(value.trim())) element.removeAttribute('href');
        continue;
      }
      if (name === 'src' && tag === 'img') {
        const safe = rewriteImageUrl(value, options, counter);
        if (safe) element.setAttribute('src', safe);
        else {
          element.removeAttribute('src');
          element.setAttribute('data-pier-blocked', '');
        }
        continue;
      }
      if (name === 'background') {
        const safe = rewriteImageUrl(value, options, counter);
        if (safe) element.setAttribute('background', safe);
        else element.removeAttribute('background');
        continue;
      }
      if (name === 'srcset' && options.allowRemoteImages) {
        const candidates = value
          .split(',')
          .map((part) => part.trim().split(/\s+/))
          .map(([url, size]) => {
            const safe = url ? rewriteImageUrl(url, options, counter) : null;
            return safe ? [safe, size].filter(Boolean).join(' ') : null;
          })
          .filter(Boolean);
        if (candidates.length > 0) element.setAttribute('srcset', candidates.join(', '));
        else element.removeAttribute('srcset');
        continue;
      }
      if (name === 'srcset') {
        counter.blocked += 1;
        if (tag === 'img') element.setAttribute('data-pier-blocked', '');
      }
      element.removeAttribute(name);
    }
    // style="" and SVG presentation attributes (fill="url(…)") can both fetch: every URL goes through the same gate.
    for (const attribute of [...element.attributes]) {
      if (attribute.name === 'style') element.setAttribute('style', rewriteCss(attribute.value, 'declarationList', options, counter));
      else if (SVG_CSS_ATTRS.has(attribute.name) && attribute.value.includes('(')) {
        element.setAttribute(attribute.name, rewriteCss(attribute.value, 'value', options, counter));
      }
    }
    if (tag === 'a' && element.hasAttribute('href')) {
      // Links open outside the frame, without telling the target where the reader came from.
      element.setAttribute('target', '_blank');
      element.setAttribute('rel', 'noopener noreferrer');
      element.setAttribute('title', element.getAttribute('href') ?? '');
    }
  });
  const purify = (dirty: string) =>
    purifier.sanitize(dirty, {
      WHOLE_DOCUMENT: false,
      FORBID_TAGS,
      FORBID_ATTR,
      ADD_TAGS: ['style'],
      ADD_ATTR: ['target', 'background', 'bgcolor', 'align', 'valign', 'border', 'cellpadding', 'cellspacing'],
      ALLOW_DATA_ATTR: false,
      USE_PROFILES: { html: true, svg: true },
      SANITIZE_NAMED_PROPS: true,
      FORCE_BODY: true,
      RETURN_DOM_FRAGMENT: true,
    }) as DocumentFragment | null;
  const fragment = purify(html) ?? purify(noFramesContent(html, parseDocument)) ?? purify('');
  purifier.removeAllHooks();
  if (!fragment) return { html: '', blockedImages: counter.blocked, quotedBlocks: 0 };
  const quotedBlocks = foldQuotes(fragment, options.hideQuoted ?? false);
  const container = fragment.ownerDocument.createElement('div');
  container.append(fragment);
  return { html: container.innerHTML, blockedImages: counter.blocked, quotedBlocks };
}

/** Counts the quoted-history blocks and, when asked, removes them (and what follows a reply marker). */
function foldQuotes(fragment: DocumentFragment, hide: boolean): number {
  const blocks = [...fragment.querySelectorAll(QUOTE_BLOCKS)].filter((el) => !el.parentElement?.closest(QUOTE_BLOCKS));
  const starts = [...fragment.querySelectorAll(QUOTE_STARTS)];
  if (hide) {
    for (const start of starts) {
      let node: ChildNode | null = start;
      while (node) {
        const next: ChildNode | null = node.nextSibling;
        node.remove();
        node = next;
      }
    }
    for (const block of blocks) block.remove();
  }
  return blocks.length + starts.length;
}

/** The frame document around the sanitised body: UTF-8, readable defaults, nothing that loads. */
export function mailDocument(body: string, options: { lang?: string } = {}): string {
  return `<!doctype html>
<html lang="${options.lang ?? ''}"><head><meta charset="utf-8"><style>
html,body{margin:0;padding:0;background:#fff;color:#1f2328}
body{font:14px/1.55 -apple-system,"Segoe UI","PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;padding:4px 2px;overflow-wrap:anywhere}
img{max-width:100%;height:auto}
img[data-pier-blocked]{display:inline-block;min-width:16px;min-height:16px;background:repeating-linear-gradient(45deg,#eef0f3 0 6px,#f7f8fa 6px 12px);border-radius:2px}
table{max-width:100%}
pre{white-space:pre-wrap}
a{color:#0b63ce}
</style></head><body>${body}</body></html>`;
}
