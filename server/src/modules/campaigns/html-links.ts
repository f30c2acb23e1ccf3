import { Parser } from 'htmlparser2';

/**
 * The links of a campaign's HTML, read by a real HTML tokenizer (htmlparser2; attribute values
 * decoded with the complete WHATWG entity table of `entities`, attribute rules included), not a
 * regular expression: single-quoted, unquoted and upper-case `HREF`s are links too, a link inside a
 * comment, `<script>`, `<style>` or `<textarea>` is none, and the first of two `href`s wins, as in a
 * browser. Only `<a>` and `<area>` navigate.
 */
const LINK_TAGS = new Set(['a', 'area']);

type Attribute = { name: string; value: string; quote: string | null | undefined };
type Link = { start: number; end: number; tag: string; attributes: Attribute[]; href: string };

function linksIn(html: string): Link[] {
  const links: Link[] = [];
  let attributes: Attribute[] = [];
  const parser = new Parser(
    {
      onopentagname: () => {
        attributes = [];
      },
      onattribute: (name, value, quote) => {
        attributes.push({ name, value, quote });
      },
      onopentag: (tag) => {
        if (!LINK_TAGS.has(tag)) return;
        // The first of duplicated attributes counts (HTML's tokenizer drops the later ones).
        const href = attributes.find((a) => a.name === 'href');
        if (href) links.push({ start: parser.startIndex, end: parser.endIndex + 1, tag, attributes, href: href.value });
      },
    },
    { decodeEntities: true },
  );
  parser.end(html);
  return links;
}

/**
 * The absolute http(s) URL a link goes to, or null for anything else (mailto:, tel:, #anchors,
 * relative links, javascript:…). As a browser does: surrounding whitespace dropped, tabs and
 * newlines inside removed (WHATWG URL parser).
 */
export function webUrlOf(href: string): string | null {
  let url: URL;
  try {
    url = new URL(href.trim());
  } catch {
    return null;
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
}

const escapeAttribute = (value: string) =>
  value
    .replace(/&/g, '&amp;')
    .replace(/"/g, '&quot;')
    .replace(/\u00a0/g, '&nbsp;');

/** The opening tag written again with `href` replaced; every other attribute kept, in order, re-escaped. */
function serializeTag(link: Link, href: string): string {
  const seen = new Set<string>();
  let out = `<${link.tag}`;
  for (const a of link.attributes) {
    if (seen.has(a.name)) continue;
    seen.add(a.name);
    const value = a.name === 'href' ? href : a.value;
    out += a.quote === undefined && a.name !== 'href' ? ` ${a.name}` : ` ${a.name}="${escapeAttribute(value)}"`;
  }
  return `${out}>`;
}

/**
 * The HTML with the href of every link `rewrite` gives a new URL for replaced; the rest of the
 * document is left byte for byte. `rewrite` gets the decoded web URL (never mailto:, tel:, anchors).
 */
export function rewriteWebLinks(html: string, rewrite: (url: string) => string | null): string {
  let out = '';
  let at = 0;
  for (const link of linksIn(html)) {
    const url = webUrlOf(link.href);
    const replacement = url === null ? null : rewrite(url);
    if (replacement === null) continue;
    out += html.slice(at, link.start) + serializeTag(link, replacement);
    at = link.end;
  }
  return out + html.slice(at);
}

/** The distinct web URLs the HTML links to, in order of first appearance. */
export function webLinksOf(html: string): string[] {
  const urls = new Set<string>();
  for (const link of linksIn(html)) {
    const url = webUrlOf(link.href);
    if (url) urls.add(url);
  }
  return [...urls];
}
