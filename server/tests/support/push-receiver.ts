import { createECDH, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import ece from 'http_ece';
import { selfSignedCertificate } from './certificates.js';

export type ReceivedPush = { path: string; headers: Record<string, string | string[] | undefined>; body: Buffer };

/**
 * A local push service: an HTTPS server on loopback (self-signed; Pier trusts it through
 * NODE_EXTRA_CA_CERTS) that records every push and answers 201, or the status a path asks for
 * (`/gone/…` → 410, `/missing/…` → 404), as a real push service does for an expired subscription.
 */
export async function startPushReceiver() {
  const tls = selfSignedCertificate();
  const received: ReceivedPush[] = [];
  const server: Server = createServer({ key: tls.key, cert: tls.cert }, (request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = request.url ?? '/';
      received.push({ path, headers: request.headers, body: Buffer.concat(chunks) });
      response.statusCode = path.startsWith('/gone/') ? 410 : path.startsWith('/missing/') ? 404 : 201;
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    caPath: tls.certPath,
    received,
    /** A browser's side of a subscription: its own P-256 key pair and auth secret, at a path of this receiver. */
    device(path: string) {
      const keys = createECDH('prime256v1');
      keys.generateKeys();
      const auth = randomBytes(16);
      const endpoint = `https://127.0.0.1:${port}${path}`;
      return {
        endpoint,
        subscription: { endpoint, keys: { p256dh: keys.getPublicKey('base64url'), auth: auth.toString('base64url') } },
        /** Decrypts a push body (RFC 8291 / aes128gcm) as the browser would. */
        decrypt: (body: Buffer): unknown =>
          JSON.parse(ece.decrypt(body, { version: 'aes128gcm', privateKey: keys, authSecret: auth }).toString('utf8')),
        pushes: () => received.filter((push) => push.path === path),
      };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
