import {
  ReorderRulesSchema,
  RuleEnabledSchema,
  RuleListSchema,
  RulePreviewRequestSchema,
  RulePreviewSchema,
  RuleSchema,
  SaveRuleSchema,
} from '@pier/contracts';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { apiActorOf, requireAuth } from '../security/index.js';
import type { FactsDeps } from './facts.js';
import { previewRule } from './preview.js';
import { createRule, deleteRule, listRules, type RuleEditor, reorderRules, setRuleEnabled, updateRule } from './store.js';

// Agents reach these routes, but only rules of mailboxes they manage (store.ts mayEditRule); auditors never.
const editors = ['super_admin', 'admin', 'agent'] as const;
const IdParams = z.object({ id: z.string().min(1).max(64) });
const mailboxFromBody = (request: FastifyRequest) => (request.body as { mailboxId?: unknown } | undefined)?.mailboxId as string | undefined;

/** Settings → Rules (decision 0032). Every change is audited; global rules are the admins'. */
export const rulesRoutes: FastifyPluginAsyncZod<FactsDeps> = async (app, deps) => {
  const editorOf = (request: FastifyRequest): RuleEditor => {
    const auth = requireAuth(request);
    return { id: auth.user.id, role: auth.user.role, scope: auth.scope, audit: apiActorOf(request) };
  };

  app.get(
    '/api/rules',
    { config: { access: { roles: editors, administers: true } }, schema: { response: { 200: RuleListSchema } } },
    async (request) => ({
      items: await listRules(deps.db, editorOf(request)),
    }),
  );
  app.post(
    '/api/rules',
    { config: { access: { roles: editors, administers: true } }, schema: { body: SaveRuleSchema, response: { 201: RuleSchema } } },
    async (request, reply) => reply.code(201).send(await createRule(deps.db, editorOf(request), request.body)),
  );
  app.put(
    '/api/rules/:id',
    {
      config: { access: { roles: editors, administers: true } },
      schema: { params: IdParams, body: SaveRuleSchema, response: { 200: RuleSchema } },
    },
    async (request) => updateRule(deps.db, editorOf(request), request.params.id, request.body),
  );
  app.put(
    '/api/rules/:id/enabled',
    {
      config: { access: { roles: editors, administers: true } },
      schema: { params: IdParams, body: RuleEnabledSchema, response: { 200: RuleSchema } },
    },
    async (request) => setRuleEnabled(deps.db, editorOf(request), request.params.id, request.body.enabled),
  );
  app.delete(
    '/api/rules/:id',
    { config: { access: { roles: editors, administers: true } }, schema: { params: IdParams } },
    async (request, reply) => {
      await deleteRule(deps.db, editorOf(request), request.params.id);
      return reply.code(204).send();
    },
  );
  app.post(
    '/api/rules/reorder',
    { config: { access: { roles: editors, administers: true } }, schema: { body: ReorderRulesSchema, response: { 200: RuleListSchema } } },
    async (request) => ({ items: await reorderRules(deps.db, editorOf(request), request.body.ids) }),
  );
  // A preview reads the mailbox's mail: only who manages that mailbox (the guard answers 404 otherwise).
  app.post(
    '/api/rules/preview',
    {
      config: { access: { roles: editors, administers: true, mailbox: { level: 'manage', idFrom: mailboxFromBody } } },
      schema: { body: RulePreviewRequestSchema, response: { 200: RulePreviewSchema } },
    },
    async (request) => previewRule(deps, request.body.mailboxId, request.body.rule),
  );
};
