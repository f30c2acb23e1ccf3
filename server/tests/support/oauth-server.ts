import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { testEnv } from './env.js';

type Grant = { username: string; clientId: string; clientSecret: string; revoked: boolean };

export type OAuthServer = {
  /** The token endpoint Pier refreshes at (RFC 6749 §6). */
  tokenEndpoint: string;
  /** Issues a refresh token for a mail user and a first access token; returns both. */
  grant(username: string, options?: { clientId?: string; clientSecret?: string }): { refreshToken: string; accessToken: string };
  /** Makes an access token inactive, as an expired one is (introspection answers `active: false`). */
  expire(accessToken: string): void;
  /** Revokes a refresh token: the next refresh gets `invalid_grant`. */
  revoke(refreshToken: string): void;
  /** Refresh requests received, in order (token endpoint), and the tokens introspected (Dovecot). */
  refreshes: { refreshToken: string; clientId: string }[];
  introspections: string[];
  stop(): Promise<void>;
};

/**
 * A loopback OAuth 2.0 authorization server for the XOAUTH2 tests: a token endpoint answering the
 * refresh_token grant (RFC 6749 §6, client credentials in the body as Google and Microsoft accept
 * them) and an RFC 7662 introspection endpoint that the test Dovecot's oauth2 passdb asks about
 * every XOAUTH2/OAUTHBEARER login. It listens on PIER_TEST_OAUTH_PORT, the port scripts/test-env
 * configured Dovecot with. Access tokens live until `expire` (or `expiresIn` seconds, reported to
 * the client so it can refresh ahead of time).
 */
export async function startOAuthServer(options: { expiresIn?: number } = {}): Promise<OAuthServer> {
  const port = Number(testEnv('PIER_TEST_OAUTH_PORT'));
  const expiresIn = options.expiresIn ?? 3600;
  const grants = new Map<string, Grant>();
  const accessTokens = new Map<string, { username: string; active: boolean }>();
  const refreshes: OAuthServer['refreshes'] = [];
  const introspections: string[] = [];
  const issue = (username: string) => {
    const token = `at-${randomBytes(12).toString('hex')}`;
    accessTokens.set(token, { username, active: true });
    return token;
  };

  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify(body));
  };
  const form = async (req: IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
  };

  const server = createServer(async (req, res) => {
    if (req.method !== 'POST') return json(res, 405, { error: 'invalid_request' });
    const body = await form(req);
    if (req.url === '/token') {
      if (body.get('grant_type') !== 'refresh_token') return json(res, 400, { error: 'unsupported_grant_type' });
      const refreshToken = body.get('refresh_token') ?? '';
      const clientId = body.get('client_id') ?? '';
      refreshes.push({ refreshToken, clientId });
      const grant = grants.get(refreshToken);
      if (!grant || grant.clientId !== clientId || grant.clientSecret !== (body.get('client_secret') ?? '')) {
        return json(res, grant ? 401 : 400, { error: grant ? 'invalid_client' : 'invalid_grant' });
      }
      if (grant.revoked) return json(res, 400, { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' });
      return json(res, 200, { access_token: issue(grant.username), token_type: 'Bearer', expires_in: expiresIn });
    }
    if (req.url === '/introspect') {
      const token = body.get('token') ?? '';
      introspections.push(token);
      const known = accessTokens.get(token);
      return json(res, 200, known?.active ? { active: true, username: known.username } : { active: false });
    }
    json(res, 404, { error: 'not_found' });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });

  return {
    tokenEndpoint: `http://127.0.0.1:${port}/token`,
    grant(username, grantOptions = {}) {
      const refreshToken = `rt-${randomBytes(12).toString('hex')}`;
      grants.set(refreshToken, {
        username,
        clientId: grantOptions.clientId ?? 'pier-test-client',
        clientSecret: grantOptions.clientSecret ?? 'pier-test-secret',
        revoked: false,
      });
      return { refreshToken, accessToken: issue(username) };
    },
    expire(accessToken) {
      const known = accessTokens.get(accessToken);
      if (known) known.active = false;
    },
    revoke(refreshToken) {
      const grant = grants.get(refreshToken);
      if (grant) grant.revoked = true;
    },
    refreshes,
    introspections,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
