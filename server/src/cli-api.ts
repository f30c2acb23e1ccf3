import { ApiTokenScopeSchema } from '@pier/contracts';
import { type Command, InvalidArgumentError } from 'commander';
import type { Workspace } from './compose.js';
import { AppError } from './errors.js';
import type { AuditActor } from './modules/audit/index.js';
import { createApiToken, listApiTokens, revokeApiToken } from './modules/security/index.js';
import { findUserByEmail } from './modules/workspace/index.js';

/** The CLI acts with the server's own rights; the audit record says so. */
const cliActor: AuditActor = { actorId: null, via: 'cli' };

function scopeOption(value: string) {
  const parsed = ApiTokenScopeSchema.safeParse(value);
  if (!parsed.success) throw new InvalidArgumentError('expected read, write or admin');
  return parsed.data;
}

/**
 * `pier token create --email EMAIL --name NAME --scope read|write|admin` prints one JSON line
 * `{"token":"…","id":"…"}` (issue 19 contract); `token list` one JSON line per token (never the
 * secret); `token revoke ID`. A service account is an ordinary user made for the purpose.
 */
export function registerApiCommands(program: Command, withWorkspace: <T>(run: (ws: Workspace) => Promise<T>) => Promise<T>): void {
  const token = program.command('token').description('API tokens (Settings → API)');
  token
    .command('create')
    .description('make an API token for a user; prints {"token","id"}: the token is shown only this once')
    .requiredOption('--email <email>', 'the user (or service account) the token acts as')
    .requiredOption('--name <name>', 'what the token is for, e.g. "ERP sync"')
    .requiredOption('--scope <scope>', 'read, write or admin', scopeOption)
    .action(async (opts: { email: string; name: string; scope: 'read' | 'write' | 'admin' }) => {
      await withWorkspace(async (ws) => {
        const user = await findUserByEmail(ws.db, opts.email);
        if (!user) throw new AppError('user.not_found', 404, `no user ${opts.email}`);
        const created = await createApiToken(ws.db, cliActor, { userId: user.id, name: opts.name, scope: opts.scope });
        console.log(JSON.stringify(created));
      });
    });
  token
    .command('list')
    .description('every API token, one JSON line each (id, name, scope, user, last used, revoked)')
    .action(async () => {
      await withWorkspace(async (ws) => {
        for (const row of await listApiTokens(ws.db)) console.log(JSON.stringify(row));
      });
    });
  token
    .command('revoke')
    .description('revoke an API token at once')
    .argument('<id>', 'the token id (from create or list)')
    .action(async (id: string) => {
      await withWorkspace(async (ws) => {
        await revokeApiToken(ws.db, cliActor, id);
        console.log(JSON.stringify({ id, revoked: true }));
      });
    });
}
