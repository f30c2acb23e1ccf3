import type { Locale, LoginRequest, SessionInfo, SetupRequest } from '@pier/contracts';
import { ConversationListSchema, CSRF_COOKIE, CSRF_HEADER, HealthSchema, SessionInfoSchema, SetupStatusSchema } from '@pier/contracts';

/** A failed API call: the HTTP status and the stable error code from `{ error: { code, message } }`. */
export class ApiRequestError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;

  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.name = 'ApiRequestError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/** Code used when the server cannot be reached at all (not a server error code). */
export const NETWORK_ERROR = 'network.unreachable';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * A contract's zod schema, as far as the client needs it; the response type is what `parse` returns.
 * Every typed call passes it as `import.meta.env.DEV && Schema`, written out at the call: Vite replaces
 * `import.meta.env.DEV` with `false` in production builds, the expression folds to `false`, and the schema
 * (zod with it) is tree-shaken away, so production pays nothing for the check. A constant holding the flag
 * does not fold that way (decision 0023).
 */
export type ResponseSchema<T> = { parse(data: unknown): T };

export type RequestOptions<T> = {
  /** JSON-encoded; a Blob (an upload) goes as raw bytes. */
  body?: unknown;
  /** `import.meta.env.DEV && Schema`: checked in development builds, `false` in production. */
  response?: ResponseSchema<T> | false;
};

export function readCookie(name: string): string | null {
  if (typeof document === 'undefined' || !document.cookie) return null;
  for (const part of document.cookie.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    const value = part.slice(eq + 1).trim();
    try {
      return decodeURIComponent(value);
    } catch {
      return value;
    }
  }
  return null;
}

/** The server sets the CSRF cookie on any response when it is missing; a cheap public GET obtains it. */
async function ensureCsrfToken(): Promise<string | null> {
  const existing = readCookie(CSRF_COOKIE);
  if (existing) return existing;
  try {
    await fetch('/api/setup', { credentials: 'same-origin', headers: { accept: 'application/json' } });
  } catch {
    // The real request below reports the network failure.
  }
  return readCookie(CSRF_COOKIE);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

async function toError(res: Response): Promise<ApiRequestError> {
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    // Not JSON (proxy error page, empty body…).
  }
  if (isRecord(body) && isRecord(body.error) && typeof body.error.code === 'string') {
    const { code, message, details } = body.error;
    return new ApiRequestError(res.status, code, typeof message === 'string' ? message : code, details);
  }
  return new ApiRequestError(res.status, 'server.error', res.statusText || `HTTP ${res.status}`);
}

async function send(method: Method, path: string, body: unknown, csrf: string | null): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const raw = typeof Blob !== 'undefined' && body instanceof Blob;
  if (body !== undefined) headers['content-type'] = raw ? 'application/octet-stream' : 'application/json';
  if (method !== 'GET' && csrf) headers[CSRF_HEADER] = csrf;
  try {
    return await fetch(path, {
      method,
      credentials: 'same-origin',
      headers,
      body: body === undefined ? undefined : raw ? body : JSON.stringify(body),
    });
  } catch (err) {
    throw new ApiRequestError(0, NETWORK_ERROR, err instanceof Error ? err.message : String(err));
  }
}

/**
 * One API call: JSON in and out, the CSRF header on state-changing methods, `{ error: { code } }`
 * as an ApiRequestError. Without a response schema the call resolves to nothing (`void`).
 */
export async function request<T = void>(method: Method, path: string, options: RequestOptions<T> = {}): Promise<T> {
  const { body, response } = options;
  const csrf = method === 'GET' ? null : await ensureCsrfToken();
  let res = await send(method, path, body, csrf);
  if (!res.ok && res.status === 403 && method !== 'GET') {
    // The token may have rotated (or the cookie was only just set): retry once with the fresh cookie.
    const error = await toError(res);
    const fresh = readCookie(CSRF_COOKIE);
    if (error.code !== 'csrf.invalid' || !fresh || fresh === csrf) throw error;
    res = await send(method, path, body, fresh);
  }
  if (!res.ok) throw await toError(res);
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  const data: unknown = text ? JSON.parse(text) : undefined;
  if (import.meta.env.DEV && response) checkResponse(response, data, `${method} ${path}`);
  return data as T;
}

/**
 * Development builds only: the response must match its contract. The raw data is still what the
 * caller gets, so a development build behaves exactly as production does (no defaults filled in,
 * no unknown keys stripped); a mismatch is an error the developer sees at once.
 */
function checkResponse<T>(schema: ResponseSchema<T>, data: unknown, call: string): void {
  try {
    schema.parse(data);
  } catch (err) {
    console.error(`${call}: the response does not match its contract`, err, data);
    throw new Error(`${call}: the response does not match its contract: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** `request` by method: `http.get(path, import.meta.env.DEV && Schema)`, `http.post(path, body, import.meta.env.DEV && Schema)`… */
export const http = {
  get: <T = void>(path: string, response?: ResponseSchema<T> | false) => request<T>('GET', path, { response }),
  post: <T = void>(path: string, body?: unknown, response?: ResponseSchema<T> | false) => request<T>('POST', path, { body, response }),
  put: <T = void>(path: string, body: unknown, response?: ResponseSchema<T> | false) => request<T>('PUT', path, { body, response }),
  patch: <T = void>(path: string, body: unknown, response?: ResponseSchema<T> | false) => request<T>('PATCH', path, { body, response }),
  delete: <T = void>(path: string, response?: ResponseSchema<T> | false) => request<T>('DELETE', path, { response }),
};

/**
 * Downloads a file the API serves (exports), through fetch rather than a plain link so that a refusal
 * (403 auth.step_up_required, 429…) arrives as an ApiRequestError the page can act on; the file is then
 * saved under the name from the server's content-disposition.
 */
export async function downloadFile(path: string, fallbackName: string): Promise<void> {
  let res: Response;
  try {
    res = await fetch(path, { credentials: 'same-origin' });
  } catch (err) {
    throw new ApiRequestError(0, NETWORK_ERROR, err instanceof Error ? err.message : String(err));
  }
  if (!res.ok) throw await toError(res);
  const blob = await res.blob();
  const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? fallbackName;
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  // The click has handed the blob to the browser's download; free it on the next turn.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

export const api = {
  setupStatus: () => http.get('/api/setup', import.meta.env.DEV && SetupStatusSchema),
  setup: (body: SetupRequest) => http.post('/api/setup', body, import.meta.env.DEV && SessionInfoSchema),
  login: (body: LoginRequest) => http.post('/api/auth/login', body, import.meta.env.DEV && SessionInfoSchema),
  logout: () => http.post('/api/auth/logout'),
  /** The current session, or null when nobody is signed in. */
  session: async (): Promise<SessionInfo | null> => {
    try {
      return await http.get('/api/session', import.meta.env.DEV && SessionInfoSchema);
    } catch (err) {
      if (err instanceof ApiRequestError && err.status === 401) return null;
      throw err;
    }
  },
  updatePreferences: (locale: Locale) => http.put('/api/me/preferences', { locale }),
  conversations: (params: {
    mailboxId?: string | null;
    limit?: number;
    q?: string;
    cursor?: string | null;
    view?: string;
    tag?: string;
    team?: string;
    /** 'due': SLA due soonest first (decision 0033). */
    sort?: 'due';
  }) => {
    const query = new URLSearchParams();
    if (params.mailboxId) query.set('mailboxId', params.mailboxId);
    if (params.q) query.set('q', params.q);
    if (params.cursor) query.set('cursor', params.cursor);
    if (params.view) query.set('view', params.view);
    if (params.tag) query.set('tag', params.tag);
    if (params.team) query.set('team', params.team);
    if (params.sort) query.set('sort', params.sort);
    query.set('limit', String(params.limit ?? 50));
    return http.get(`/api/conversations?${query}`, import.meta.env.DEV && ConversationListSchema);
  },
  health: () => http.get('/api/health', import.meta.env.DEV && HealthSchema),
};
