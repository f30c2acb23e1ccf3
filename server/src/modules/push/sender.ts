import type { PushKind, PushPayload, PushTestResult } from '@pier/contracts';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import webpush, { WebPushError } from 'web-push';
import type { Clock } from '../../clock.js';
import type { Database } from '../../db/schema.js';
import type { HostGuard } from '../mailboxes/index.js';
import { type CreatedNotification, committedNotifications } from '../notifications/index.js';
import type { SecretBox } from '../security/index.js';
import { guardedPushAgent, isLiteralRefused } from './endpoint-guard.js';
import { pushKindOf } from './kinds.js';
import { dropExpiredSubscription, markSubscriptionUsed, pushKindsOf, subscriptionsOf } from './subscriptions.js';
import { workspaceVapidKeys } from './vapid.js';

/** A notification not readable after this long was rolled back (or its transaction is stuck): not pushed. */
const COMMIT_WAIT_MS = 30_000;
const RETRY_MS = 100;
/** Kept by the push service until the device is online; after a day "assigned to you" is old news. */
const TTL_SECONDS = 24 * 60 * 60;

export type PushSender = {
  /** For `onNotificationCreated`: pushes the notification once its transaction committed. */
  notificationCreated(created: CreatedNotification): void;
  /** A "test" push to every device of the user (the settings screen's test button). */
  sendTest(userId: string): Promise<PushTestResult>;
  /** Waits for pushes in flight (tests, shutdown). */
  flush(): Promise<void>;
};

export function createPushSender(options: {
  db: Kysely<Database>;
  secrets: SecretBox;
  hosts: HostGuard;
  logger: Logger;
  clock: Clock;
  /** VAPID "sub": who the push services contact about this sender (https URL or mailto:). */
  subject: string;
}): PushSender {
  const { db, logger } = options;
  const agent = guardedPushAgent(options.hosts);
  const waiting = new Map<string, number>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  async function deliver(userId: string, payload: PushPayload): Promise<PushTestResult> {
    const result = { sent: 0, removed: 0, failed: 0 };
    const subscriptions = await subscriptionsOf(db, userId);
    if (subscriptions.length === 0) return result;
    const vapid = await workspaceVapidKeys(db, options.secrets);
    const body = JSON.stringify(payload);
    for (const sub of subscriptions) {
      if (isLiteralRefused(options.hosts, sub.endpoint)) {
        result.failed++;
        continue;
      }
      try {
        await webpush.sendNotification({ endpoint: sub.endpoint, keys: { p256dh: sub.p256dh, auth: sub.auth } }, body, {
          vapidDetails: { subject: options.subject, publicKey: vapid.publicKey, privateKey: vapid.privateKey },
          TTL: TTL_SECONDS,
          urgency: 'high',
          timeout: 10_000,
          agent,
        });
        await markSubscriptionUsed(db, sub.id, options.clock.now());
        result.sent++;
      } catch (error) {
        if (error instanceof WebPushError && (error.statusCode === 404 || error.statusCode === 410)) {
          await dropExpiredSubscription(db, sub.id);
          result.removed++;
        } else {
          result.failed++;
          // The endpoint is a capability URL: only its host is logged.
          const status = error instanceof WebPushError ? error.statusCode : undefined;
          const reason = error instanceof Error ? error.message : String(error);
          logger.warn({ host: new URL(sub.endpoint).host, status, err: reason }, 'web push failed');
        }
      }
    }
    return result;
  }

  async function pushCommitted(): Promise<void> {
    const ids = [...waiting.keys()];
    if (ids.length === 0) return;
    const committed = await committedNotifications(db, ids);
    for (const note of committed) {
      waiting.delete(note.id);
      const kind = pushKindOf(note.kind) as PushKind;
      if (!(await pushKindsOf(db, note.userId)).includes(kind)) continue;
      const conversationId = typeof note.data.conversationId === 'string' ? note.data.conversationId : null;
      await deliver(note.userId, { kind, notificationId: note.id, conversationId });
    }
    const now = Date.now();
    for (const [id, since] of waiting) if (now - since > COMMIT_WAIT_MS) waiting.delete(id);
    if (waiting.size > 0) schedule(RETRY_MS);
  }

  function schedule(ms: number) {
    if (timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      running = running
        .then(pushCommitted)
        .catch((error: unknown) =>
          logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'web push: dispatch failed'),
        );
    }, ms);
    // A retry waiting for a commit must not keep a stopping process alive.
    timer.unref();
  }

  return {
    notificationCreated(created) {
      if (!pushKindOf(created.kind)) return;
      waiting.set(created.id, Date.now());
      schedule(10);
    },
    sendTest: (userId) => deliver(userId, { kind: 'test', notificationId: null, conversationId: null }),
    async flush() {
      await running;
    },
  };
}
