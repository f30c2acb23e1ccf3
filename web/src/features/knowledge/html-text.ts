/**
 * The editor edits an answer as plain text (paragraphs split by a blank line) and saves it as
 * escaped HTML paragraphs; the page shows answers as text. Library HTML is never put into the
 * page as markup, so an answer cannot carry a script into a colleague's browser.
 */
export function htmlToText(html: string): string {
  const doc = new DOMParser().parseFromString(`<body>${html}</body>`, 'text/html');
  for (const br of Array.from(doc.querySelectorAll('br'))) br.replaceWith('\n');
  const blocks = Array.from(doc.body.querySelectorAll('p, li, div, h1, h2, h3, blockquote'));
  if (blocks.length === 0) return (doc.body.textContent ?? '').trim();
  for (const block of blocks) block.append('\n\n');
  return (doc.body.textContent ?? '').replace(/\n{3,}/g, '\n\n').trim();
}

function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}

export function textToHtml(text: string): string {
  return text
    .trim()
    .split(/\n{2,}/)
    .map((paragraph) => `<p>${escapeHtml(paragraph.trim()).replaceAll('\n', '<br>')}</p>`)
    .join('');
}
