import type { Team, TeamRouting } from '@pier/contracts';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { type AuditActor, recordAuditBy } from '../audit/index.js';

type Trx = Transaction<Database>;

/** What a team decides about routing (decision 0034); the fields of Team beyond name and members. */
export type TeamSettings = { leadId: string | null; routing: TeamRouting; openCap: number | null; escalateAfterHours: number | null };

/** A lead is an active person who is not an auditor (they are told to act on the team's pool). */
export async function checkLead(trx: Trx, userId: string): Promise<void> {
  const user = await trx.selectFrom('users').select(['role', 'status']).where('id', '=', userId).executeTakeFirst();
  if (user?.status !== 'active' || user.role === 'auditor') {
    throw new AppError('team.lead_invalid', 400, 'the lead must be an active person who is not an auditor');
  }
}

async function emailOf(trx: Trx, userId: string | null): Promise<string | null> {
  if (!userId) return null;
  return (await trx.selectFrom('users').select('email').where('id', '=', userId).executeTakeFirst())?.email ?? null;
}

/** `team.lead_changed` and `team.settings_changed` (before/after of what changed), each only when something did. */
export async function auditSettings(trx: Trx, actor: AuditActor, after: Team, before: TeamSettings): Promise<void> {
  const base = { targetType: 'team', targetId: after.id } as const;
  if (after.leadId !== before.leadId) {
    await recordAuditBy(trx, actor, {
      ...base,
      action: 'team.lead_changed',
      details: { team: after.name, before: await emailOf(trx, before.leadId), after: await emailOf(trx, after.leadId) },
    });
  }
  const changed = (['routing', 'openCap', 'escalateAfterHours'] as const).filter((key) => after[key] !== before[key]);
  if (changed.length > 0) {
    await recordAuditBy(trx, actor, {
      ...base,
      action: 'team.settings_changed',
      details: {
        team: after.name,
        before: Object.fromEntries(changed.map((key) => [key, before[key]])),
        after: Object.fromEntries(changed.map((key) => [key, after[key]])),
      },
    });
  }
}

/**
 * Marks a member away (routing skips them) or back. Admins may change anyone; a member themselves
 * and the team's lead may too (the lead covers holidays). Audited as `team.member_away` / `team.member_back`.
 */
export async function setMemberAway(
  db: Kysely<Database>,
  teamId: string,
  change: { userId: string; away: boolean },
  actor: AuditActor & { role: string },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const team = await trx.selectFrom('teams').select(['id', 'name', 'lead_id']).where('id', '=', teamId).executeTakeFirst();
    if (!team) throw new AppError('team.not_found', 404, 'no such team');
    const admin = actor.role === 'super_admin' || actor.role === 'admin';
    if (!admin && actor.actorId !== change.userId && actor.actorId !== team.lead_id) {
      throw new AppError('auth.forbidden', 403, 'only an admin, the member or the team lead can change this');
    }
    const member = await trx
      .selectFrom('team_members')
      .select('away')
      .where('team_id', '=', teamId)
      .where('user_id', '=', change.userId)
      .executeTakeFirst();
    if (!member) throw new AppError('team.member_not_found', 404, 'this person is not in the team');
    const away = change.away ? 1 : 0;
    if (member.away === away) return;
    await trx.updateTable('team_members').set({ away }).where('team_id', '=', teamId).where('user_id', '=', change.userId).execute();
    await recordAuditBy(trx, actor, {
      targetType: 'team',
      targetId: teamId,
      action: change.away ? 'team.member_away' : 'team.member_back',
      details: { team: team.name, memberId: change.userId, member: await emailOf(trx, change.userId) },
    });
  });
}
