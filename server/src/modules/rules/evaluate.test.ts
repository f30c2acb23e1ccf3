import type { RuleCondition } from '@pier/contracts';
import { describe, expect, it } from 'vitest';
import {
  assertRegexesCompile,
  conditionHolds,
  type EvaluableRule,
  type RuleFacts,
  RuleRegexError,
  ruleMatches,
  selectRules,
} from './evaluate.js';

const facts = (over: Partial<RuleFacts> = {}): RuleFacts => ({
  from: 'Hans.Mueller@Kunde.de',
  fromName: 'Hans Müller',
  to: ['sales@pier.test'],
  cc: ['boss@kunde.de'],
  subject: 'Anfrage: LED Panel price',
  body: 'Bitte senden Sie uns Ihr bestes Angebot für 2000 Stück.',
  language: 'de',
  country: 'DE',
  category: 'person',
  firstContact: true,
  attachments: [{ mime: 'application/pdf', filename: 'RFQ.PDF' }],
  fraudLevel: 'none',
  insideBusinessHours: true,
  mailboxIds: ['mb-sales'],
  tags: [],
  ...over,
});

const rule = (over: Partial<EvaluableRule> = {}): EvaluableRule => ({
  id: 'r1',
  name: 'r1',
  mailboxId: null,
  enabled: true,
  position: 1,
  trigger: 'message',
  match: 'all',
  conditions: [],
  actions: [{ type: 'tag', tag: 'x' }],
  repeat: false,
  ...over,
});

const holds = (c: RuleCondition, f = facts()) => conditionHolds(c, f);

describe('conditions', () => {
  it('text fields: words (substring, case-insensitive), is, regex', () => {
    expect(holds({ field: 'from', op: 'is', values: ['hans.mueller@kunde.de'] })).toBe(true);
    expect(holds({ field: 'from', op: 'is', values: ['hans@kunde.de'] })).toBe(false);
    expect(holds({ field: 'domain', op: 'is', values: ['kunde.de'] })).toBe(true);
    expect(holds({ field: 'domain', op: 'is', values: ['de'] })).toBe(true);
    expect(holds({ field: 'domain', op: 'is', values: ['unde.de'] })).toBe(false);
    expect(holds({ field: 'display-name', op: 'words', values: ['müller'] })).toBe(true);
    expect(holds({ field: 'to-cc', op: 'words', values: ['boss@'] })).toBe(true);
    expect(holds({ field: 'to-cc', op: 'is', values: ['SALES@pier.test'] })).toBe(true);
    expect(holds({ field: 'subject', op: 'words', values: ['price', 'quote'] })).toBe(true);
    expect(holds({ field: 'subject', op: 'words', values: ['quote'] })).toBe(false);
    expect(holds({ field: 'body', op: 'words', values: ['ANGEBOT'] })).toBe(true);
    expect(holds({ field: 'subject-or-body', op: 'regex', values: ['\\b\\d{4} stück'] })).toBe(true);
    expect(holds({ field: 'subject', op: 'regex', values: ['^anfrage:'] })).toBe(true);
    expect(holds({ field: 'subject', op: 'regex', values: ['^price'] })).toBe(false);
  });

  it('CJK words match without spaces', () => {
    const f = facts({ subject: '询价：LED面板', body: '请报最低价格' });
    expect(holds({ field: 'subject-or-body', op: 'words', values: ['价格'] }, f)).toBe(true);
    expect(holds({ field: 'subject', op: 'regex', values: ['询价'] }, f)).toBe(true);
  });

  it('a catastrophic-backtracking pattern runs in linear time (RE2) on a long body', () => {
    const f = facts({ body: `${'a'.repeat(50_000)}!` });
    const started = process.cpuUsage();
    expect(holds({ field: 'body', op: 'regex', values: ['^(a+)+$'] }, f)).toBe(false);
    const used = process.cpuUsage(started);
    // A backtracking engine needs ~2^50000 steps here; RE2 stays well under a second of CPU.
    expect((used.user + used.system) / 1000).toBeLessThan(2000);
  });

  it('RE2 refuses backreferences and lookaround with a clear error', () => {
    expect(() => assertRegexesCompile([{ field: 'body', op: 'regex', values: ['(a)\\1'] }])).toThrow(RuleRegexError);
    expect(() => assertRegexesCompile([{ field: 'body', op: 'regex', values: ['(?=x)'] }])).toThrow(/invalid regex/);
    expect(() => assertRegexesCompile([{ field: 'body', op: 'regex', values: ['ok|fine'] }])).not.toThrow();
  });

  it('language, country, category, contact, business hours, mailbox, tag', () => {
    expect(holds({ field: 'language', values: ['de', 'fr'] })).toBe(true);
    expect(holds({ field: 'language', values: ['en'] }, facts({ language: null }))).toBe(false);
    expect(holds({ field: 'country', values: ['DE'] })).toBe(true);
    expect(holds({ field: 'country', values: ['DE'] }, facts({ country: null }))).toBe(false);
    expect(holds({ field: 'category', values: ['bulk', 'notification'] })).toBe(false);
    expect(holds({ field: 'category', values: ['bulk'] }, facts({ category: 'bulk' }))).toBe(true);
    expect(holds({ field: 'contact', value: 'first' })).toBe(true);
    expect(holds({ field: 'contact', value: 'known' })).toBe(false);
    expect(holds({ field: 'business-hours', value: 'outside' })).toBe(false);
    expect(holds({ field: 'business-hours', value: 'outside' }, facts({ insideBusinessHours: false }))).toBe(true);
    expect(holds({ field: 'mailbox', values: ['mb-info', 'mb-sales'] })).toBe(true);
    expect(holds({ field: 'tag', values: ['vip'] })).toBe(false);
    expect(holds({ field: 'tag', values: ['vip'] }, facts({ tags: ['vip'] }))).toBe(true);
  });

  it('attachments: any, by extension (case-insensitive), exact MIME type, MIME family', () => {
    expect(holds({ field: 'attachment', types: [] })).toBe(true);
    expect(holds({ field: 'attachment', types: [] }, facts({ attachments: [] }))).toBe(false);
    expect(holds({ field: 'attachment', types: ['pdf'] })).toBe(true);
    expect(holds({ field: 'attachment', types: ['.pdf'] })).toBe(true);
    expect(holds({ field: 'attachment', types: ['docx'] })).toBe(false);
    expect(holds({ field: 'attachment', types: ['application/pdf'] })).toBe(true);
    expect(holds({ field: 'attachment', types: ['application/*'] })).toBe(true);
    expect(holds({ field: 'attachment', types: ['image/*'] })).toBe(false);
  });

  it('fraud level is unknown until assessed', () => {
    expect(holds({ field: 'fraud-level', values: ['high'] }, facts({ fraudLevel: null }))).toBeUndefined();
    expect(holds({ field: 'fraud-level', values: ['high', 'warn'] }, facts({ fraudLevel: 'warn' }))).toBe(true);
    expect(holds({ field: 'fraud-level', values: ['high'] })).toBe(false);
  });
});

describe('all / any', () => {
  const yes: RuleCondition = { field: 'country', values: ['DE'] };
  const no: RuleCondition = { field: 'country', values: ['CN'] };
  const unknown: RuleCondition = { field: 'fraud-level', values: ['high'] };
  const f = facts({ fraudLevel: null });

  it('no conditions matches every mail', () => {
    expect(ruleMatches({ match: 'all', conditions: [] }, f)).toBe(true);
    expect(ruleMatches({ match: 'any', conditions: [] }, f)).toBe(true);
  });
  it('all needs every one; a false one decides even beside an unknown one', () => {
    expect(ruleMatches({ match: 'all', conditions: [yes, yes] }, f)).toBe(true);
    expect(ruleMatches({ match: 'all', conditions: [yes, no] }, f)).toBe(false);
    expect(ruleMatches({ match: 'all', conditions: [unknown, no] }, f)).toBe(false);
    expect(ruleMatches({ match: 'all', conditions: [unknown, yes] }, f)).toBeUndefined();
  });
  it('any needs one; a true one decides even beside an unknown one', () => {
    expect(ruleMatches({ match: 'any', conditions: [no, yes] }, f)).toBe(true);
    expect(ruleMatches({ match: 'any', conditions: [no, no] }, f)).toBe(false);
    expect(ruleMatches({ match: 'any', conditions: [unknown, yes] }, f)).toBe(true);
    expect(ruleMatches({ match: 'any', conditions: [unknown, no] }, f)).toBeUndefined();
  });
});

describe('selectRules', () => {
  it('orders by position, keeps trigger, mailbox scope and enabled, and acts once unless repeat', () => {
    const rules = [
      rule({ id: 'c', position: 3 }),
      rule({ id: 'a', position: 1 }),
      rule({ id: 'b', position: 2, mailboxId: 'mb-info' }),
      rule({ id: 'd', position: 4, trigger: 'new-conversation' }),
      rule({ id: 'e', position: 5, enabled: false }),
      rule({ id: 'f', position: 6, mailboxId: 'mb-sales', conditions: [{ field: 'country', values: ['CN'] }] }),
      rule({ id: 'g', position: 0, repeat: true }),
      rule({ id: 'h', position: 7, conditions: [{ field: 'fraud-level', values: ['high'] }] }),
    ];
    const { run, waiting } = selectRules(rules, facts({ fraudLevel: null }), 'message', new Set(['a', 'g']));
    expect(run.map((r) => r.id)).toEqual(['g', 'c']);
    expect(waiting.map((r) => r.id)).toEqual(['h']);
    expect(selectRules(rules, facts(), 'new-conversation', new Set()).run.map((r) => r.id)).toEqual(['d']);
  });
});
