import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { BlobStore } from '../../storage/blob-store.js';
import { defineSubscriber, type EventSubscriber } from '../events/index.js';
import { attachBounce } from './bounces.js';

/** Every incoming mail is checked for a delivery report about one of our sends. */
export function bounceSubscriber(deps: { db: Kysely<Database>; blobs: BlobStore }): EventSubscriber {
  return defineSubscriber({
    name: 'outbox.bounce',
    event: 'message.received',
    key: (payload) => payload.messageId,
    run: async (payload) => {
      if (payload.direction !== 'in') return;
      await attachBounce(deps, payload.messageId);
    },
  });
}
