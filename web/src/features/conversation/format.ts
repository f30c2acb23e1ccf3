import { currentLocale } from '../../i18n';

/** "Spain" / "西班牙" in the reader's language. */
/** A language tag in the reader's language ("de" → "German", "德语"). */
export function languageName(tag: string | null | undefined): string {
  if (!tag) return '';
  try {
    return new Intl.DisplayNames([currentLocale()], { type: 'language' }).of(tag) ?? tag;
  } catch {
    return tag;
  }
}

export function countryName(country: string | null | undefined): string {
  if (!country) return '';
  try {
    return new Intl.DisplayNames([currentLocale()], { type: 'region' }).of(country.toUpperCase()) ?? country;
  } catch {
    return country;
  }
}

/** The wall-clock time now in a zone, e.g. "04:02" (with the weekday when it is another day there). */
export function localTimeIn(timeZone: string, now = new Date()): string | null {
  try {
    const locale = currentLocale();
    const day = (zone?: string) => new Intl.DateTimeFormat('en-CA', { timeZone: zone, dateStyle: 'short' }).format(now);
    const sameDay = day(timeZone) === day();
    return new Intl.DateTimeFormat(locale, {
      timeZone,
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      ...(sameDay ? {} : { weekday: 'short' }),
    }).format(now);
  } catch {
    return null;
  }
}

/** 12 KB, 3.4 MB — binary units, localised digits. */
export function formatSize(bytes: number): string {
  const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte'] as const;
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return new Intl.NumberFormat(currentLocale(), {
    style: 'unit',
    unit: units[unit],
    unitDisplay: 'narrow',
    maximumFractionDigits: value < 10 && unit > 0 ? 1 : 0,
  }).format(value);
}

// Building an Intl formatter costs far more than using one: the list formats dozens of rows per frame.
const formatters = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();
function cached<T extends Intl.NumberFormat | Intl.DateTimeFormat>(key: string, make: () => T): T {
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = make();
    formatters.set(key, formatter);
  }
  return formatter as T;
}

/** Date and time in full, for tooltips (a cached formatter per language). */
export function formatFullTimeCached(timestamp: number): string {
  const locale = currentLocale();
  return cached(
    `full:${locale}`,
    () => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', hourCycle: 'h23' }),
  ).format(timestamp);
}

/** How long ago, compact: 5m, 3h, 2d (5分钟, 3小时, 2天). */
export function formatAge(timestamp: number, now = Date.now()): string {
  const minutes = Math.max(1, Math.round((now - timestamp) / 60_000));
  const [value, unit] =
    minutes < 60
      ? [minutes, 'minute']
      : minutes < 48 * 60
        ? [Math.round(minutes / 60), 'hour']
        : minutes < 60 * 24 * 60
          ? [Math.round(minutes / 1440), 'day']
          : [Math.round(minutes / (1440 * 30)), 'month'];
  const locale = currentLocale();
  return cached(`age:${locale}:${unit}`, () => new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'narrow' })).format(value);
}

const RISKY_EXTENSIONS = /\.(exe|scr|bat|cmd|com|pif|js|jse|vbs|vbe|wsf|wsh|hta|msi|msp|jar|ps1|lnk|iso|img|docm|xlsm|pptm|html?|svg)$/i;

/** Files that can run code when opened (DESIGN: "attachments that could run code are marked"). */
export function isRiskyAttachment(filename: string): boolean {
  return RISKY_EXTENSIONS.test(filename.trim());
}

/**
 * Plain-text quoted history: everything from the first reply header ("On … wrote:",
 * "在 … 写道：", "-----Original Message-----", "发件人:" blocks) or the first run of
 * "> " lines that reaches the end.
 */
export function splitQuoted(text: string): { body: string; quoted: string } {
  const lines = text.split(/\r?\n/);
  const header =
    /^(\s*On .{4,200}wrote:\s*$|\s*Am .{4,200}schrieb.{0,100}:\s*$|\s*在.{2,120}写道[:：]\s*$|\s*-{2,}\s*(Original Message|原始邮件|Forwarded message|转发的邮件)\s*-{2,}\s*$|\s*(From|发件人)\s*[:：].+$)/i;
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i] ?? '';
    const quotedToEnd = line.startsWith('>') && lines.slice(i).every((rest) => rest.startsWith('>') || rest.trim() === '');
    const isHeader =
      header.test(line) &&
      (!/^(\s*)(From|发件人)/i.test(line) ||
        lines.slice(i + 1, i + 6).some((l) => /^(\s*)(Sent|Date|发送时间|日期|To|收件人)\s*[:：]/i.test(l)));
    if ((quotedToEnd || isHeader) && i > 0) {
      const body = lines.slice(0, i).join('\n').trimEnd();
      if (body) return { body, quoted: lines.slice(i).join('\n') };
    }
  }
  return { body: text, quoted: '' };
}
