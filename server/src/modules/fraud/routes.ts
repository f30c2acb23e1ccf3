import {
  ApprovalDecisionInputSchema,
  ContactPhoneInputSchema,
  ContactPhoneSchema,
  type ConversationFraud,
  ConversationFraudSchema,
  FraudFlagClearInputSchema,
  FraudMarkersQuerySchema,
  FraudMarkersSchema,
  MailboxFraudSettingsSchema,
  PendingApprovalSchema,
  PhoneConfirmationInputSchema,
  PhoneConfirmationSchema,
  TrustedPartyInputSchema,
  TrustedPartyListSchema,
  TrustedPartyRevokeInputSchema,
} from '@pier/contracts';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import type { BlobStore } from '../../storage/blob-store.js';
import { recordAudit } from '../audit/index.js';
import { conversationAccess } from '../conversations/index.js';
import { bestAccess, requireAuth } from '../security/index.js';
import { conversationApprovals, decideApproval, type SettleAwaitingApproval } from './approvals.js';
import { clearFraudFlag } from './clear-flag.js';
import { conversationContacts, setContactPhone } from './contact-phone.js';
import { fraudMarkers, selectConversationAssessments, selectPhoneConfirmations } from './fraud-queries.js';
import { secondApproverRequired } from './gates.js';
import { callableContacts, phoneConfirmationStatus, recordPhoneConfirmation } from './phone-confirmation.js';
import { listTrustedParties, markPartyTrusted, revokeTrustedParty } from './trusted-parties.js';
import type { FraudSignal } from './types.js';

const ParamsSchema = z.object({ id: z.string().min(1).max(100) });
const admins = ['super_admin', 'admin'] as const;
const mailboxFromParams = (request: FastifyRequest) => (request.params as { id?: string }).id;

export async function conversationFraud(db: Kysely<Database>, conversationId: string): Promise<ConversationFraud> {
  const [rows, status, confirmations, contacts] = await Promise.all([
    selectConversationAssessments(db, conversationId),
    phoneConfirmationStatus(db, conversationId),
    selectPhoneConfirmations(db, conversationId),
    callableContacts(db, conversationId),
  ]);
  const assessments = rows.map((r) => ({
    messageId: r.message_id,
    from: r.from_addr,
    receivedAt: r.received_at,
    score: r.score,
    level: r.level,
    signals: JSON.parse(r.signals) as FraudSignal[],
    cleared: r.cleared_at !== null ? { at: r.cleared_at, byUserId: r.cleared_by ?? '', reason: r.clear_reason ?? '' } : null,
  }));
  const rank = { none: 0, warn: 1, high: 2 } as const;
  // A flag a person cleared ("not fraud") no longer counts.
  const level = assessments
    .filter((a) => a.cleared === null)
    .reduce<ConversationFraud['level']>((top, a) => (rank[a.level] > rank[top] ? a.level : top), 'none');
  return {
    level,
    assessments,
    phoneConfirmation: {
      ...status,
      confirmations: confirmations.map(toConfirmation),
      callableContacts: contacts,
    },
  };
}

function toConfirmation(r: Awaited<ReturnType<typeof selectPhoneConfirmations>>[number]) {
  return {
    id: r.id,
    contact: { id: r.contact_id, address: r.contact_address, name: r.contact_name },
    phone: r.phone_e164,
    calledBy: { id: r.caller_id, name: r.caller_name },
    calledAt: r.called_at,
    outcome: r.outcome,
    note: r.note,
    recordedBy: { id: r.recorder_id, name: r.recorder_name },
    recordedAt: r.created_at,
  };
}

export const fraudRoutes: FastifyPluginAsyncZod<{
  db: Kysely<Database>;
  blobs: BlobStore;
  settleApproval: SettleAwaitingApproval;
  /** Live update after a cleared flag re-judged conversations. */
  onChanged?: (conversationId: string) => void;
}> = async (app, { db, blobs, settleApproval, onChanged }) => {
  app.get(
    '/api/fraud/markers',
    { config: { access: {} }, schema: { querystring: FraudMarkersQuerySchema, response: { 200: FraudMarkersSchema } } },
    async (request) => {
      const { scope } = requireAuth(request);
      const ids = [...new Set(request.query.ids)];
      if (ids.length === 0) return { markers: [] };
      // Only conversations the reader may see; the others are left out as if unflagged.
      const links = await db
        .selectFrom('conversation_mailboxes')
        .where('conversation_id', 'in', ids)
        .select(['conversation_id', 'mailbox_id'])
        .execute();
      const visible = ids.filter((id) =>
        bestAccess(
          scope,
          links.filter((l) => l.conversation_id === id).map((l) => l.mailbox_id),
        ),
      );
      return { markers: await fraudMarkers(db, visible) };
    },
  );

  app.post(
    '/api/conversations/:id/fraud/clear',
    {
      config: { access: {} },
      schema: { params: ParamsSchema, body: FraudFlagClearInputSchema, response: { 200: ConversationFraudSchema } },
    },
    async (request) => {
      const auth = requireAuth(request);
      await conversationAccess(db, auth.scope, request.params.id, 'reply');
      const changed = await clearFraudFlag(
        { db, blobs },
        {
          conversationId: request.params.id,
          messageId: request.body.messageId,
          userId: auth.user.id,
          reason: request.body.reason,
          ip: request.ip,
        },
      );
      for (const id of changed) onChanged?.(id);
      return conversationFraud(db, request.params.id);
    },
  );

  app.get(
    '/api/conversations/:id/fraud',
    { config: { access: {} }, schema: { params: ParamsSchema, response: { 200: ConversationFraudSchema } } },
    async (request) => {
      await conversationAccess(db, requireAuth(request).scope, request.params.id, 'read');
      return conversationFraud(db, request.params.id);
    },
  );

  app.post(
    '/api/conversations/:id/phone-confirmations',
    {
      config: { access: {} },
      schema: { params: ParamsSchema, body: PhoneConfirmationInputSchema, response: { 201: PhoneConfirmationSchema } },
    },
    async (request, reply) => {
      const auth = requireAuth(request);
      await conversationAccess(db, auth.scope, request.params.id, 'reply');
      const now = Date.now();
      const calledAt = request.body.calledAt ?? now;
      // A minute of clock skew between browser and server is tolerated; a call cannot be recorded ahead of time.
      if (calledAt > now + 60_000) throw new AppError('request.invalid', 400, 'calledAt is in the future');
      const id = await recordPhoneConfirmation(db, {
        conversationId: request.params.id,
        contactId: request.body.contactId,
        outcome: request.body.outcome,
        calledAt,
        calledBy: request.body.calledByUserId ?? auth.user.id,
        note: request.body.note?.trim() || null,
        recordedBy: auth.user.id,
        ip: request.ip,
      });
      const saved = (await selectPhoneConfirmations(db, request.params.id)).find((c) => c.id === id);
      if (!saved) throw new Error('phone confirmation vanished after insert');
      return reply.code(201).send(toConfirmation(saved));
    },
  );

  // Second approver (ADR 0015): the per-mailbox rule, and the decisions on waiting mail.
  app.get(
    '/api/mailboxes/:id/fraud-settings',
    {
      config: { access: { mailbox: { level: 'read', idFrom: mailboxFromParams } } },
      schema: { params: ParamsSchema, response: { 200: MailboxFraudSettingsSchema } },
    },
    async (request) => ({ secondApprover: await secondApproverRequired(db, request.params.id) }),
  );
  app.put(
    '/api/mailboxes/:id/fraud-settings',
    {
      config: { access: { roles: admins, mailbox: { level: 'manage', idFrom: mailboxFromParams }, stepUp: true } },
      schema: { params: ParamsSchema, body: MailboxFraudSettingsSchema, response: { 200: MailboxFraudSettingsSchema } },
    },
    async (request) => {
      const auth = requireAuth(request);
      const mailboxId = request.params.id;
      const before = await secondApproverRequired(db, mailboxId);
      const value = request.body.secondApprover ? 1 : 0;
      await db.transaction().execute(async (trx) => {
        const values = { second_approver: value, updated_by: auth.user.id, updated_at: Date.now() };
        await trx
          .insertInto('fraud_mailbox_settings')
          .values({ mailbox_id: mailboxId, ...values })
          .onConflict((oc) => oc.column('mailbox_id').doUpdateSet(values))
          .execute();
        if (before !== request.body.secondApprover) {
          await recordAudit(trx, {
            actorId: auth.user.id,
            action: 'mailbox.second_approver_changed',
            targetType: 'mailbox',
            targetId: mailboxId,
            mailboxId,
            ip: request.ip,
            details: { from: before, to: request.body.secondApprover },
          });
        }
      });
      return { secondApprover: request.body.secondApprover };
    },
  );
  app.get(
    '/api/conversations/:id/approvals',
    { config: { access: {} }, schema: { params: ParamsSchema, response: { 200: z.object({ items: z.array(PendingApprovalSchema) }) } } },
    async (request) => {
      const auth = requireAuth(request);
      await conversationAccess(db, auth.scope, request.params.id, 'read');
      return { items: await conversationApprovals(db, { user: auth.user, scope: auth.scope }, request.params.id) };
    },
  );
  app.post(
    '/api/outbox/:id/approval',
    { config: { access: {} }, schema: { params: ParamsSchema, body: ApprovalDecisionInputSchema } },
    async (request, reply) => {
      const auth = requireAuth(request);
      await decideApproval(
        db,
        { user: auth.user, scope: auth.scope },
        { outboxId: request.params.id, decision: request.body.decision, note: request.body.note || null, ip: request.ip },
        settleApproval,
      );
      return reply.code(204).send();
    },
  );

  // Parties a person vouched for (issue 16): admins mark or revoke; every change is audited and re-judges.
  app.get(
    '/api/fraud/trusted-parties',
    { config: { access: { roles: [...admins, 'auditor'] } }, schema: { response: { 200: TrustedPartyListSchema } } },
    async () => ({ items: await listTrustedParties({ db, blobs }) }),
  );
  app.post(
    '/api/fraud/trusted-parties',
    {
      config: { access: { roles: admins, stepUp: true } },
      schema: { body: TrustedPartyInputSchema, response: { 201: TrustedPartyListSchema.shape.items.element } },
    },
    async (request, reply) => {
      const auth = requireAuth(request);
      const { id, reassessed } = await markPartyTrusted({ db, blobs }, { userId: auth.user.id, ip: request.ip }, request.body);
      for (const conversationId of reassessed) onChanged?.(conversationId);
      const saved = (await listTrustedParties({ db, blobs })).find((p) => p.id === id);
      if (!saved) throw new Error('trust mark vanished after insert');
      return reply.code(201).send(saved);
    },
  );
  app.post(
    '/api/fraud/trusted-parties/:id/revoke',
    {
      config: { access: { roles: admins, stepUp: true } },
      schema: { params: ParamsSchema, body: TrustedPartyRevokeInputSchema },
    },
    async (request, reply) => {
      const auth = requireAuth(request);
      const { reassessed } = await revokeTrustedParty(
        { db, blobs },
        { userId: auth.user.id, ip: request.ip },
        { id: request.params.id, reason: request.body.reason },
      );
      for (const conversationId of reassessed) onChanged?.(conversationId);
      return reply.code(204).send();
    },
  );

  // Contact phone numbers: the numbers a phone confirmation may call.
  app.get(
    '/api/conversations/:id/contacts',
    {
      config: { access: {} },
      schema: {
        params: ParamsSchema,
        response: { 200: z.object({ items: z.array(ContactPhoneSchema.extend({ name: z.string().nullable() })) }) },
      },
    },
    async (request) => {
      await conversationAccess(db, requireAuth(request).scope, request.params.id, 'read');
      const items = await conversationContacts(db, request.params.id);
      return { items: items.map((c) => ({ contactId: c.contactId, address: c.address, name: c.name, phone: c.phone })) };
    },
  );
  app.put(
    '/api/contacts/:id/phone',
    { config: { access: {} }, schema: { params: ParamsSchema, body: ContactPhoneInputSchema, response: { 200: ContactPhoneSchema } } },
    async (request) => {
      const auth = requireAuth(request);
      return setContactPhone(
        db,
        { user: auth.user, scope: auth.scope, ip: request.ip },
        { contactId: request.params.id, phone: request.body.phone, defaultCountry: request.body.defaultCountry },
      );
    },
  );
};
