import { CSRF_COOKIE, CSRF_HEADER } from '@pier/contracts';

/**
 * A tiny browser stand-in for API tests: keeps cookies, echoes the CSRF cookie
 * in its header like the web app does, and returns status + parsed JSON.
 */
export type ApiResponse<T = unknown> = { status: number; body: T; headers: Headers };

export function createApiClient(baseUrl: string) {
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
    options: { json?: unknown; rawBody?: string; csrf?: boolean; headers?: Record<string, string> } = {},
  ): Promise<ApiResponse<T>> {
    const unsafe = method !== 'GET' && method !== 'HEAD';
    if (unsafe && !cookies.has(CSRF_COOKIE) && options.csrf !== false) await request('GET', '/api/setup');
    const headers: Record<string, string> = { ...options.headers };
    if (cookies.size > 0) headers.cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (unsafe && options.csrf !== false) headers[CSRF_HEADER] = cookies.get(CSRF_COOKIE) ?? '';
    let body: string | undefined;
    if (options.json !== undefined) body = JSON.stringify(options.json);
    if (options.rawBody !== undefined) body = options.rawBody;
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
    return { status: response.status, body: parsed as T, headers: response.headers };
  }

  return {
    cookies,
    get: <T = unknown>(path: string) => request<T>('GET', path),
    post: <T = unknown>(
      path: string,
      json?: unknown,
      options: { csrf?: boolean; rawBody?: string; headers?: Record<string, string> } = {},
    ) => request<T>('POST', path, { json, ...options }),
    put: <T = unknown>(path: string, json?: unknown) => request<T>('PUT', path, { json }),
    request,
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;
