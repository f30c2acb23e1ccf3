import type { Kysely } from 'kysely';
import webpush from 'web-push';
import type { Database } from '../../db/schema.js';
import { insertSettingOnce, readSetting } from '../../db/settings.js';
import type { SecretBox } from '../security/index.js';

const VAPID_SETTING = 'push.vapid';

export type VapidKeys = { publicKey: string; privateKey: string };

/**
 * The workspace's VAPID key pair, made once on first use and kept in `settings` with the private
 * key sealed by the secret box (like mailbox passwords). Browsers subscribed with the public key:
 * a new pair would orphan every subscription, so it is never replaced.
 */
export async function workspaceVapidKeys(db: Kysely<Database>, secrets: SecretBox): Promise<VapidKeys> {
  const stored = await readSetting(db, VAPID_SETTING);
  if (stored) return openStored(stored, secrets);
  const fresh = webpush.generateVAPIDKeys();
  try {
    await insertSettingOnce(db, VAPID_SETTING, JSON.stringify({ publicKey: fresh.publicKey, privateKey: secrets.seal(fresh.privateKey) }));
    return fresh;
  } catch (error) {
    // Another process made the pair first: use theirs.
    const theirs = await readSetting(db, VAPID_SETTING);
    if (!theirs) throw error;
    return openStored(theirs, secrets);
  }
}

function openStored(stored: string, secrets: SecretBox): VapidKeys {
  const value = JSON.parse(stored) as { publicKey: string; privateKey: string };
  return { publicKey: value.publicKey, privateKey: secrets.open(value.privateKey) };
}
