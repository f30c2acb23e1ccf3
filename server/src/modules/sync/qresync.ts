import type { ExpungeEvent, FlagsEvent, ImapFlow, MailboxObject } from 'imapflow';
import type { FolderRow } from '../../db/schema.js';
import { deleteLocationsByUid, listFolderUids, updateLocationFlags } from '../conversations/index.js';
import { storedFlags } from './flags.js';
import { saveCheckpoint } from './folder-queries.js';
import type { SyncDeps } from './folder-sync.js';

/**
 * How a sync learnt about expunges and flag changes in a folder (RFC 7162):
 * - `qresync`: the folder was opened with `QRESYNC (uidvalidity modseq)`; the server itself reported
 *   what vanished (`VANISHED (EARLIER)`) and whose flags changed since the stored HIGHESTMODSEQ;
 * - `condstore`: flags by `FETCH … (CHANGEDSINCE modseq)`, expunges by comparing the UID sets;
 * - `uidset`: no mod-sequences at all: expunges by comparing the UID sets, flags are not followed.
 */
export type ResyncMode = 'qresync' | 'condstore' | 'uidset';

export type OpenedFolder = {
  box: MailboxObject;
  mode: ResyncMode;
  /** QRESYNC: UIDs the server reported as vanished since the stored HIGHESTMODSEQ. */
  vanished: Set<number>;
  /** QRESYNC: the current flags of the messages changed since the stored HIGHESTMODSEQ, by UID. */
  changedFlags: Map<number, string[]>;
  /** A FETCH without UID during the QRESYNC open (not allowed by RFC 7162): flags are fetched with CHANGEDSINCE instead. */
  flagsWithoutUid: boolean;
};

/**
 * Opens a folder read-only (EXAMINE, so Pier never sets \Seen). Where the server enabled QRESYNC
 * and the folder has a checkpoint, the stored (UIDVALIDITY, HIGHESTMODSEQ) go with the EXAMINE and
 * the server answers with what changed since: the VANISHED and FETCH responses of the open are
 * collected here. imapflow reports `box.qresync` only when the parameters were sent and the server's
 * UIDVALIDITY and HIGHESTMODSEQ make them valid; anything else falls back to CONDSTORE or UID sets.
 */
export async function openFolder(client: ImapFlow, folder: FolderRow): Promise<OpenedFolder> {
  const vanished = new Set<number>();
  const changedFlags = new Map<number, string[]>();
  let flagsWithoutUid = false;
  const canResync = client.enabled.has('QRESYNC') && folder.uidvalidity !== null && folder.highest_modseq !== null;
  const onExpunge = (event: ExpungeEvent) => {
    if (event.path === folder.path && event.uid !== undefined) vanished.add(event.uid);
  };
  const onFlags = (event: FlagsEvent) => {
    if (event.path !== folder.path) return;
    if (event.uid === undefined) flagsWithoutUid = true;
    else changedFlags.set(event.uid, storedFlags(event.flags));
  };
  if (canResync) {
    client.on('expunge', onExpunge);
    client.on('flags', onFlags);
  }
  let box: MailboxObject;
  try {
    box = await client.mailboxOpen(
      folder.path,
      canResync
        ? { readOnly: true, uidValidity: String(folder.uidvalidity), changedSince: String(folder.highest_modseq) }
        : { readOnly: true },
    );
  } finally {
    client.off('expunge', onExpunge);
    client.off('flags', onFlags);
  }
  const hasModseq = box.highestModseq !== undefined && !box.noModseq;
  // imapflow sets `qresync` on the mailbox object (not in its typings) once the server accepted the parameters.
  const accepted = (box as MailboxObject & { qresync?: boolean }).qresync === true;
  const mode: ResyncMode = canResync && accepted ? 'qresync' : hasModseq ? 'condstore' : 'uidset';
  if (mode !== 'qresync') {
    vanished.clear();
    changedFlags.clear();
    flagsWithoutUid = false;
  }
  return { box, mode, vanished, changedFlags, flagsWithoutUid };
}

export type ReconcileStats = { removed: number; flagsUpdated: number };

/**
 * After new mail is stored: forgets the locations of expunged mail (the message itself stays, it may
 * be in other folders or mailboxes, and mail is never deleted by sync), follows flag changes, and
 * saves the HIGHESTMODSEQ seen when the folder was opened, so whatever changed after the open is
 * reported again next time (applying a change twice is harmless).
 * `knownUpTo` is the folder's last_uid before this sync: higher UIDs were fetched with their flags.
 */
export async function reconcileFolder(
  deps: SyncDeps,
  client: ImapFlow,
  folder: FolderRow,
  opened: OpenedFolder,
  knownUpTo: number,
): Promise<ReconcileStats> {
  const stats: ReconcileStats = { removed: 0, flagsUpdated: 0 };
  if (opened.mode === 'qresync') {
    if (opened.vanished.size > 0) {
      // VANISHED (EARLIER) may name UIDs Pier never stored (or ranges): only forget what is stored.
      const gone = (await listFolderUids(deps.db, folder.id)).filter((uid) => opened.vanished.has(uid));
      if (gone.length > 0) await deleteLocationsByUid(deps.db, folder.id, gone);
      stats.removed = gone.length;
    }
    if (opened.flagsWithoutUid) stats.flagsUpdated = await fetchChangedFlags(deps, client, folder, knownUpTo);
    else {
      for (const [uid, flags] of opened.changedFlags) {
        if (uid > knownUpTo || opened.vanished.has(uid)) continue;
        if (await updateLocationFlags(deps.db, folder.id, uid, flags)) stats.flagsUpdated++;
      }
    }
  } else {
    stats.removed = await forgetExpungedByUidSet(deps, client, folder);
    if (opened.mode === 'condstore') stats.flagsUpdated = await fetchChangedFlags(deps, client, folder, knownUpTo);
  }
  const modseq = opened.box.highestModseq;
  if (modseq !== undefined && !opened.box.noModseq) await saveCheckpoint(deps.db, folder.id, { highest_modseq: modseq.toString() });
  return stats;
}

/** Without QRESYNC: locations whose UID the server no longer has were expunged (deleted or moved). */
async function forgetExpungedByUidSet(deps: SyncDeps, client: ImapFlow, folder: FolderRow): Promise<number> {
  const server = new Set((await client.search({ all: true }, { uid: true })) || []);
  const gone = (await listFolderUids(deps.db, folder.id)).filter((uid) => !server.has(uid));
  if (gone.length > 0) await deleteLocationsByUid(deps.db, folder.id, gone);
  return gone.length;
}

/** CONDSTORE: fetch only the flags that changed since the last MODSEQ we saw. */
async function fetchChangedFlags(deps: SyncDeps, client: ImapFlow, folder: FolderRow, knownUpTo: number): Promise<number> {
  const since = folder.highest_modseq ? BigInt(folder.highest_modseq) : undefined;
  const current = client.mailbox ? client.mailbox.highestModseq : undefined;
  if (since === undefined || current === undefined || current <= since || knownUpTo === 0) return 0;
  let updated = 0;
  const changed = await client.fetchAll(`1:${knownUpTo}`, { uid: true, flags: true }, { uid: true, changedSince: since });
  for (const m of changed) {
    if (await updateLocationFlags(deps.db, folder.id, m.uid, storedFlags(m.flags))) updated++;
  }
  return updated;
}

/**
 * Whether a folder changed after its checkpoint (new mail, flags, expunges): compares the
 * HIGHESTMODSEQ of a fresh open with the stored one. Used before IDLE, so a change that happened
 * between the sync and the IDLE does not wait for the next periodic check.
 */
export function changedSinceCheckpoint(box: MailboxObject, folder: Pick<FolderRow, 'highest_modseq'> | undefined): boolean {
  if (!folder?.highest_modseq || box.highestModseq === undefined || box.noModseq) return false;
  return box.highestModseq > BigInt(folder.highest_modseq);
}
