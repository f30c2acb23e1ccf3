import { z } from 'zod';
import { MailboxAccessSchema } from './auth.js';

/**
 * Settings → mailboxes → access (decision 0034): who may read, reply to or manage one mailbox, and
 * a team added at once (each member's grant). Admins and super admins see every mailbox without a grant.
 */
export const MailboxAccessListSchema = z.object({
  people: z.array(
    z.object({
      userId: z.string(),
      name: z.string(),
      email: z.string(),
      role: z.enum(['super_admin', 'admin', 'agent', 'auditor']),
      access: MailboxAccessSchema,
    }),
  ),
});
export type MailboxAccessList = z.infer<typeof MailboxAccessListSchema>;

export const MailboxUserParamsSchema = z.object({ id: z.string().min(1).max(64), userId: z.string().min(1).max(64) });
export const MailboxTeamParamsSchema = z.object({ id: z.string().min(1).max(64), teamId: z.string().min(1).max(64) });
export const GrantAccessRequestSchema = z.object({ access: MailboxAccessSchema });
export const MailboxRouteRequestSchema = z.object({ teamId: z.string().min(1).max(64).nullable() });

/** GET /api/access/whom-to-ask — the names of the people who can give mailbox access; nothing else. */
export const WhomToAskSchema = z.object({ names: z.array(z.string()) });
export type WhomToAsk = z.infer<typeof WhomToAskSchema>;

/** POST /api/mailboxes/:id/access/teams — grants every current member of a team (one audited grant each). */
export const GrantTeamAccessRequestSchema = z.object({ teamId: z.string().min(1).max(64), access: MailboxAccessSchema });
/** The team each mailbox routes new conversations to (mail groups); a mailbox not listed routes nowhere. */
export const MailboxRoutesSchema = z.object({ items: z.array(z.object({ mailboxId: z.string(), teamId: z.string() })) });
export type MailboxRoutes = z.infer<typeof MailboxRoutesSchema>;
