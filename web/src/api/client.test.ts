import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CSRF_COOKIE, CSRF_HEADER, SessionsRevokedSchema } from '@pier/contracts';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ApiRequestError, http, NETWORK_ERROR, request } from './client';

/**
 * The client against a real HTTP server on loopback that speaks Pier's double-submit CSRF protocol.
 * The page's fetch is the browser's part: relative paths resolve against the page's origin, and a
 * Set-Cookie the server answers with lands in document.cookie, which the next request carries.
 */
type Seen = { method: string; url: string; csrfHeader: string | undefined; cookie: string | undefined; contentType: string | undefined };
type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

let server: Server;
let origin: string;
let seen: Seen[] = [];
let routes: Record<string, Handler> = {};
const nodeFetch = globalThis.fetch;

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function cookieOf(req: IncomingMessage, name: string): string | undefined {
  const pair = (req.headers.cookie ?? '').split(/;\s*/).find((part) => part.startsWith(`${name}=`));
  return pair?.slice(name.length + 1);
}

/** What the server does for any state-changing request: the header must equal the cookie. */
function csrfRefused(req: IncomingMessage, res: ServerResponse, rotateTo?: string): boolean {
  const cookie = cookieOf(req, CSRF_COOKIE);
  if (cookie && req.headers[CSRF_HEADER] === cookie) return false;
  json(
    res,
    403,
    { error: { code: 'csrf.invalid', message: 'CSRF token missing or wrong' } },
    rotateTo ? { 'set-cookie': `${CSRF_COOKIE}=${rotateTo}; Path=/` } : {},
  );
  return true;
}

/** The browser's cookie store, written as a Set-Cookie header would write it. */
function storeCookie(setCookie: string) {
  // biome-ignore lint/suspicious/noDocumentCookie: the test plays the browser, whose cookie store this is.
  document.cookie = setCookie;
}

function clearCookie() {
  storeCookie(`${CSRF_COOKIE}=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/`);
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        csrfHeader: req.headers[CSRF_HEADER] as string | undefined,
        cookie: req.headers.cookie,
        contentType: req.headers['content-type'],
      });
      const route = routes[`${req.method} ${req.url}`];
      if (route) route(req, res, body);
      else json(res, 404, { error: { code: 'not_found', message: 'no such route' } });
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  globalThis.fetch = async (input, init) => {
    const url = new URL(String(input), origin);
    const headers = new Headers(init?.headers);
    if (document.cookie) headers.set('cookie', document.cookie);
    // The page's File is jsdom's Blob, which Node's fetch cannot stream: hand over its bytes.
    const body = init?.body instanceof Blob ? new Uint8Array(await init.body.arrayBuffer()) : init?.body;
    const res = await nodeFetch(url, { ...init, headers, body });
    for (const setCookie of res.headers.getSetCookie()) storeCookie(setCookie);
    return res;
  };
});

afterAll(async () => {
  globalThis.fetch = nodeFetch;
  server.closeAllConnections();
  server.close();
  await once(server, 'close');
});

beforeEach(() => {
  seen = [];
  routes = {};
  clearCookie();
});

afterEach(clearCookie);

describe('the API client', () => {
  it('fetches the CSRF cookie before the first state-changing call and sends it back as the header', async () => {
    routes['GET /api/setup'] = (_req, res) => json(res, 200, { needsSetup: false }, { 'set-cookie': `${CSRF_COOKIE}=first; Path=/` });
    routes['POST /api/things'] = (req, res, body) => {
      if (!csrfRefused(req, res)) json(res, 201, { echoed: JSON.parse(body) });
    };

    await expect(http.post('/api/things', { name: '钨钢刀' })).resolves.toEqual({ echoed: { name: '钨钢刀' } });

    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual(['GET /api/setup', 'POST /api/things']);
    expect(seen[1]).toMatchObject({ csrfHeader: 'first', contentType: 'application/json' });
  });

  it('sends no CSRF header on a GET', async () => {
    storeCookie(`${CSRF_COOKIE}=known; path=/`);
    routes['GET /api/things'] = (_req, res) => json(res, 200, { items: [] });

    await http.get('/api/things');

    expect(seen).toHaveLength(1);
    expect(seen[0]?.csrfHeader).toBeUndefined();
  });

  it('retries a call refused as csrf.invalid once, with the token the refusal rotated to', async () => {
    storeCookie(`${CSRF_COOKIE}=stale; path=/`);
    routes['DELETE /api/things/1'] = (req, res) => {
      // The token rotated to "fresh" on the server: the stale one is refused, and the refusal sets the new cookie.
      if (req.headers[CSRF_HEADER] !== 'fresh') {
        json(res, 403, { error: { code: 'csrf.invalid', message: 'CSRF token wrong' } }, { 'set-cookie': `${CSRF_COOKIE}=fresh; Path=/` });
      } else if (!csrfRefused(req, res)) {
        res.writeHead(204).end();
      }
    };

    await expect(http.delete('/api/things/1')).resolves.toBeUndefined();

    expect(seen.map((s) => s.csrfHeader)).toEqual(['stale', 'fresh']);
  });

  it('does not retry a csrf.invalid refusal that left the cookie as it was', async () => {
    storeCookie(`${CSRF_COOKIE}=stale; path=/`);
    // Refused without a new cookie: the page has nothing better to send.
    routes['POST /api/things'] = (_req, res) => json(res, 403, { error: { code: 'csrf.invalid', message: 'CSRF token wrong' } });

    const error = await http.post('/api/things', {}).catch((err: unknown) => err);

    expect(error).toBeInstanceOf(ApiRequestError);
    expect(error).toMatchObject({ status: 403, code: 'csrf.invalid' });
    expect(seen).toHaveLength(1);
  });

  it('turns an error body into an ApiRequestError with its status, code, message and details', async () => {
    storeCookie(`${CSRF_COOKIE}=t; path=/`);
    const details = [{ path: ['email'], message: 'must be an email address' }];
    routes['POST /api/users/invitations'] = (_req, res) =>
      json(res, 400, { error: { code: 'request.invalid', message: 'the body is invalid', details } });

    const error = await http.post('/api/users/invitations', { email: 'nope' }).catch((err: unknown) => err);

    expect(error).toBeInstanceOf(ApiRequestError);
    expect(error).toMatchObject({ status: 400, code: 'request.invalid', message: 'the body is invalid', details });
  });

  it('reports an error page that is not JSON (a proxy in front) as server.error with the status text', async () => {
    routes['GET /api/health'] = (_req, res) => {
      res.writeHead(502, 'Bad Gateway', { 'content-type': 'text/html' });
      res.end('<html><body>502 Bad Gateway</body></html>');
    };

    const error = await http.get('/api/health').catch((err: unknown) => err);

    expect(error).toMatchObject({ name: 'ApiRequestError', status: 502, code: 'server.error', message: 'Bad Gateway' });
  });

  it('reports a server it cannot reach as network.unreachable', async () => {
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const port = (closed.address() as AddressInfo).port;
    closed.close();
    await once(closed, 'close');

    const error = await request('GET', `http://127.0.0.1:${port}/api/health`).catch((err: unknown) => err);

    expect(error).toBeInstanceOf(ApiRequestError);
    expect(error).toMatchObject({ status: 0, code: NETWORK_ERROR });
  });

  it('sends a file as raw bytes, not as JSON', async () => {
    storeCookie(`${CSRF_COOKIE}=t; path=/`);
    routes['POST /api/outbox/uploads?filename=a.txt'] = (req, res, body) => {
      if (!csrfRefused(req, res)) json(res, 201, { received: body });
    };

    const sent = await http.post('/api/outbox/uploads?filename=a.txt', new Blob(['报价单 v2']));

    expect(sent).toEqual({ received: '报价单 v2' });
    expect(seen[0]?.contentType).toBe('application/octet-stream');
  });

  describe('in a development build (Vitest is one), the response is checked against its contract schema', () => {
    it('resolves to the body exactly as sent when it matches (nothing stripped or filled in)', async () => {
      storeCookie(`${CSRF_COOKIE}=t; path=/`);
      routes['DELETE /api/me/sessions'] = (_req, res) => json(res, 200, { revoked: 2, extra: 'kept' });

      const result = await http.delete('/api/me/sessions', import.meta.env.DEV && SessionsRevokedSchema);

      expect(import.meta.env.DEV).toBe(true);
      expect(result).toEqual({ revoked: 2, extra: 'kept' });
    });

    it('fails the call, naming it, when the body does not match', async () => {
      storeCookie(`${CSRF_COOKIE}=t; path=/`);
      routes['DELETE /api/me/sessions'] = (_req, res) => json(res, 200, { revoked: 'two' });
      const logged: unknown[] = [];
      const consoleError = console.error;
      console.error = (...args: unknown[]) => logged.push(args);
      try {
        await expect(http.delete('/api/me/sessions', import.meta.env.DEV && SessionsRevokedSchema)).rejects.toThrow(
          /DELETE \/api\/me\/sessions: the response does not match its contract/,
        );
      } finally {
        console.error = consoleError;
      }
      expect(logged).toHaveLength(1);
    });
  });
});
