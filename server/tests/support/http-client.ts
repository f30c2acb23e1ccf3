import { CSRF_COOKIE, CSRF_HEADER } from '@pier/contracts';
import { nextCode, rememberAuthenticator } from './two-factor.js';

/**
 * A tiny browser stand-in for API tests: keeps cookies, echoes the CSRF cookie
 * in its header like the web app does, and returns status + parsed JSON.
 *
 * Sign-in (login, setup, accepted invitation) finishes the two-factor step like a
 * user with a phone would: it enrols an authenticator when the workspace asks for
 * one and answers the code challenge (see two-factor.ts), then returns the
 * completed session. `{ secondFactor: 'manual' }` leaves the step to the test.
 */
export type ApiResponse<T = unknown> = { status: number; body: T; headers: Headers };
const SIGN_IN_PATHS = new Set(['/api/auth/login', '/api/setup', '/api/auth/invitation/accept']);

export function createApiClient(baseUrl: string, clientOptions: { secondFactor?: 'auto' | 'manual' } = {}) {
  const cookies = new Map<string, string>();

  function remember(headers: Headers) {
    for (const line of headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair?.indexOf('=') ?? -1;
      if (!pair || eq < 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) cookies.delete(name);
      else cookies.set(name, value);
    }
  }

  async function request<T = unknown>(
    method: string,
    path: string,
    options: { json?: unknown; rawBody?: string | Uint8Array; csrf?: boolean; headers?: Record<string, string> } = {},
  ): Promise<ApiResponse<T>> {
    const unsafe = method !== 'GET' && method !== 'HEAD';
    if (unsafe && !cookies.has(CSRF_COOKIE) && options.csrf !== false) await request('GET', '/api/setup');
    const headers: Record<string, string> = { ...options.headers };
    if (cookies.size > 0) headers.cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (unsafe && options.csrf !== false) headers[CSRF_HEADER] = cookies.get(CSRF_COOKIE) ?? '';
    let body: string | Blob | undefined;
    if (options.json !== undefined) body = JSON.stringify(options.json);
    if (options.rawBody !== undefined)
      body = typeof options.rawBody === 'string' ? options.rawBody : new Blob([new Uint8Array(options.rawBody)]);
    if (body !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
    const response = await fetch(new URL(path, baseUrl), { method, headers, body });
    remember(response.headers);
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    const result = { status: response.status, body: parsed as T, headers: response.headers };
    if (clientOptions.secondFactor !== 'manual' && method === 'POST' && SIGN_IN_PATHS.has(path)) return finishSignIn(result);
    return result;
  }

  async function finishSignIn<T>(signIn: ApiResponse<T>): Promise<ApiResponse<T>> {
    const info = signIn.body as { secondFactor?: string; user?: { email: string } } | undefined;
    const email = info?.user?.email;
    if (signIn.status >= 300 || !email || info.secondFactor === 'done') return signIn;
    if (info.secondFactor === 'enrol') {
      const enrolment = await request<{ secret: string }>('POST', '/api/me/two-factor/totp');
      if (enrolment.status !== 200) throw new Error(`enrolment failed: ${JSON.stringify(enrolment.body)}`);
      rememberAuthenticator(baseUrl, email, enrolment.body.secret);
      const confirmed = await request<{ codes: string[] }>('POST', '/api/me/two-factor/totp/confirm', {
        json: { code: nextCode(baseUrl, email) },
      });
      if (confirmed.status !== 200) throw new Error(`enrolment confirmation failed: ${JSON.stringify(confirmed.body)}`);
      rememberAuthenticator(baseUrl, email, enrolment.body.secret, confirmed.body.codes);
    } else if (info.secondFactor === 'verify') {
      const verified = await request('POST', '/api/auth/second-factor', { json: { code: nextCode(baseUrl, email) } });
      if (verified.status !== 200) return verified as ApiResponse<T>;
    }
    const session = await request<T>('GET', '/api/session');
    return { status: signIn.status, body: session.body, headers: signIn.headers };
  }

  return {
    cookies,
    get: <T = unknown>(path: string) => request<T>('GET', path),
    post: <T = unknown>(
      path: string,
      json?: unknown,
      options: { csrf?: boolean; rawBody?: string | Uint8Array; headers?: Record<string, string> } = {},
    ) => request<T>('POST', path, { json, ...options }),
    put: <T = unknown>(path: string, json?: unknown) => request<T>('PUT', path, { json }),
    patch: <T = unknown>(path: string, json?: unknown) => request<T>('PATCH', path, { json }),
    request,
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;
