import type { ImapFlow, ListResponse } from 'imapflow';
import type { FolderRow, MailboxRow } from '../../db/schema.js';
import { classifyConnectionError, connectImap, type HostGuard, setMailboxStatus, syncFolderRoles } from '../mailboxes/index.js';
import type { SecretBox } from '../security/index.js';
import { ensureFolder } from './folder-queries.js';
import { type FolderSyncStats, type SyncDeps, syncFolder } from './folder-sync.js';

export type MailboxSyncReport = {
  mailbox: string;
  ok: boolean;
  error?: { code: string; message: string };
  folders: ({ path: string; role: FolderRow['role'] } & Partial<FolderSyncStats> & { error?: string })[];
};

const ROLE_SPECIAL_USE: Record<'sent' | 'spam', string> = { sent: '\\Sent', spam: '\\Junk' };

/** The folders to sync: INBOX, and the Sent/Junk folders by SPECIAL-USE (or by name, as imapflow guesses). */
export function pickFolders(list: ListResponse[], roles: ('inbox' | 'sent' | 'spam')[]): { path: string; role: FolderRow['role'] }[] {
  const picked: { path: string; role: FolderRow['role'] }[] = [];
  for (const role of roles) {
    const folder =
      role === 'inbox' ? list.find((f) => f.path.toUpperCase() === 'INBOX') : list.find((f) => f.specialUse === ROLE_SPECIAL_USE[role]);
    if (folder) picked.push({ path: folder.path, role });
  }
  return picked;
}

/**
 * Syncs every chosen folder of a mailbox once. A folder that fails is
 * recorded and the others go on; a connection failure is recorded on the
 * mailbox with a code the UI translates.
 */
export async function syncMailboxOnce(
  deps: SyncDeps & { secrets: SecretBox; hosts?: HostGuard },
  mailbox: MailboxRow,
  existingClient?: ImapFlow,
): Promise<MailboxSyncReport> {
  const report: MailboxSyncReport = { mailbox: mailbox.address, ok: true, folders: [] };
  let client = existingClient;
  try {
    if (!client) {
      ({ client } = await connectImap(deps.db, deps.secrets, mailbox, {
        hosts: deps.hosts,
        onError: (error: unknown) => deps.logger.debug({ mailbox: mailbox.address, err: String(error) }, 'imap client error'),
      }));
    }
    const folders = pickFolders(await client.list(), syncFolderRoles(mailbox));
    for (const { path, role } of folders) {
      const folder = await ensureFolder(deps.db, mailbox.id, path, role);
      try {
        report.folders.push({ path, role, ...(await syncFolder(deps, client, mailbox, folder)) });
      } catch (error) {
        if (!client?.usable) throw error;
        const message = error instanceof Error ? error.message : String(error);
        deps.logger.warn({ mailbox: mailbox.address, folder: path, err: message }, 'folder sync failed');
        report.folders.push({ path, role, error: message });
      }
    }
    await setMailboxStatus(deps.db, mailbox.id, { status_detail: null, last_synced_at: Date.now() });
  } catch (error) {
    const classified = classifyConnectionError(error);
    report.ok = false;
    report.error = classified;
    await setMailboxStatus(deps.db, mailbox.id, { status_detail: `${classified.code}: ${classified.message}` });
  } finally {
    if (!existingClient && client) {
      const opened = client;
      await opened.logout().catch(() => opened.close());
    }
  }
  return report;
}
