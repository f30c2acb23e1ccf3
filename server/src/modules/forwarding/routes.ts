import { PierForwardingRuleSchema, ResolveForwardSchema, SaveForwardingRuleSchema, UncertainForwardListSchema } from '@pier/contracts';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/schema.js';
import { requireAuth } from '../security/index.js';
import { type AlertMailer, createForwardingRule, type RuleActor, removeForwardingRule, updateForwardingRule } from './rules.js';
import { listUncertainForwards, resolveUncertainForward } from './uncertain.js';

const admins = ['super_admin', 'admin'] as const;
const auditReaders = ['super_admin', 'admin', 'auditor'] as const;
const IdParams = z.object({ id: z.string().min(1).max(64) });
const mailboxFromBody = (request: FastifyRequest) => (request.body as { mailboxId?: unknown } | undefined)?.mailboxId as string | undefined;

/**
 * Managing Pier's forwarding rules: admins only, each change behind step-up (password + second
 * factor within 10 minutes). They are listed by GET /api/forwarding (the forwarding audit).
 */
export const forwardingRoutes: FastifyPluginAsyncZod<{ db: Kysely<Database>; mailer: AlertMailer }> = async (app, deps) => {
  const actorOf = (request: FastifyRequest): RuleActor => {
    const { user } = requireAuth(request);
    return { id: user.id, name: user.name, email: user.email, ip: request.ip };
  };
  const access = { roles: admins, stepUp: true, mailbox: { level: 'manage' as const, idFrom: mailboxFromBody } };

  app.post(
    '/api/forwarding/rules',
    { config: { access }, schema: { body: SaveForwardingRuleSchema, response: { 201: PierForwardingRuleSchema } } },
    async (request, reply) => reply.code(201).send(await createForwardingRule(deps, actorOf(request), request.body)),
  );
  app.put(
    '/api/forwarding/rules/:id',
    { config: { access }, schema: { params: IdParams, body: SaveForwardingRuleSchema, response: { 200: PierForwardingRuleSchema } } },
    async (request) => updateForwardingRule(deps, actorOf(request), request.params.id, request.body),
  );
  // Forwards whose outcome is unknown: who reads the forwarding audit sees them; admins decide (step-up, audited).
  app.get(
    '/api/forwarding/uncertain',
    { config: { access: { roles: auditReaders } }, schema: { response: { 200: UncertainForwardListSchema } } },
    async () => ({ items: await listUncertainForwards(deps.db) }),
  );
  app.post(
    '/api/forwarding/uncertain/resolve',
    { config: { access: { roles: admins, stepUp: true } }, schema: { body: ResolveForwardSchema } },
    async (request, reply) => {
      await resolveUncertainForward(deps.db, actorOf(request), request.body);
      return reply.code(204).send();
    },
  );
  app.delete(
    '/api/forwarding/rules/:id',
    { config: { access: { roles: admins, stepUp: true } }, schema: { params: IdParams } },
    async (request, reply) => {
      await removeForwardingRule(deps, actorOf(request), request.params.id);
      return reply.code(204).send();
    },
  );
};
