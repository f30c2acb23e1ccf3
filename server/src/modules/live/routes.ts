import { LIVE_PATH, SESSION_COOKIE } from '@pier/contracts';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { AppError } from '../../errors.js';
import { requireAuth } from '../security/index.js';
import type { LiveHub } from './hub.js';

/**
 * GET /api/live: the WebSocket. Browsers send cookies with a WebSocket
 * handshake from any site and no CSRF header can be added, so the Origin must
 * be this server's (a cross-site page cannot fake it); a missing Origin is
 * refused too. The guard has already resolved the session cookie.
 */
export const liveRoutes: FastifyPluginAsync<{ hub: LiveHub }> = async (app, { hub }) => {
  app.get(
    LIVE_PATH,
    {
      websocket: true,
      config: { access: {} },
      preValidation: async (request: FastifyRequest) => {
        if (!sameOrigin(request)) throw new AppError('csrf.invalid', 403, 'the live channel accepts only pages of this server');
      },
    },
    (socket, request) => {
      const auth = requireAuth(request);
      hub.attach(socket, auth, request.cookies[SESSION_COOKIE] ?? '');
    },
  );
};

function sameOrigin(request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  if (!origin) return false;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}
