import { LIVE_PATH, type LiveClientMessage, type LiveServerMessage } from '@pier/contracts';
import WebSocket from 'ws';
import type { ApiClient } from './http-client.js';

/** A live-channel client for tests: the signed-in client's cookies, an Origin, and every message it received. */
export type LiveTestSocket = {
  messages: LiveServerMessage[];
  send(message: LiveClientMessage): void;
  sendRaw(text: string): void;
  /** Resolves with the first message (already received or later) that matches. */
  waitFor<T extends LiveServerMessage>(match: (m: LiveServerMessage) => m is T, timeoutMs?: number): Promise<T>;
  waitFor(match: (m: LiveServerMessage) => boolean, timeoutMs?: number): Promise<LiveServerMessage>;
  close(): Promise<void>;
  /** Called with the close code when the server closes the socket. */
  onClose(listener: (code: number) => void): void;
};

export function liveUrl(baseUrl: string): string {
  const url = new URL(LIVE_PATH, baseUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

/** Opens the socket; rejects with the HTTP status when the handshake is refused. */
export function openLiveSocket(
  baseUrl: string,
  client: ApiClient | null,
  options: { origin?: string | null } = {},
): Promise<LiveTestSocket> {
  const headers: Record<string, string> = {};
  if (client && client.cookies.size > 0) headers.cookie = [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const origin = options.origin === undefined ? new URL(baseUrl).origin : options.origin;
  if (origin !== null) headers.origin = origin;
  const socket = new WebSocket(liveUrl(baseUrl), { headers });
  const messages: LiveServerMessage[] = [];
  const waiters = new Set<() => void>();
  socket.on('message', (data) => {
    messages.push(JSON.parse(String(data)) as LiveServerMessage);
    for (const wake of waiters) wake();
  });
  const live: LiveTestSocket = {
    messages,
    send: (message) => socket.send(JSON.stringify(message)),
    sendRaw: (text) => socket.send(text),
    waitFor: (match: (m: LiveServerMessage) => boolean, timeoutMs = 10_000) =>
      new Promise<LiveServerMessage>((resolve, reject) => {
        const check = () => {
          const found = messages.find(match);
          if (!found) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching live message within ${timeoutMs} ms; got ${JSON.stringify(messages)}`));
        }, timeoutMs);
        if (!check()) waiters.add(check);
      }),
    onClose: (listener: (code: number) => void) => socket.once('close', (code) => listener(code)),
    close: () =>
      new Promise((resolve) => {
        if (socket.readyState === WebSocket.CLOSED) return resolve();
        socket.once('close', () => resolve());
        socket.close();
      }),
  } as LiveTestSocket;
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(live));
    socket.once('unexpected-response', (_request, response) => reject(new Error(`handshake refused: ${response.statusCode}`)));
    socket.once('error', reject);
  });
}
