import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
const dist = (p) => path.join('/work/main/server/dist', p);
const { openWorkspace } = await import(dist('compose.js'));
const { createMailbox, findMailboxById } = await import(dist('modules/mailboxes/index.js'));
const { syncMailboxOnce } = await import(dist('modules/sync/index.js'));
const dataDir = mkdtempSync(path.join(tmpdir(), 'pier-prof-'));
const ws = await openWorkspace({ dataDir, databaseUrl: undefined, secretKey: undefined });
const row = await createMailbox(ws.db, { address: 'bench@acme.test', displayName: 'B', purpose: 'sales', connection: { preset: 'other', imap: { host: '127.0.0.1', port: 21143, tls: 'none', user: 'bench@acme.test' }, smtp: { host: '127.0.0.1', port: 21587, tls: 'none', user: 'bench@acme.test' }, authMethod: 'password', password: 'secret', syncFolders: ['inbox'], syncSinceDays: null } }, ws.secrets);
const t0 = performance.now();

const r = await syncMailboxOnce({ ...ws, logger: pino({ level: 'warn' }) }, await findMailboxById(ws.db, row.id));
console.log(r.folders[0], ((performance.now() - t0) / 1000).toFixed(1), 's');
await ws.close();
