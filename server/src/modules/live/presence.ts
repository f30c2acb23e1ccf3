import type { PresencePerson, PresenceState } from '@pier/contracts';

type Entry = { userId: string; name: string; state: PresenceState; expiresAt: number; mailboxIds: string[] };

/**
 * Who is viewing or replying where, per connection. Every node keeps the whole
 * table, fed by presence events from the bus (its own connections' and other
 * nodes'); an entry disappears when its connection leaves the conversation,
 * closes, or stops refreshing it (a crashed node's entries expire).
 */
export class PresenceTable {
  private readonly byConversation = new Map<string, Map<string, Entry>>();

  /** Applies a change; true when what others see changed. */
  apply(change: {
    conversationId: string;
    connectionId: string;
    userId: string;
    name: string;
    state: PresenceState | null;
    expiresAt: number;
    mailboxIds: string[];
  }): boolean {
    const entries = this.byConversation.get(change.conversationId) ?? new Map<string, Entry>();
    const before = this.signature(entries);
    if (change.state === null || change.expiresAt <= Date.now()) {
      entries.delete(change.connectionId);
    } else {
      entries.set(change.connectionId, {
        userId: change.userId,
        name: change.name,
        state: change.state,
        expiresAt: change.expiresAt,
        mailboxIds: change.mailboxIds,
      });
    }
    if (entries.size === 0) this.byConversation.delete(change.conversationId);
    else this.byConversation.set(change.conversationId, entries);
    return this.signature(entries) !== before;
  }

  /** One line per person: replying wins over viewing when a person has several tabs. */
  people(conversationId: string): PresencePerson[] {
    const byUser = new Map<string, PresencePerson>();
    for (const e of this.byConversation.get(conversationId)?.values() ?? []) {
      const known = byUser.get(e.userId);
      if (!known || e.state === 'replying') byUser.set(e.userId, { userId: e.userId, name: e.name, state: e.state });
    }
    return [...byUser.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  mailboxIds(conversationId: string): string[] {
    const first = this.byConversation.get(conversationId)?.values().next().value;
    return first?.mailboxIds ?? [];
  }

  /** Drops expired entries; returns the conversations (with their mailboxes) whose presence changed. */
  expire(now = Date.now()): { conversationId: string; mailboxIds: string[] }[] {
    const changed: { conversationId: string; mailboxIds: string[] }[] = [];
    for (const [conversationId, entries] of this.byConversation) {
      let mailboxIds: string[] | undefined;
      for (const [connectionId, e] of entries) {
        if (e.expiresAt > now) continue;
        mailboxIds = e.mailboxIds;
        entries.delete(connectionId);
      }
      if (mailboxIds) changed.push({ conversationId, mailboxIds });
      if (entries.size === 0) this.byConversation.delete(conversationId);
    }
    return changed;
  }

  private signature(entries: Map<string, Entry>): string {
    return JSON.stringify([...entries.values()].map((e) => [e.userId, e.name, e.state]).sort());
  }
}
