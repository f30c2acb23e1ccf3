import type { TeamRouting } from '@pier/contracts';

/** A member who could take a new conversation: not away, active, with reply access to the mailbox. */
export type RoutingCandidate = { userId: string; open: number };

/**
 * Who gets a new conversation (decision 0034); pure, so the order is the same on every node.
 * Candidates come sorted by user id: the round-robin ring. `cursor` is the member who got the
 * previous one. Agents at `cap` open conversations are skipped; null: it stays in the team's pool
 * (manual mode, nobody available, or everyone at the cap).
 * - round_robin: the first candidate after the cursor in the ring;
 * - least_open: the fewest open conversations; ties go to the first after the cursor, so equal
 *   agents take turns instead of the lowest id taking every tie.
 */
export function pickAgent(mode: TeamRouting, candidates: RoutingCandidate[], cursor: string | null, cap: number | null): string | null {
  if (mode === 'manual') return null;
  const ring = [...candidates].sort((a, b) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
  const start = cursor === null ? 0 : ring.findIndex((c) => c.userId > cursor);
  const fromCursor = start <= 0 ? ring : [...ring.slice(start), ...ring.slice(0, start)];
  const available = fromCursor.filter((c) => cap === null || c.open < cap);
  if (available.length === 0) return null;
  if (mode === 'round_robin') return available[0]?.userId ?? null;
  let best = available[0] as RoutingCandidate;
  for (const c of available) if (c.open < best.open) best = c;
  return best.userId;
}
