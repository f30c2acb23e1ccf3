import type { MailboxAccess, MailboxRoutes } from '@pier/contracts';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { type AuditActor, recordAuditBy } from '../audit/index.js';
import { grantMailboxAccessIn, revokeMailboxAccessIn } from '../mailboxes/index.js';
import { accessToMailbox, includesAccess, mailboxScopeFor } from '../security/index.js';
import { applyAssignment } from './actions.js';
import { pickAgent, type RoutingCandidate } from './routing-pick.js';

/** Which team each mailbox routes its new conversations to. */
export async function listMailboxRoutes(db: Kysely<Database>): Promise<MailboxRoutes> {
  const rows = await db.selectFrom('mailbox_routes').select(['mailbox_id', 'team_id']).orderBy('mailbox_id').execute();
  return { items: rows.map((r) => ({ mailboxId: r.mailbox_id, teamId: r.team_id })) };
}

/** Routes a mailbox's new conversations to a team, or nowhere (null). Audited as `mailbox.routing_changed`. */
export async function setMailboxRoute(db: Kysely<Database>, mailboxId: string, teamId: string | null, actor: AuditActor): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('mailbox_routes').select('team_id').where('mailbox_id', '=', mailboxId).executeTakeFirst();
    if ((before?.team_id ?? null) === teamId) return;
    const names = async (id: string | null | undefined) =>
      id ? ((await trx.selectFrom('teams').select('name').where('id', '=', id).executeTakeFirst())?.name ?? null) : null;
    const after = await names(teamId);
    if (teamId && after === null) throw new AppError('team.not_found', 404, 'no such team');
    if (teamId === null) await trx.deleteFrom('mailbox_routes').where('mailbox_id', '=', mailboxId).execute();
    else {
      await trx
        .insertInto('mailbox_routes')
        .values({ mailbox_id: mailboxId, team_id: teamId })
        .onConflict((oc) => oc.column('mailbox_id').doUpdateSet({ team_id: teamId }))
        .execute();
    }
    await recordAuditBy(trx, actor, {
      action: 'mailbox.routing_changed',
      targetType: 'mailbox',
      targetId: mailboxId,
      mailboxId,
      details: { before: await names(before?.team_id), after },
    });
  });
}

/**
 * Adds a team to a mailbox's access: each current member gets `access` (one audited grant each,
 * naming the team), in one transaction. Later members do not inherit it (decision 0034).
 */
export async function grantTeamMailboxAccess(
  db: Kysely<Database>,
  mailboxId: string,
  teamId: string,
  access: MailboxAccess,
  actor: AuditActor,
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const team = await trx.selectFrom('teams').select('name').where('id', '=', teamId).executeTakeFirst();
    if (!team) throw new AppError('team.not_found', 404, 'no such team');
    const members = await trx.selectFrom('team_members').select('user_id').where('team_id', '=', teamId).orderBy('user_id').execute();
    for (const m of members) await grantMailboxAccessIn(trx, m.user_id, mailboxId, access, actor, { team: team.name });
    return members.length;
  });
}

/** Removes a team from a mailbox's access: each current member's grant goes (one audited revocation each). */
export async function revokeTeamMailboxAccess(db: Kysely<Database>, mailboxId: string, teamId: string, actor: AuditActor): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const team = await trx.selectFrom('teams').select('name').where('id', '=', teamId).executeTakeFirst();
    if (!team) throw new AppError('team.not_found', 404, 'no such team');
    const members = await trx.selectFrom('team_members').select('user_id').where('team_id', '=', teamId).orderBy('user_id').execute();
    let revoked = 0;
    for (const m of members) if (await revokeMailboxAccessIn(trx, m.user_id, mailboxId, actor, { team: team.name })) revoked++;
    return revoked;
  });
}

export type RoutingOutcome = { teamId: string; assigneeId: string | null } | null;

/**
 * Routes a conversation that just arrived in `mailboxId` (mail groups, decision 0034): to the
 * mailbox's team, and to one of its members by the team's mode. One transaction that first bumps
 * the team's `routing_seq`: on PostgreSQL that row lock makes concurrent routings of one team (two
 * nodes, two mails) wait for each other, so each sees the cursor and open counts the other left;
 * SQLite runs one transaction at a time anyway. Routed once per conversation (conversation_routing),
 * and only while nobody assigned it or gave it a team. The assignment goes through applyAssignment:
 * the same events and notification as a person's.
 */
export async function routeNewConversation(
  db: Kysely<Database>,
  input: { conversationId: string; mailboxId: string },
  now: number,
): Promise<RoutingOutcome> {
  const route = await db.selectFrom('mailbox_routes').select('team_id').where('mailbox_id', '=', input.mailboxId).executeTakeFirst();
  if (!route) return null;
  return db.transaction().execute(async (trx) => {
    const locked = await trx
      .updateTable('teams')
      .set((eb) => ({ routing_seq: eb('routing_seq', '+', 1) }))
      .where('id', '=', route.team_id)
      .executeTakeFirst();
    if (Number(locked.numUpdatedRows) === 0) return null;
    const done = await trx
      .selectFrom('conversation_routing')
      .select('conversation_id')
      .where('conversation_id', '=', input.conversationId)
      .executeTakeFirst();
    if (done) return null;
    const conversation = await trx
      .selectFrom('conversations')
      .select(['status', 'assignee_id', 'team_id', 'spam'])
      .where('id', '=', input.conversationId)
      .executeTakeFirst();
    if (conversation?.status !== 'open' || conversation.spam === 1) return null;
    if (conversation.assignee_id !== null || conversation.team_id !== null) return null;

    const team = await trx
      .selectFrom('teams')
      .select(['id', 'name', 'routing', 'open_cap', 'rr_cursor'])
      .where('id', '=', route.team_id)
      .executeTakeFirstOrThrow();
    const candidates = await routingCandidates(trx, team.id, input.mailboxId);
    const assigneeId = pickAgent(team.routing, candidates, team.rr_cursor, team.open_cap);
    await applyAssignment(
      trx,
      { id: null, name: team.name, via: 'routing' },
      input.conversationId,
      { teamId: team.id, ...(assigneeId ? { assigneeId } : {}) },
      now,
    );
    if (assigneeId) await trx.updateTable('teams').set({ rr_cursor: assigneeId }).where('id', '=', team.id).execute();
    await trx
      .insertInto('conversation_routing')
      .values({
        conversation_id: input.conversationId,
        mailbox_id: input.mailboxId,
        team_id: team.id,
        assignee_id: assigneeId,
        routed_at: now,
        escalated_at: null,
      })
      .execute();
    return { teamId: team.id, assigneeId };
  });
}

/** Members not away, active, not auditors, with reply access to the mailbox; with their open conversations. */
async function routingCandidates(db: Kysely<Database>, teamId: string, mailboxId: string): Promise<RoutingCandidate[]> {
  const members = await db
    .selectFrom('team_members as tm')
    .innerJoin('users as u', 'u.id', 'tm.user_id')
    .select(['u.id', 'u.role'])
    .where('tm.team_id', '=', teamId)
    .where('tm.away', '=', 0)
    .where('u.status', '=', 'active')
    .where('u.role', '!=', 'auditor')
    .orderBy('u.id')
    .execute();
  if (members.length === 0) return [];
  const ids = members.map((m) => m.id);
  const [grants, counts] = await Promise.all([
    db.selectFrom('mailbox_access').select(['user_id', 'access']).where('mailbox_id', '=', mailboxId).where('user_id', 'in', ids).execute(),
    db
      .selectFrom('conversations')
      .select((eb) => ['assignee_id', eb.fn.countAll<number>().as('n')])
      .where('status', '=', 'open')
      .where('assignee_id', 'in', ids)
      .groupBy('assignee_id')
      .execute(),
  ]);
  return members
    .filter((m) => {
      const grant = grants.find((g) => g.user_id === m.id);
      const scope = mailboxScopeFor(m.role, new Map(grant ? [[mailboxId, grant.access]] : []));
      return includesAccess(accessToMailbox(scope, mailboxId), 'reply');
    })
    .map((m) => ({ userId: m.id, open: Number(counts.find((c) => c.assignee_id === m.id)?.n ?? 0) }));
}
