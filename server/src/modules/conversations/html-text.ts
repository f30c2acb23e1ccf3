import { compile } from 'html-to-text';

// HTML → text, for mails with no text part: what the snippet, the search index and the reader
// of text see. html-to-text parses the markup (htmlparser2) and decodes every HTML entity.

const cell = { format: 'spacedCell' } as const;

/** Compiled once: compiling the options costs more than converting a short mail. */
const convert = compile({
  // Stored text is not wrapped; the reader wraps it.
  wordwrap: false,
  // The default limits stay: HTML over 16 M characters is cut (with an ellipsis) before it is read.
  formatters: {
    // A table as lines of cells separated by a space, as mail is read (no column layout).
    spacedCell: (element, walk, builder) => {
      walk(element.children, builder);
      builder.addLiteral(' ');
    },
  },
  selectors: [
    { selector: 'a', options: { ignoreHref: true } },
    { selector: 'img', format: 'skip' },
    { selector: 'ul', options: { itemPrefix: '- ' } },
    ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((selector) => ({ selector, options: { uppercase: false } })),
    { selector: 'table', format: 'block' },
    { selector: 'tr', format: 'block' },
    { selector: 'td', ...cell },
    { selector: 'th', ...cell },
  ],
});

/** Block elements become line breaks, scripts and styles vanish, entities are decoded. */
export function htmlToText(html: string): string {
  return convert(html)
    .replace(/\u00a0/g, ' ')
    .split('\n')
    .map((line) => line.replace(/[ \t]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
