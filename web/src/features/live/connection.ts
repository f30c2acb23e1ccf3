import {
  LIVE_PATH,
  type LiveClientMessage,
  type LiveServerMessage,
  PRESENCE_REFRESH_MS,
  type PresencePerson,
  type PresenceState,
} from '@pier/contracts';

export type LiveStatus = 'connecting' | 'open' | 'offline';

type Listener = (message: LiveServerMessage) => void;

const BACKOFF_MIN_MS = 1_000;
const BACKOFF_MAX_MS = 30_000;

/**
 * The page's one WebSocket to /api/live, shared by every hook. It reconnects
 * with exponential backoff and jitter, treats two missed heartbeats as a dead
 * link, re-announces presence after a reconnect, and tells listeners
 * (`onReconnect`) so they refetch what they may have missed.
 */
export class LiveConnection {
  private socket: WebSocket | null = null;
  private status: LiveStatus = 'offline';
  private backoffMs = BACKOFF_MIN_MS;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private watchdog: ReturnType<typeof setTimeout> | undefined;
  private presenceTimer: ReturnType<typeof setInterval> | undefined;
  private heartbeatMs = 25_000;
  private hadConnection = false;
  private users = 0;
  private readonly listeners = new Set<Listener>();
  private readonly statusListeners = new Set<(status: LiveStatus) => void>();
  private readonly reconnectListeners = new Set<() => void>();
  /** Presence claims of this page: conversation → claim → state. */
  private readonly claims = new Map<string, Map<number, PresenceState>>();
  private readonly people = new Map<string, PresencePerson[]>();
  private readonly peopleListeners = new Set<() => void>();
  private nextClaim = 1;
  userId: string | null = null;

  /** Starts (or keeps) the connection while at least one user holds it. */
  retain(): () => void {
    this.users++;
    if (this.users === 1) this.connect();
    return () => {
      this.users--;
      if (this.users === 0) this.shutdown();
    };
  }

  getStatus = (): LiveStatus => this.status;

  onStatus(listener: (status: LiveStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  onMessage(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onReconnect(listener: () => void): () => void {
    this.reconnectListeners.add(listener);
    return () => this.reconnectListeners.delete(listener);
  }

  /** Others (not this user) viewing or replying in the conversation. */
  presenceOf(conversationId: string): PresencePerson[] {
    return this.people.get(conversationId) ?? EMPTY;
  }

  onPresence(listener: () => void): () => void {
    this.peopleListeners.add(listener);
    return () => this.peopleListeners.delete(listener);
  }

  /** Announces this page's presence until the returned function is called. */
  claimPresence(conversationId: string, state: PresenceState): () => void {
    const id = this.nextClaim++;
    const claims = this.claims.get(conversationId) ?? new Map<number, PresenceState>();
    const before = effectiveState(claims);
    claims.set(id, state);
    this.claims.set(conversationId, claims);
    if (effectiveState(claims) !== before) this.sendPresence(conversationId);
    return () => {
      const current = this.claims.get(conversationId);
      if (!current) return;
      const was = effectiveState(current);
      current.delete(id);
      if (current.size === 0) this.claims.delete(conversationId);
      if (effectiveState(current) !== was) this.sendPresence(conversationId);
    };
  }

  private sendPresence(conversationId: string) {
    const state = effectiveState(this.claims.get(conversationId));
    if (state === null) {
      this.people.delete(conversationId);
      this.emitPeople();
    }
    this.send({ type: 'presence', conversationId, state });
  }

  private send(message: LiveClientMessage) {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }

  private setStatus(status: LiveStatus) {
    if (status === this.status) return;
    this.status = status;
    for (const listener of this.statusListeners) listener(status);
  }

  private connect() {
    clearTimeout(this.retryTimer);
    const url = new URL(LIVE_PATH, window.location.href);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    this.setStatus('connecting');
    const socket = new WebSocket(url);
    this.socket = socket;
    socket.onopen = () => {
      this.backoffMs = BACKOFF_MIN_MS;
      this.armWatchdog();
    };
    socket.onmessage = (event) => {
      this.armWatchdog();
      // The server is trusted; the check only keeps a garbled frame from throwing (zod stays out of the bundle).
      let message: unknown;
      try {
        message = JSON.parse(String(event.data));
      } catch {
        return;
      }
      if (typeof message === 'object' && message !== null && typeof (message as { type?: unknown }).type === 'string') {
        this.handle(message as LiveServerMessage);
      }
    };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      clearTimeout(this.watchdog);
      clearInterval(this.presenceTimer);
      this.setStatus('offline');
      if (this.users > 0) this.scheduleReconnect();
    };
  }

  private handle(message: LiveServerMessage) {
    if (message.type === 'hello') {
      this.userId = message.userId;
      this.heartbeatMs = message.heartbeatMs;
      this.armWatchdog();
      this.setStatus('open');
      for (const conversationId of this.claims.keys()) this.sendPresence(conversationId);
      clearInterval(this.presenceTimer);
      this.presenceTimer = setInterval(() => {
        for (const conversationId of this.claims.keys()) this.sendPresence(conversationId);
      }, PRESENCE_REFRESH_MS);
      if (this.hadConnection) for (const listener of this.reconnectListeners) listener();
      this.hadConnection = true;
    } else if (message.type === 'presence') {
      const others = message.people.filter((p) => p.userId !== this.userId);
      if (others.length === 0) this.people.delete(message.conversationId);
      else this.people.set(message.conversationId, others);
      this.emitPeople();
    }
    for (const listener of this.listeners) listener(message);
  }

  private emitPeople() {
    for (const listener of this.peopleListeners) listener();
  }

  /** Two heartbeats without a word: the link is dead even if the socket has not noticed. */
  private armWatchdog() {
    clearTimeout(this.watchdog);
    this.watchdog = setTimeout(() => this.socket?.close(), this.heartbeatMs * 2 + 5_000);
  }

  private scheduleReconnect() {
    const delay = this.backoffMs / 2 + Math.random() * (this.backoffMs / 2);
    this.backoffMs = Math.min(BACKOFF_MAX_MS, this.backoffMs * 2);
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  private shutdown() {
    clearTimeout(this.retryTimer);
    clearTimeout(this.watchdog);
    clearInterval(this.presenceTimer);
    const socket = this.socket;
    this.socket = null;
    socket?.close();
    this.hadConnection = false;
    this.people.clear();
    this.setStatus('offline');
  }
}

const EMPTY: PresencePerson[] = [];

function effectiveState(claims: Map<number, PresenceState> | undefined): PresenceState | null {
  if (!claims || claims.size === 0) return null;
  return [...claims.values()].includes('replying') ? 'replying' : 'viewing';
}

/** The page-wide connection. */
export const liveConnection = new LiveConnection();
