import { AppError } from '../../errors.js';
import { escapeHtml, type TemplateValues } from './templates.js';

/**
 * Signatures are templates of lines like `{{agent.name}} | {{agent.title}}`. An empty value takes
 * the separator next to it along (no "李娜 Li Na |"), and a line whose values are all empty
 * goes (no "Tel:" without a number). Unknown variables are refused when the template is saved.
 */
export const SIGNATURE_VARIABLES = [
  'agent.name',
  'agent.title',
  'agent.email',
  'company.name',
  'company.logo',
  'company.website',
  'company.phone',
  'mailbox.name',
  'mailbox.address',
] as const;

const VARIABLE = /\{\{\s*([a-z_]+(?:\.[a-z_]+)*)\s*\}\}/gi;
const ANY_VARIABLE = /\{\{\s*([^{}]*?)\s*\}\}/g;
/** Line breaks: a line is what lies between two of them. */
const LINE_BREAK = /(<br\s*\/?>|<\/?(?:p|div|li|tr|td)\b[^>]*>)/i;
const TAG = /<[^>]*>/g;
/** Text between two variables made only of these (tags aside) is a separator. */
const SEPARATOR = /^[\s|·•/\\\-–—,;:]*$/;

export function unknownSignatureVariables(html: string): string[] {
  const known = new Set<string>(SIGNATURE_VARIABLES);
  const found = [...html.matchAll(ANY_VARIABLE)].map((m) => (m[1] ?? '').trim());
  return [...new Set(found.filter((name) => !known.has(name.toLowerCase())))];
}

export function refuseUnknownSignatureVariables(html: string): void {
  const unknown = unknownSignatureVariables(html);
  if (unknown.length === 0) return;
  const list = (names: readonly string[]) => names.map((n) => `{{${n}}}`).join(', ');
  throw new AppError(
    'signature.unknown_variable',
    400,
    `unknown variable ${list(unknown)} in the signature; known: ${list(SIGNATURE_VARIABLES)}`,
    { unknown: list(unknown), known: list(SIGNATURE_VARIABLES) },
  );
}

/** Keeps the tags of a dropped separator (`</strong> | ` → `</strong>`). */
const tagsOnly = (text: string) => (text.match(TAG) ?? []).join('');

/** Values that are markup Pier made itself (the logo's `<img>`), inserted as they are. */
export type SignatureMarkup = Record<string, string>;

function renderLine(line: string, values: TemplateValues, markup: SignatureMarkup): string {
  const parts = line.split(VARIABLE); // text, name, text, name, …, text
  if (parts.length === 1) return line;
  const texts = parts.filter((_, i) => i % 2 === 0);
  const fill = (name: string) => markup[name.toLowerCase()] ?? escapeHtml(values[name.toLowerCase()] ?? '');
  const filled = parts.filter((_, i) => i % 2 === 1).map(fill);
  if (filled.every((v) => v.trim() === '')) return texts.map(tagsOnly).join('');
  let out = texts[0] ?? '';
  for (let i = 0; i < filled.length; i++) {
    out += filled[i];
    const after = texts[i + 1] ?? '';
    const isLast = i === filled.length - 1;
    const isSeparator = !isLast && SEPARATOR.test(after.replace(TAG, ''));
    // A separator stands only between a value and a later non-empty value.
    const keep = !isSeparator || (filled[i]?.trim() !== '' && filled.slice(i + 1).some((v) => v.trim() !== ''));
    out += keep ? after : tagsOnly(after);
  }
  return out;
}

export function renderSignatureTemplate(html: string, values: TemplateValues, markup: SignatureMarkup = {}): string {
  return withLogoVariable(html)
    .split(LINE_BREAK)
    .map((piece) => (LINE_BREAK.test(piece) ? piece : renderLine(piece, values, markup)))
    .join('');
}

/**
 * `{{company.logo}}` is the logo image itself. Templates written when it was a URL wrap it in
 * `<img src="{{company.logo}}">`: that tag stands for the variable.
 */
export function withLogoVariable(html: string): string {
  return html.replace(/<img\b[^>]*\{\{\s*company\.logo\s*\}\}[^>]*>/gi, '{{company.logo}}');
}
