import type { ImapFlow } from 'imapflow';
import { type Clock, systemClock } from '../../clock.js';
import type { MailboxRow } from '../../db/schema.js';
import type { LiveBus, LiveEvent } from '../live/index.js';
import {
  classifyConnectionError,
  connectImap,
  findMailboxById,
  type HostGuard,
  listActiveImapMailboxes,
  setMailboxStatus,
} from '../mailboxes/index.js';
import type { SecretBox } from '../security/index.js';
import { findFolderCheckpoint } from './folder-queries.js';
import type { SyncDeps } from './folder-sync.js';
import { acquireLease, releaseLease } from './leases.js';
import { type MailboxSyncReport, syncMailboxOnce } from './mailbox-sync.js';
import { changedSinceCheckpoint } from './qresync.js';

export type SupervisorOptions = SyncDeps & {
  secrets: SecretBox;
  /** Which addresses the mailbox's IMAP server may resolve to (PIER_ALLOW_PRIVATE_HOSTS). */
  hosts?: HostGuard;
  workerId: string;
  /** Lease times (a test moves it past a dead node's lease instead of waiting). */
  clock?: Clock;
  /** False while this node's clock is off (clock-skew.ts): it takes no lease and gives up the ones it holds. */
  mayTakeLeases?: () => boolean;
  /** How often the mailbox list is re-read and leases are renewed. */
  scanMs?: number;
  /** A node that stops renewing loses its mailboxes after this; another takes them at its next scan. */
  leaseMs?: number;
  /** Folders other than INBOX (Sent, Junk) are checked this often; INBOX is pushed by IDLE. */
  otherFoldersEveryMs?: number;
  /** Called after each sync that stored something (for realtime push). */
  onSynced?: (mailboxId: string) => void;
  /** Called with the report of every sync pass (what each folder fetched, removed, and how: QRESYNC or a fallback). */
  onReport?: (report: MailboxSyncReport) => void;
  /**
   * The live bus (LISTEN/NOTIFY on PostgreSQL): a `mailboxes.changed` from any node, or a lost
   * connection's refresh, rescans now, so a paused or removed mailbox stops here at once.
   */
  bus?: Pick<LiveBus, 'subscribe'>;
};

const MAX_BACKOFF_MS = 5 * 60_000;
const IDLE_CHANGES = ['exists', 'expunge', 'flags'] as const;

/**
 * Keeps every active IMAP mailbox in sync: one long-lived connection per
 * mailbox, owned by exactly one worker through a lease in the database. After a
 * full sync the connection IDLEs on INBOX (RFC 2177) so new mail arrives
 * within the server's notify delay; where IDLE is missing imapflow polls with
 * NOOP. A broken connection reconnects with exponential backoff, and the
 * failure is shown on the mailbox.
 */
export function startSyncSupervisor(options: SupervisorOptions) {
  // Another node takes a dead node's mailboxes within leaseMs + scanMs (25 s): the promise of
  // decision 0056 ("within 30 s"). Renewed four times per lease, so a slow scan does not lose it.
  const scanMs = options.scanMs ?? 5_000;
  const leaseMs = options.leaseMs ?? 20_000;
  const clock = options.clock ?? systemClock;
  const runners = new Map<string, { stop(): Promise<void>; settingsKey: string }>();
  let stopped = false;
  let scanning: Promise<void> = Promise.resolve();
  let inScan = false;
  let scanAgain = false;
  let timer: NodeJS.Timeout | undefined;

  const settingsKey = (m: MailboxRow) =>
    [m.imap_host, m.imap_port, m.imap_tls, m.imap_user, m.secret_enc, m.sync_folders, m.updated_at].join('|');

  async function scan() {
    // A clock that is off writes expiries other nodes misread: this node syncs nothing until it agrees.
    const mailboxes = options.mayTakeLeases?.() === false ? [] : await listActiveImapMailboxes(options.db);
    const wanted = new Map(mailboxes.map((m) => [m.id, m]));
    for (const [id, runner] of runners) {
      const mailbox = wanted.get(id);
      if (!mailbox || runner.settingsKey !== settingsKey(mailbox)) {
        runners.delete(id);
        // Stopped first (its IMAP session closed), then the lease freed: a paused or removed mailbox
        // is not held for the rest of the lease, and a resumed one can be taken by any node at once.
        await runner.stop();
        await releaseLease(options.db, `imap:${id}`, options.workerId);
      }
    }
    for (const mailbox of mailboxes) {
      const lease = `imap:${mailbox.id}`;
      if (runners.has(mailbox.id)) {
        if (!(await acquireLease(options.db, lease, options.workerId, leaseMs, clock.now()))) {
          options.logger.warn({ mailbox: mailbox.address }, 'lost the IMAP lease to another node');
          await runners.get(mailbox.id)?.stop();
          runners.delete(mailbox.id);
        }
      } else if (await acquireLease(options.db, lease, options.workerId, leaseMs, clock.now())) {
        runners.set(mailbox.id, { ...runMailbox(options, mailbox), settingsKey: settingsKey(mailbox) });
      }
    }
  }

  // One scan at a time: two scans at once would each start a runner for a mailbox added meanwhile,
  // and the runner the map forgot would never be stopped (it went on past the database's close).
  // A rescan during a scan runs once that scan ends.
  function loop() {
    if (stopped) return;
    clearTimeout(timer);
    if (inScan) {
      scanAgain = true;
      return;
    }
    inScan = true;
    scanning = scan()
      .catch((error: unknown) => options.logger.error({ err: String(error) }, 'sync supervisor scan failed'))
      .finally(() => {
        inScan = false;
        if (stopped) return;
        if (scanAgain) {
          scanAgain = false;
          loop();
        } else timer = setTimeout(loop, scanMs);
      });
  }
  loop();

  const rescanOn = (events: LiveEvent[]) => {
    if (events.some((e) => e.type === 'mailboxes.changed' || (e.type === 'refresh' && e.mailboxIds.length === 0))) loop();
  };
  // Subscribing opens the LISTEN connection (PostgreSQL); until it listens, the periodic scan covers changes.
  const unsubscribe = options.bus?.subscribe(rescanOn).catch((error: unknown) => {
    options.logger.warn({ err: String(error) }, 'sync supervisor: mailbox changes not heard; the periodic scan covers them');
    return undefined;
  });

  return {
    /** Re-read mailboxes now (after an admin changed one). */
    rescan: loop,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      (await unsubscribe)?.();
      await scanning;
      await Promise.all([...runners.values()].map((r) => r.stop()));
      for (const id of runners.keys()) await releaseLease(options.db, `imap:${id}`, options.workerId);
      runners.clear();
    },
  };
}

function runMailbox(options: SupervisorOptions, initial: MailboxRow) {
  let stopped = false;
  let client: ImapFlow | undefined;
  let wake: (() => void) | undefined;
  const log = options.logger.child({ mailbox: initial.address });

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ms);
      t.unref();
      wake = () => {
        clearTimeout(t);
        resolve();
      };
    });

  async function session(mailbox: MailboxRow) {
    // XOAUTH2: renews the access token when due or refused (oauth-tokens.ts).
    ({ client } = await connectImap(options.db, options.secrets, mailbox, {
      hosts: options.hosts,
      onError: (error: unknown) => log.debug({ err: String(error) }, 'imap connection error'),
    }));
    const closed = new Promise<void>((resolve) => client?.once('close', () => resolve()));
    let resyncsInARow = 0;
    while (!stopped && client.usable) {
      const report = await syncMailboxOnce(options, mailbox, client);
      options.onReport?.(report);
      if (!report.ok) throw Object.assign(new Error(report.error?.message ?? 'sync failed'), { classified: report.error });
      if (report.folders.some((f) => (f.stored ?? 0) > 0 || (f.removed ?? 0) > 0)) options.onSynced?.(mailbox.id);
      const inbox = await client.mailboxOpen('INBOX', { readOnly: true });
      // Something changed between the sync of INBOX and now: sync again before waiting.
      // (At most a few times in a row, so a folder whose checkpoint cannot advance never spins.)
      const inboxSynced = report.folders.some((f) => f.role === 'inbox' && !f.error);
      const checkpoint = inboxSynced ? await findFolderCheckpoint(options.db, mailbox.id, inbox.path) : undefined;
      if (changedSinceCheckpoint(inbox, checkpoint) && ++resyncsInARow <= 3) continue;
      resyncsInARow = 0;
      // Wait for a change on INBOX during IDLE — new mail (EXISTS), an expunge (EXPUNGE, or VANISHED
      // with QRESYNC) or a flag change (FETCH) — the periodic check of other folders, or a stop.
      // The sync that follows reopens INBOX with QRESYNC, which reports exactly what changed.
      const current = client;
      let onChange: (() => void) | undefined;
      const changed = new Promise<void>((resolve) => {
        onChange = () => resolve();
        for (const event of IDLE_CHANGES) current.once(event, onChange);
      });
      void current.idle().catch(() => {});
      await Promise.race([changed, closed, sleep(options.otherFoldersEveryMs ?? 60_000)]);
      if (onChange) for (const event of IDLE_CHANGES) current.off(event, onChange);
    }
  }

  const running = (async () => {
    let backoffMs = 1000;
    while (!stopped) {
      const startedAt = Date.now();
      try {
        // Inside the try: a database that fails here (a PostgreSQL restart) backs off and retries
        // like a failed connection, instead of ending this mailbox's sync with a stray rejection.
        const mailbox = await findMailboxById(options.db, initial.id);
        if (mailbox?.status !== 'active') return;
        await session(mailbox);
      } catch (error) {
        if (stopped) return;
        const classified =
          (error as { classified?: ReturnType<typeof classifyConnectionError> }).classified ?? classifyConnectionError(error);
        log.warn(
          { code: classified.code, err: classified.serverText ?? classified.message, retryInMs: backoffMs },
          'imap sync failed; reconnecting',
        );
        await setMailboxStatus(options.db, initial.id, { status_detail: `${classified.code}: ${classified.message}` }).catch(() => {});
      } finally {
        await client?.logout().catch(() => client?.close());
      }
      if (stopped) return;
      // A session that ran a while resets the backoff; quick failures back off up to 5 minutes.
      backoffMs = Date.now() - startedAt > 60_000 ? 1000 : Math.min(MAX_BACKOFF_MS, backoffMs * 2);
      await sleep(backoffMs);
    }
  })();

  return {
    async stop() {
      stopped = true;
      wake?.();
      client?.close();
      await running;
    },
  };
}
