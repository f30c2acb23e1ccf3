import { readFile } from 'node:fs/promises';
import type { MailCategory } from '@pier/contracts';
import type { Kysely } from 'kysely';
import type { Clock } from '../../clock.js';
import type { Database } from '../../db/schema.js';
import { autoReplyDecisionFor } from '../auto-reply/index.js';
import { parseMail, splitMessage } from '../conversations/index.js';
import { assessMail, fraudMailFromRaw, loadFraudHistory } from '../fraud/index.js';
import { selectRules } from './evaluate.js';
import { type BusinessHoursOf, factsOfParsedMail, insideHours, mailOrigin, receivingHostsOf, wroteBefore } from './facts.js';
import { rulesForMailboxes } from './store.js';

export type RulesTestLine = {
  file: string;
  category: MailCategory;
  country: string | null;
  language: string | null;
  rules: string[];
  autoReply: { send: boolean; reason: string };
};

/**
 * `pier rules test`: for each mail file, what Pier would make of it in this mailbox now — its
 * category, country and language (the pure foundations), the rules that would act on its arrival
 * (as the first mail of a new conversation; schedule rules act later and are not listed) and the
 * auto-reply decision. Reads only: nothing is stored, no job is queued.
 */
export async function testMailFiles(
  deps: { db: Kysely<Database>; clock: Clock; businessHoursOf: BusinessHoursOf },
  mailbox: { id: string; imap_host: string | null; smtp_host: string | null },
  file: string,
): Promise<RulesTestLine> {
  const raw = await readFile(file);
  const parsed = await parseMail(raw);
  const { headers } = splitMessage(raw);
  const from = parsed.from?.address ?? null;
  const origin = await mailOrigin({ headers, from, subject: parsed.subject, text: parsed.text, receivingHosts: receivingHostsOf(mailbox) });
  const now = deps.clock.now();
  const fraudMail = await fraudMailFromRaw(raw);
  const fraud = assessMail(fraudMail, await loadFraudHistory(deps.db, fraudMail));
  const facts = factsOfParsedMail(parsed, origin, {
    mailboxId: mailbox.id,
    firstContact: !(await wroteBefore(deps.db, from, null, now)),
    insideBusinessHours: insideHours(await deps.businessHoursOf(deps.db, mailbox.id), now),
    fraudLevel: fraud.level,
  });
  const rules = await rulesForMailboxes(deps.db, [mailbox.id]);
  const none = new Set<string>();
  const names = [...selectRules(rules, facts, 'new-conversation', none).run, ...selectRules(rules, facts, 'message', none).run]
    .sort((a, b) => a.position - b.position)
    .map((r) => r.name);
  // The auto-reply module's decision for this mail now (decision 0031): on or off, category, own addresses, rate limits.
  const { send, reason } = await autoReplyDecisionFor(deps.db, {
    mailboxId: mailbox.id,
    from,
    category: origin.category,
    mayAutoReply: origin.mayAutoReply,
    now,
  });
  const autoReply = { send, reason };
  // Exactly the CLI contract's keys, in its order.
  return { file, category: origin.category, country: origin.country, language: origin.language, rules: names, autoReply };
}
