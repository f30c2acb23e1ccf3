import type { AutoReplyTemplates, AutoReplyVariable, AutoReplyVersion, BusinessHours } from '@pier/contracts';
import { addWorkingTime, isWithinBusinessHours } from '../business-hours/index.js';

/** A mailbox's business hours (null: none set, always open, UTC) and its first-reply target. */
export type ReplyTiming = { hours: BusinessHours | null; firstReplyHours: number };

export type ReplyExpectation = {
  /** When the first answer is due; null when the hours have no opening within three years. */
  dueAt: Date | null;
  /** Whether the mail arrived inside business hours (picks the inside or outside text). */
  inside: boolean;
  timeZone: string;
};

/** Due = addWorkingTime(hours, receivedAt, first-reply hours) (decision 0030, step 4). */
export function expectedReply(timing: ReplyTiming, receivedAt: Date): ReplyExpectation {
  const millis = timing.firstReplyHours * 60 * 60_000;
  if (!timing.hours) return { dueAt: new Date(receivedAt.getTime() + millis), inside: true, timeZone: 'UTC' };
  return {
    dueAt: addWorkingTime(timing.hours, receivedAt, millis),
    inside: isWithinBusinessHours(timing.hours, receivedAt),
    timeZone: timing.hours.timeZone,
  };
}

/** The version in the mail's language, else the default (the one without a language). */
export function chooseVersion(templates: AutoReplyTemplates, language: string | null): AutoReplyVersion {
  const exact = language ? templates.versions.find((v) => v.language === language) : undefined;
  const fallback = templates.versions.find((v) => v.language === null) ?? templates.versions[0];
  if (!exact && !fallback) throw new Error('auto-reply templates without a version');
  return (exact ?? fallback) as AutoReplyVersion;
}

/** "Monday, 8 December 2026 at 10:00 (Asia/Shanghai)" in the version's language (English for the default). */
export function formatReplyTime(at: Date | null, timeZone: string, language: string | null): string {
  if (!at) return language === 'zh' ? '尽快' : 'as soon as we can';
  const locale = language ?? 'en';
  let text: string;
  try {
    text = new Intl.DateTimeFormat(locale, { dateStyle: 'full', timeStyle: 'short', timeZone }).format(at);
  } catch {
    text = new Intl.DateTimeFormat('en', { dateStyle: 'full', timeStyle: 'short', timeZone }).format(at);
  }
  return `${text} (${timeZone})`;
}

/** A short reference a customer can quote: the conversation id's random tail (UUIDv7 starts with the time). */
export function shortReference(conversationId: string): string {
  return `#${conversationId.replaceAll('-', '').slice(-8).toUpperCase()}`;
}

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** The plain-text auto-reply: the inside- or outside-hours text with its variables filled in. */
export function renderAutoReply(version: AutoReplyVersion, inside: boolean, values: Record<AutoReplyVariable, string>): string {
  const template = inside ? version.insideHours : (version.outsideHours ?? version.insideHours);
  return template.replace(PLACEHOLDER, (_m, name: string) => values[name.trim() as AutoReplyVariable] ?? '');
}
