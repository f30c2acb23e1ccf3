/**
 * `{{customer.name}}`-style variables in signatures and saved replies. Values
 * are HTML-escaped (a customer's name is data, never markup); unknown
 * variables render empty rather than leaking braces to a customer.
 */
export type TemplateValues = Record<string, string | null | undefined>;

const VARIABLE = /\{\{\s*([a-z_]+(?:\.[a-z_]+)*)\s*\}\}/gi;

export function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');
}

export function renderTemplate(html: string, values: TemplateValues): string {
  return html.replace(VARIABLE, (_match, name: string) => escapeHtml(values[name.toLowerCase()] ?? ''));
}

/** Only http(s) URLs may go into a signature's href/src. */
export function safeUrl(url: string): string {
  const trimmed = url.trim();
  return /^https?:\/\/[^\s"'<>]+$/i.test(trimmed) ? trimmed : '';
}

export const DEFAULT_SIGNATURE_HTML = [
  '<p>--<br>',
  '<strong>{{agent.name}}</strong> | {{agent.title}}<br>',
  '{{company.name}}<br>',
  '{{company.website}} | {{company.phone}}<br>',
  '{{company.logo}}</p>',
].join('');

/** Plain text (a stored body) as HTML paragraphs, for quoting. */
export function textToHtml(text: string): string {
  return text
    .split(/\r?\n/)
    .map((line) => escapeHtml(line))
    .join('<br>');
}
