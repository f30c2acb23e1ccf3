import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { WEBHOOK_SIGNATURE_HEADER } from '@pier/contracts';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Clock } from '../../clock.js';
import type { Database } from '../../db/schema.js';
import { defineJob } from '../../jobs/registry.js';
import { type HostGuard, PrivateHostError, resolveAllowedHost } from '../mailboxes/index.js';
import type { SecretBox } from '../security/index.js';
import { WEBHOOK_DELIVER_JOB, WEBHOOK_MAX_ATTEMPTS } from './emit.js';
import { signWebhook } from './sign.js';

const TIMEOUT_MS = 10_000;

export type WebhookDeps = { db: Kysely<Database>; secrets: SecretBox; hosts: HostGuard; clock: Clock; logger: Logger };

/**
 * POSTs one delivery. The URL's host is resolved once and checked by the outbound connection guard
 * (decision 0029); the request goes to that address (Host and TLS name kept), follows no redirect,
 * and the answer's body is not read: only its status counts, 2xx is delivered.
 */
async function post(hosts: HostGuard, url: URL, headers: Record<string, string>, body: string): Promise<number> {
  const { address } = await resolveAllowedHost(hosts, url.hostname.replace(/^\[|\]$/g, ''));
  const family = isIP(address);
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': Buffer.byteLength(body).toString() },
        timeout: TIMEOUT_MS,
        lookup: (_host, options, callback) => {
          if ((options as { all?: boolean }).all)
            (callback as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address, family }]);
          else callback(null, address, family);
        },
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error(`no answer within ${TIMEOUT_MS / 1000} s`)));
    request.on('error', reject);
    request.end(body);
  });
}

/** The delivery job: one try; a failure is written to the log row and thrown so the queue retries with backoff. */
export function webhookJobHandlers(deps: WebhookDeps) {
  return [
    defineJob({
      name: WEBHOOK_DELIVER_JOB,
      payload: z.object({ deliveryId: z.string() }),
      run: async ({ deliveryId }) => {
        const { db } = deps;
        const row = await db
          .selectFrom('webhook_deliveries as d')
          .innerJoin('webhooks as w', 'w.id', 'd.webhook_id')
          .select(['d.id', 'd.event', 'd.body', 'd.state', 'd.attempts', 'w.url', 'w.secret_sealed', 'w.enabled'])
          .where('d.id', '=', deliveryId)
          .executeTakeFirst();
        if (!row || row.state !== 'pending') return;
        const now = deps.clock.now();
        const attempts = row.attempts + 1;
        let status: number | null = null;
        let error: string | null = null;
        if (row.enabled !== 1) {
          error = 'the webhook is turned off';
        } else {
          try {
            status = await post(
              deps.hosts,
              new URL(row.url),
              {
                'content-type': 'application/json',
                'user-agent': 'Pier-Webhooks/1',
                [WEBHOOK_SIGNATURE_HEADER]: signWebhook(deps.secrets.open(row.secret_sealed), row.body, now),
                'pier-event': row.event,
                'pier-delivery': row.id,
              },
              row.body,
            );
            if (status < 200 || status >= 300) error = `answered HTTP ${status}`;
          } catch (cause) {
            // Pier's own words: the receiver's are not echoed (decision 0029).
            error = cause instanceof PrivateHostError ? 'the URL is on a private or reserved network' : 'could not connect or no answer';
            deps.logger.warn({ deliveryId, err: cause instanceof Error ? cause.message : String(cause) }, 'webhook delivery failed');
          }
        }
        const done = error === null;
        const final = done || attempts >= WEBHOOK_MAX_ATTEMPTS || row.enabled !== 1;
        await db
          .updateTable('webhook_deliveries')
          .set({ attempts, response_code: status, error, last_attempt_at: now, state: done ? 'delivered' : final ? 'failed' : 'pending' })
          .where('id', '=', deliveryId)
          .execute();
        if (!final) throw new Error(`webhook delivery ${deliveryId}: ${error}`);
      },
    }),
  ];
}
