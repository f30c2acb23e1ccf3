import { escapeHtml, sanitizeOutgoingHtml } from '../outbox/index.js';

/** What a template may name: {{name}}, {{company}}, {{country}}, {{unsubscribe_url}}; `{{name|there}}` gives a fallback. */
export type MergeValues = { name: string | null; company: string | null; country: string | null; unsubscribe_url: string };

const FIELD = /\{\{\s*(name|company|country|unsubscribe_url)\s*(?:\|([^}]*))?\}\}/g;

/** Fills the merge fields; in HTML every value is escaped (a contact's name is anyone's text). */
export function renderTemplate(template: string, values: MergeValues, format: 'html' | 'text'): string {
  return template.replace(FIELD, (_all, field: keyof MergeValues, fallback: string | undefined) => {
    const value = values[field]?.trim() || fallback?.trim() || '';
    return format === 'html' ? escapeHtml(value) : value;
  });
}

/** Whether the template shows the unsubscribe link itself; if not, Pier appends one (every mail carries it). */
export function mentionsUnsubscribe(template: string): boolean {
  return /\{\{\s*unsubscribe_url\s*\}\}/.test(template);
}

/** The visible unsubscribe line appended when the template has none (both languages: the mail's reader may read either). */
export function unsubscribeFooter(url: string, format: 'html' | 'text'): string {
  if (format === 'text') return `\n\n--\nUnsubscribe / 退订: ${url}\n`;
  const href = escapeHtml(url);
  return `<hr><p style="font-size:12px;color:#666">Unsubscribe / 退订: <a href="${href}">${href}</a></p>`;
}

/** Stands in for {{unsubscribe_url}} while the template passes the wall, which keeps only real URLs in href. */
const PLACEHOLDER = 'https://unsubscribe.pier.invalid/';

/** The template through the outbox's HTML wall (scripts, forms, tricks removed), {{unsubscribe_url}} kept where it was. */
export async function sanitizeCampaignHtml(template: string): Promise<string> {
  const marked = template.replace(/\{\{\s*unsubscribe_url\s*\}\}/g, PLACEHOLDER);
  const { html } = await sanitizeOutgoingHtml(marked);
  return html.split(PLACEHOLDER).join('{{unsubscribe_url}}');
}
