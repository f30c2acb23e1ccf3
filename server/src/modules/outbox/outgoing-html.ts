import { sanitizeMailHtml } from '../reading/index.js';

/**
 * The agent's HTML as it may leave: the same DOMPurify wall as the reading pane
 * (no scripts, event handlers, forms, frames, `javascript:` links, CSS tricks),
 * with https images allowed (an agent may paste a picture by URL). The composer
 * only produces TipTap's markup, but the API takes any string: what a pasted or
 * crafted body carries must never reach a customer.
 */
export async function sanitizeOutgoingHtml(html: string, contentIds: string[] = []): Promise<{ html: string; hasContent: boolean }> {
  // The inline parts Pier itself adds (the signature's logo) keep their `cid:` reference; any other is dropped.
  const inlineImages = new Map(contentIds.map((id) => [id.toLowerCase(), { contentId: id, mime: '', dataUrl: null, url: `cid:${id}` }]));
  const { html: clean } = await sanitizeMailHtml(html, { allowRemoteImages: true, inlineImages });
  return { html: clean, hasContent: hasVisibleContent(clean) };
}

/** Text other than whitespace (entities such as `&nbsp;` count as space), or an image. */
function hasVisibleContent(html: string): boolean {
  if (/<img\b[^>]*\bsrc=/i.test(html)) return true;
  const text = html
    .replace(/<style\b[\s\S]*?<\/style>/gi, '')
    .replace(/<[^>]*>/g, '')
    .replace(/&(nbsp|#160|#xa0);/gi, ' ');
  return /\S/u.test(text.replace(/[\s\u00a0\u200b\u3000]/gu, ''));
}
