import type { OpenConversations } from '@pier/contracts';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { conversationMailboxIds, updateWorkState } from '../conversations/index.js';
import { bestAccess, includesAccess } from '../security/index.js';
import { findUserById } from '../workspace/index.js';
import { scopeOfUser } from './access.js';
import { recordEvent } from './events.js';

type Db = Kysely<Database> | Transaction<Database>;

export type HandoverTarget = { userId: string } | { teamId: string };
export type HandoverResult = {
  open: number;
  reassigned: number;
  unassigned: number;
  /** Who or which team received them, as the audit record names it. */
  to?: { userId: string; user: string } | { teamId: string; team: string };
  /** Every conversation that changed: the live channel tells open browsers after commit. */
  conversationIds: string[];
};

/** A user's open (not closed) conversations, by team: what deactivating them hands over. */
export async function openConversationsOf(db: Db, userId: string): Promise<OpenConversations> {
  const rows = await db
    .selectFrom('conversations as c')
    .leftJoin('teams as t', 't.id', 'c.team_id')
    .select((eb) => ['c.team_id', 't.name', eb.fn.countAll<number>().as('n')])
    .where('c.assignee_id', '=', userId)
    .where('c.status', '!=', 'closed')
    .groupBy(['c.team_id', 't.name'])
    .execute();
  const teams = rows
    .filter((r) => r.team_id !== null && r.name !== null)
    .map((r) => ({ teamId: r.team_id as string, name: r.name as string, count: Number(r.n) }))
    .sort((a, b) => a.name.localeCompare(b.name));
  const withoutTeam = rows.filter((r) => r.team_id === null || r.name === null).reduce((sum, r) => sum + Number(r.n), 0);
  return { open: teams.reduce((sum, t) => sum + t.count, 0) + withoutTeam, teams, withoutTeam };
}

/**
 * Hands the open conversations of a user who leaves to the colleague or team the admin chose, in
 * the caller's transaction (security's deactivation passes this in through compose), with the
 * timeline event of each change (decision 0011), as if the admin had assigned them one by one:
 * - to a colleague: those in a mailbox where the colleague may reply; the others are unassigned;
 * - to a team: all of them, unassigned, in that team's queue;
 * - to nobody: all unassigned; they keep their team and wait in its queue (or the unassigned one).
 */
export async function handOverConversations(
  trx: Transaction<Database>,
  input: { fromUserId: string; actorId: string; to?: HandoverTarget | undefined },
): Promise<HandoverResult> {
  const open = await trx
    .selectFrom('conversations')
    .select(['id', 'team_id'])
    .where('assignee_id', '=', input.fromUserId)
    .where('status', '!=', 'closed')
    .orderBy('id')
    .execute();
  const leaving = await findUserById(trx, input.fromUserId);
  const previous = { id: input.fromUserId, name: leaving?.name ?? '' };
  const now = Date.now();
  let to: HandoverResult['to'];
  let mayTake: (conversationId: string) => Promise<boolean> = async () => false;
  let colleague: { id: string; name: string } | undefined;
  let team: { id: string; name: string } | undefined;

  if (input.to && 'userId' in input.to) {
    const user = await findUserById(trx, input.to.userId);
    const scoped = user?.status === 'active' && user.id !== input.fromUserId ? await scopeOfUser(trx, user.id) : undefined;
    if (!user || !scoped || scoped.role === 'auditor') {
      throw new AppError('request.invalid', 400, 'choose an active colleague who may reply (not an auditor, not the user deactivated)');
    }
    colleague = { id: user.id, name: user.name };
    to = { userId: user.id, user: user.email };
    mayTake = async (id) => includesAccess(bestAccess(scoped.scope, await conversationMailboxIds(trx, id)), 'reply');
  } else if (input.to && 'teamId' in input.to) {
    team = await trx.selectFrom('teams').select(['id', 'name']).where('id', '=', input.to.teamId).executeTakeFirst();
    if (!team) throw new AppError('team.not_found', 404, 'no such team');
    to = { teamId: team.id, team: team.name };
  }

  let reassigned = 0;
  for (const conversation of open) {
    const conversationId = conversation.id;
    if (colleague && (await mayTake(conversationId))) {
      await updateWorkState(trx, conversationId, { assignee_id: colleague.id }, { at: now });
      await recordEvent(trx, { conversationId, actorId: input.actorId, type: 'assigned', data: { assignee: colleague }, at: now });
      reassigned++;
      continue;
    }
    await updateWorkState(trx, conversationId, team ? { assignee_id: null, team_id: team.id } : { assignee_id: null }, { at: now });
    await recordEvent(trx, { conversationId, actorId: input.actorId, type: 'unassigned', data: { previous }, at: now });
    if (team) {
      if (conversation.team_id !== team.id) {
        await recordEvent(trx, { conversationId, actorId: input.actorId, type: 'team', data: { team }, at: now });
      }
      reassigned++;
    }
  }
  return {
    open: open.length,
    reassigned,
    unassigned: open.length - reassigned,
    ...(to ? { to } : {}),
    conversationIds: open.map((c) => c.id),
  };
}
