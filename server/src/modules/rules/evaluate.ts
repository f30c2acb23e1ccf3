import type { FraudLevel, MailCategory, RuleAction, RuleCondition, RuleTrigger } from '@pier/contracts';
import { RE2JS } from 're2js';

/**
 * The pure half of rules (decision 0032): what is known about a mail and its conversation
 * (facts), and which rules match them. No database, no clock: effects.ts acts on the answer.
 */
export type RuleFacts = {
  from: string | null;
  fromName: string | null;
  to: string[];
  cc: string[];
  subject: string;
  body: string;
  language: string | null;
  country: string | null;
  category: MailCategory;
  /** The sender never wrote to the workspace before this mail. */
  firstContact: boolean;
  attachments: { mime: string; filename: string }[];
  /** null: not assessed yet (the fraud check runs beside the rules). */
  fraudLevel: FraudLevel | null;
  /** Under the mailbox's business hours at the mail's arrival (or, for schedule rules, now). */
  insideBusinessHours: boolean;
  mailboxIds: string[];
  tags: string[];
};

export type EvaluableRule = {
  id: string;
  name: string;
  mailboxId: string | null;
  enabled: boolean;
  position: number;
  trigger: RuleTrigger;
  match: 'all' | 'any';
  conditions: RuleCondition[];
  actions: RuleAction[];
  repeat: boolean;
};

/** Regexes run on at most this many characters of a field: RE2 is linear, this bounds the constant. */
export const REGEX_INPUT_LIMIT = 64 * 1024;

const compiled = new Map<string, RE2JS>();

/** RE2 syntax (no backreferences or lookaround, linear time); throws RuleRegexError on a bad pattern. */
export function compileRuleRegex(pattern: string): RE2JS {
  let regex = compiled.get(pattern);
  if (!regex) {
    try {
      regex = RE2JS.compile(pattern, RE2JS.CASE_INSENSITIVE);
    } catch (error) {
      throw new RuleRegexError(pattern, error instanceof Error ? error.message : String(error));
    }
    // A small bounded cache: the same rules run for every mail.
    if (compiled.size >= 500) compiled.clear();
    compiled.set(pattern, regex);
  }
  return regex;
}

export class RuleRegexError extends Error {
  constructor(
    readonly pattern: string,
    reason: string,
  ) {
    super(`invalid regex ${JSON.stringify(pattern)}: ${reason}`);
  }
}

const lower = (s: string | null | undefined) => (s ?? '').toLowerCase();
const domainOf = (address: string | null) => lower(address).split('@')[1] ?? '';

function textsOf(field: Extract<RuleCondition, { op: string }>['field'], facts: RuleFacts): string[] {
  switch (field) {
    case 'from':
      return [lower(facts.from)];
    case 'domain':
      return [domainOf(facts.from)];
    case 'display-name':
      return [lower(facts.fromName)];
    case 'to-cc':
      return [...facts.to, ...facts.cc].map(lower);
    case 'subject':
      return [lower(facts.subject)];
    case 'body':
      return [lower(facts.body)];
    case 'subject-or-body':
      return [lower(facts.subject), lower(facts.body)];
  }
}

function textMatches(condition: Extract<RuleCondition, { op: string }>, facts: RuleFacts): boolean {
  const texts = textsOf(condition.field, facts);
  const values = condition.values.map((v) => v.toLowerCase());
  switch (condition.op) {
    case 'is':
      // A domain rule "example.com" also takes its subdomains (mail.example.com).
      if (condition.field === 'domain') return texts.some((t) => values.some((v) => t === v || t.endsWith(`.${v}`)));
      return texts.some((t) => values.includes(t));
    case 'words':
      return texts.some((t) => values.some((v) => t.includes(v)));
    case 'regex':
      return texts.some((t) => condition.values.some((v) => compileRuleRegex(v).matcher(t.slice(0, REGEX_INPUT_LIMIT)).find()));
  }
}

function attachmentMatches(types: string[], attachments: RuleFacts['attachments']): boolean {
  if (types.length === 0) return attachments.length > 0;
  return attachments.some(({ mime, filename }) => {
    const m = lower(mime);
    const extension = lower(filename).split('.').pop() ?? '';
    return types.some((t) =>
      t.endsWith('/*') ? m.startsWith(t.slice(0, -1)) : t.includes('/') ? m === t : extension === t.replace(/^\./, ''),
    );
  });
}

/** Whether one condition holds; `undefined` when a fact it needs is not known yet (fraud level). */
export function conditionHolds(condition: RuleCondition, facts: RuleFacts): boolean | undefined {
  switch (condition.field) {
    case 'language':
      return facts.language !== null && condition.values.includes(facts.language);
    case 'country':
      return facts.country !== null && condition.values.includes(facts.country);
    case 'contact':
      return facts.firstContact === (condition.value === 'first');
    case 'attachment':
      return attachmentMatches(condition.types, facts.attachments);
    case 'fraud-level':
      return facts.fraudLevel === null ? undefined : condition.values.includes(facts.fraudLevel);
    case 'category':
      return condition.values.includes(facts.category);
    case 'business-hours':
      return facts.insideBusinessHours === (condition.value === 'inside');
    case 'mailbox':
      return facts.mailboxIds.some((id) => condition.values.includes(id));
    case 'tag':
      return facts.tags.some((t) => condition.values.includes(t));
    default:
      return textMatches(condition, facts);
  }
}

/**
 * Whether the rule's conditions hold: all of them, or any of them; a rule without conditions
 * matches every mail. `undefined` when the answer depends on a fact not known yet.
 */
export function ruleMatches(rule: Pick<EvaluableRule, 'match' | 'conditions'>, facts: RuleFacts): boolean | undefined {
  if (rule.conditions.length === 0) return true;
  let unknown = false;
  for (const condition of rule.conditions) {
    const holds = conditionHolds(condition, facts);
    if (holds === undefined) unknown = true;
    else if (rule.match === 'any' && holds) return true;
    else if (rule.match === 'all' && !holds) return false;
  }
  return unknown ? undefined : rule.match === 'all';
}

export type RuleSelection<R extends EvaluableRule> = { run: R[]; waiting: R[] };

/**
 * The rules to run for one trigger, in order: enabled, of this trigger, global or of one of the
 * mail's mailboxes, not yet acted on this conversation (unless they repeat), matching. `waiting`
 * are those whose answer needs a fact not known yet; the caller tries again later.
 */
export function selectRules<R extends EvaluableRule>(
  rules: readonly R[],
  facts: RuleFacts,
  trigger: RuleTrigger,
  actedOnce: ReadonlySet<string>,
): RuleSelection<R> {
  const run: R[] = [];
  const waiting: R[] = [];
  const ordered = [...rules].sort((a, b) => a.position - b.position || (a.id < b.id ? -1 : 1));
  for (const rule of ordered) {
    if (!rule.enabled || rule.trigger !== trigger) continue;
    if (rule.mailboxId !== null && !facts.mailboxIds.includes(rule.mailboxId)) continue;
    if (!rule.repeat && actedOnce.has(rule.id)) continue;
    const matched = ruleMatches(rule, facts);
    if (matched === undefined) waiting.push(rule);
    else if (matched) run.push(rule);
  }
  return { run, waiting };
}

/** Checks every regex of a rule compiles (for a 400 with the pattern named, before saving). */
export function assertRegexesCompile(conditions: readonly RuleCondition[]): void {
  for (const condition of conditions) {
    if ('op' in condition && condition.op === 'regex') for (const pattern of condition.values) compileRuleRegex(pattern);
  }
}
