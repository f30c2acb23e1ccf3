// Waits until IMAP sync is where a measurement needs it, read from the database (the `leases` and
// `mailboxes` tables Pier's sync supervisor writes), instead of sleeping a fixed time that is too
// short on a loaded machine and wasted on a quiet one.

/**
 * - `syncing`: each mailbox's `imap:` lease is held and live (not expired), and a full sync of it ended
 *   at or after `since` (`last_synced_at`); the runner IDLEs on INBOX right after that pass (the first
 *   mail sent may still meet the few milliseconds before IDLE starts: the push phase sends a warm-up).
 * - `stopped`: no live lease (freed, or expired), so no node syncs it any more.
 * Resolves with the milliseconds waited; on timeout throws naming each mailbox not there and why.
 */
export async function waitForSyncState(db, { syncing = [], stopped = [], since = 0, timeoutMs = 120_000, what }) {
  const started = Date.now();
  for (;;) {
    const now = Date.now();
    const names = [...syncing, ...stopped].map((id) => `imap:${id}`);
    const leases =
      names.length > 0 ? await db.selectFrom('leases').select(['name', 'holder', 'expires_at']).where('name', 'in', names).execute() : [];
    const live = new Map(leases.filter((l) => Number(l.expires_at) > now).map((l) => [l.name.slice('imap:'.length), l.holder]));
    const rows =
      syncing.length > 0
        ? await db.selectFrom('mailboxes').select(['id', 'address', 'last_synced_at', 'status_detail']).where('id', 'in', syncing).execute()
        : [];
    const waiting = [
      ...syncing.filter((id) => !rows.some((m) => m.id === id)).map((id) => `${id}: no such mailbox`),
      ...rows
        .filter((m) => !live.has(m.id) || Number(m.last_synced_at ?? 0) < since)
        .map(
          (m) => `${m.address}: ${live.has(m.id) ? 'no full sync yet' : 'no live lease'}${m.status_detail ? ` (${m.status_detail})` : ''}`,
        ),
      ...stopped.filter((id) => live.has(id)).map((id) => `${id}: still leased by ${live.get(id)}`),
    ];
    if (waiting.length === 0) return Date.now() - started;
    if (Date.now() - started > timeoutMs)
      throw new Error(`${what}: not reached within ${Math.round(timeoutMs / 1000)} s: ${waiting.join('; ')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
