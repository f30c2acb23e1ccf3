import argon2 from 'argon2';

// OWASP's argon2id baseline (19 MiB, 2 passes, 1 lane): ~30 ms here, slow enough for offline attacks.
const options = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, options);
}

let dummyHash: Promise<string> | undefined;

/** Made once at start (the HTTP app calls this), so the first unknown address does not cost twice. */
export function prepareDummyHash(): Promise<string> {
  dummyHash ??= hashPassword('pier-dummy-password-for-timing');
  return dummyHash;
}

/**
 * Verifies a password; with no stored hash (unknown user) it still spends the
 * same time on a dummy hash (same argon2 parameters), so response time does not reveal which emails exist.
 */
export async function verifyPassword(storedHash: string | undefined, password: string): Promise<boolean> {
  if (!storedHash) {
    await argon2.verify(await prepareDummyHash(), password).catch(() => false);
    return false;
  }
  return argon2.verify(storedHash, password).catch(() => false);
}
