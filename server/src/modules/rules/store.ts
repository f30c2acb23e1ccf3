import {
  type Rule,
  type RuleAction,
  RuleActionSchema,
  type RuleCondition,
  RuleConditionSchema,
  type SaveRule,
  SaveRuleSchema,
} from '@pier/contracts';
import type { Kysely, Selectable, Transaction } from 'kysely';
import { z } from 'zod';
import { newId } from '../../db/ids.js';
import type { Database } from '../../db/schema.js';
import type { RulesTable } from '../../db/tables/rules.js';
import { AppError } from '../../errors.js';
import { type AuditActor, recordAuditBy } from '../audit/index.js';
import { accessToMailbox, includesAccess, type MailboxScope, mailboxIdsWith } from '../security/index.js';
import { assertRegexesCompile, type EvaluableRule, RuleRegexError } from './evaluate.js';

type Db = Kysely<Database> | Transaction<Database>;

/** Who manages rules: admins every rule; a mailbox manager ('manage' access) that mailbox's rules. */
export type RuleEditor = { id: string | null; role: string; scope: MailboxScope; audit: AuditActor };

const isAdmin = (editor: Pick<RuleEditor, 'role'>) => editor.role === 'admin' || editor.role === 'super_admin';

export function mayEditRule(editor: Pick<RuleEditor, 'role' | 'scope'>, mailboxId: string | null): boolean {
  if (isAdmin(editor)) return true;
  return mailboxId !== null && includesAccess(accessToMailbox(editor.scope, mailboxId), 'manage');
}

export type StoredRule = EvaluableRule & { afterWorkingHours: number | null; updatedAt: number };

const Conditions = z.array(RuleConditionSchema);
const Actions = z.array(RuleActionSchema);

function parseJson<T>(schema: z.ZodType<T>, text: string): T {
  // A row written by an older Pier that no longer parses acts as "no conditions / no actions" rather than crashing the worker.
  const parsed = schema.safeParse(JSON.parse(text));
  return parsed.success ? parsed.data : ([] as unknown as T);
}

export function ruleOfRow(row: Selectable<RulesTable>): StoredRule {
  return {
    id: row.id,
    name: row.name,
    mailboxId: row.mailbox_id,
    enabled: row.enabled === 1,
    position: Number(row.position),
    trigger: row.trigger,
    afterWorkingHours: row.after_working_hours === null ? null : Number(row.after_working_hours),
    match: row.match,
    conditions: parseJson<RuleCondition[]>(Conditions, row.conditions),
    actions: parseJson<RuleAction[]>(Actions, row.actions),
    repeat: row.repeat === 1,
    updatedAt: Number(row.updated_at),
  };
}

/** The enabled rules that can apply to mail of these mailboxes (global ones and theirs), in order. */
export async function rulesForMailboxes(db: Db, mailboxIds: string[]): Promise<StoredRule[]> {
  const rows = await db
    .selectFrom('rules')
    .selectAll()
    .where('enabled', '=', 1)
    .where((eb) =>
      mailboxIds.length === 0 ? eb('mailbox_id', 'is', null) : eb.or([eb('mailbox_id', 'is', null), eb('mailbox_id', 'in', mailboxIds)]),
    )
    .orderBy('position')
    .execute();
  return rows.map(ruleOfRow);
}

/**
 * The enabled rules a new message can trigger, of every mailbox, in order: read before the message's
 * facts, so mail no rule can apply to costs one small statement (most workspaces have few rules).
 */
export async function messageRules(db: Db): Promise<StoredRule[]> {
  const rows = await db
    .selectFrom('rules')
    .selectAll()
    .where('enabled', '=', 1)
    .where('trigger', 'in', ['new-conversation', 'message'])
    .orderBy('position')
    .execute();
  return rows.map(ruleOfRow);
}

/** The enabled schedule rules, in order. */
export async function scheduleRules(db: Db): Promise<StoredRule[]> {
  const rows = await db
    .selectFrom('rules')
    .selectAll()
    .where('enabled', '=', 1)
    .where('trigger', '=', 'schedule')
    .orderBy('position')
    .execute();
  return rows.map(ruleOfRow);
}

/** Rules the editor may see: admins all; managers the global ones (read-only) and their mailboxes'. */
export async function listRules(db: Db, editor: Pick<RuleEditor, 'role' | 'scope'>): Promise<Rule[]> {
  const rows = await db.selectFrom('rules').selectAll().orderBy('position').orderBy('id').execute();
  // Global rules are shown to admins and to who manages a mailbox (they apply there too), not to other agents.
  const managed = mailboxIdsWith(editor.scope, 'manage');
  const seesGlobal = isAdmin(editor) || managed === 'all' || managed.length > 0;
  return rows
    .map(ruleOfRow)
    .filter((r) => (r.mailboxId === null ? seesGlobal : mayEditRule(editor, r.mailboxId)))
    .map((r) => toApi(r, mayEditRule(editor, r.mailboxId)));
}

function toApi(rule: StoredRule, editable: boolean): Rule {
  const { id, name, mailboxId, enabled, position, trigger, afterWorkingHours, match, conditions, actions, repeat, updatedAt } = rule;
  return { id, name, mailboxId, enabled, position, trigger, afterWorkingHours, match, conditions, actions, repeat, editable, updatedAt };
}

/** Parses and checks a rule before it is stored or previewed: 400 with the reason, never a half-valid rule. */
export function checkRule(input: SaveRule) {
  const rule = SaveRuleSchema.parse(input);
  try {
    assertRegexesCompile(rule.conditions);
  } catch (error) {
    if (error instanceof RuleRegexError) throw new AppError('rule.regex_invalid', 400, error.message);
    throw error;
  }
  if (rule.actions.some((a) => a.type === 'forward') && rule.mailboxId === null) {
    throw new AppError(
      'rule.forward_needs_mailbox',
      400,
      'a forward action uses a forwarding rule of one mailbox: give the rule that mailbox',
    );
  }
  return rule;
}

async function assertReferences(trx: Db, rule: ReturnType<typeof checkRule>): Promise<void> {
  if (rule.mailboxId !== null) {
    const mailbox = await trx.selectFrom('mailboxes').select('id').where('id', '=', rule.mailboxId).executeTakeFirst();
    if (!mailbox) throw new AppError('mailbox.not_found', 404, 'no such mailbox');
  }
  for (const action of rule.actions) {
    if (action.type === 'forward') {
      const forwarding = await trx
        .selectFrom('forwarding_rules')
        .select('mailbox_id')
        .where('id', '=', action.forwardingRuleId)
        .executeTakeFirst();
      if (forwarding?.mailbox_id !== rule.mailboxId) {
        throw new AppError('rule.forwarding_rule_invalid', 400, 'the forward action names no forwarding rule of this mailbox');
      }
    }
  }
}

function rowValues(rule: ReturnType<typeof checkRule>) {
  return {
    mailbox_id: rule.mailboxId,
    name: rule.name,
    enabled: rule.enabled ? (1 as const) : (0 as const),
    trigger: rule.trigger,
    after_working_hours: rule.afterWorkingHours,
    match: rule.match,
    conditions: JSON.stringify(rule.conditions),
    actions: JSON.stringify(rule.actions),
    repeat: rule.repeat ? (1 as const) : (0 as const),
  };
}

function assertMayEdit(editor: RuleEditor, mailboxId: string | null) {
  if (!mayEditRule(editor, mailboxId)) {
    throw mailboxId === null
      ? new AppError('rule.forbidden', 403, 'only admins change global rules')
      : new AppError('mailbox.not_found', 404, 'no such mailbox');
  }
}

export async function createRule(db: Kysely<Database>, editor: RuleEditor, input: SaveRule): Promise<Rule> {
  const rule = checkRule(input);
  assertMayEdit(editor, rule.mailboxId);
  const id = newId();
  await db.transaction().execute(async (trx) => {
    await assertReferences(trx, rule);
    const last = await trx
      .selectFrom('rules')
      .select((eb) => eb.fn.max('position').as('max'))
      .executeTakeFirst();
    const now = Date.now();
    await trx
      .insertInto('rules')
      .values({
        id,
        ...rowValues(rule),
        position: Number(last?.max ?? 0) + 1,
        created_by: editor.id,
        created_at: now,
        updated_by: editor.id,
        updated_at: now,
      })
      .execute();
    await recordAuditBy(trx, editor.audit, {
      action: 'rule.created',
      targetType: 'rule',
      targetId: id,
      mailboxId: rule.mailboxId,
      details: { name: rule.name },
    });
  });
  return loadRule(db, editor, id);
}

async function existing(trx: Db, editor: RuleEditor, id: string) {
  const row = await trx.selectFrom('rules').selectAll().where('id', '=', id).executeTakeFirst();
  // A rule of a mailbox the editor does not manage is "not found": nothing about it leaks.
  if (!row || (row.mailbox_id !== null && !mayEditRule(editor, row.mailbox_id))) throw new AppError('rule.not_found', 404, 'no such rule');
  assertMayEdit(editor, row.mailbox_id);
  return row;
}

export async function updateRule(db: Kysely<Database>, editor: RuleEditor, id: string, input: SaveRule): Promise<Rule> {
  const rule = checkRule(input);
  assertMayEdit(editor, rule.mailboxId);
  await db.transaction().execute(async (trx) => {
    await existing(trx, editor, id);
    await assertReferences(trx, rule);
    await trx
      .updateTable('rules')
      .set({ ...rowValues(rule), updated_by: editor.id, updated_at: Date.now() })
      .where('id', '=', id)
      .execute();
    await recordAuditBy(trx, editor.audit, {
      action: 'rule.updated',
      targetType: 'rule',
      targetId: id,
      mailboxId: rule.mailboxId,
      details: { name: rule.name },
    });
  });
  return loadRule(db, editor, id);
}

export async function setRuleEnabled(db: Kysely<Database>, editor: RuleEditor, id: string, enabled: boolean): Promise<Rule> {
  await db.transaction().execute(async (trx) => {
    const row = await existing(trx, editor, id);
    await trx
      .updateTable('rules')
      .set({ enabled: enabled ? 1 : 0, updated_by: editor.id, updated_at: Date.now() })
      .where('id', '=', id)
      .execute();
    await recordAuditBy(trx, editor.audit, {
      action: enabled ? 'rule.enabled' : 'rule.disabled',
      targetType: 'rule',
      targetId: id,
      mailboxId: row.mailbox_id,
      details: { name: row.name },
    });
  });
  return loadRule(db, editor, id);
}

export async function deleteRule(db: Kysely<Database>, editor: RuleEditor, id: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const row = await existing(trx, editor, id);
    await trx.deleteFrom('rules').where('id', '=', id).execute();
    await recordAuditBy(trx, editor.audit, {
      action: 'rule.deleted',
      targetType: 'rule',
      targetId: id,
      mailboxId: row.mailbox_id,
      details: { name: row.name },
    });
  });
}

/**
 * New order: `ids` lists the rules the editor sees, in their new order; they take the positions
 * those rules held, so rules the editor cannot see keep theirs. Admins only when a global rule moves.
 */
export async function reorderRules(db: Kysely<Database>, editor: RuleEditor, ids: string[]): Promise<Rule[]> {
  if (new Set(ids).size !== ids.length) throw new AppError('rule.reorder_invalid', 400, 'each rule once');
  await db.transaction().execute(async (trx) => {
    const rows = await trx.selectFrom('rules').select(['id', 'position', 'mailbox_id']).where('id', 'in', ids).execute();
    if (rows.length !== ids.length) throw new AppError('rule.not_found', 404, 'no such rule');
    for (const row of rows) {
      if (!mayEditRule(editor, row.mailbox_id)) {
        throw row.mailbox_id === null
          ? new AppError('rule.forbidden', 403, 'only admins move global rules')
          : new AppError('rule.not_found', 404, 'no such rule');
      }
    }
    const positions = rows.map((r) => Number(r.position)).sort((a, b) => a - b);
    for (const [index, id] of ids.entries()) {
      await trx
        .updateTable('rules')
        .set({ position: positions[index] ?? index })
        .where('id', '=', id)
        .execute();
    }
    await recordAuditBy(trx, editor.audit, { action: 'rule.reordered', targetType: 'rule', details: { ids } });
  });
  return listRules(db, editor);
}

async function loadRule(db: Db, editor: RuleEditor, id: string): Promise<Rule> {
  const row = await db.selectFrom('rules').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  return toApi(ruleOfRow(row), mayEditRule(editor, row.mailbox_id));
}
