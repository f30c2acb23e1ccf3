import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSecretBox, loadSecretKey } from './secret-box.js';

describe('secret box', () => {
  const key = Buffer.alloc(32, 7);

  it('seals a secret so the stored text does not contain it, and opens it again', () => {
    const box = createSecretBox(key);
    const sealed = box.seal('exmail-client-password');
    expect(sealed).toMatch(/^v1:/);
    expect(sealed).not.toContain('exmail');
    expect(box.open(sealed)).toBe('exmail-client-password');
    expect(box.seal('same')).not.toBe(box.seal('same'));
  });

  it('refuses a tampered secret or the wrong key', () => {
    const sealed = createSecretBox(key).seal('secret');
    const tampered = `${sealed.slice(0, -4)}AAAA`;
    expect(() => createSecretBox(key).open(tampered)).toThrow();
    expect(() => createSecretBox(Buffer.alloc(32, 8)).open(sealed)).toThrow();
  });

  it('creates a 0600 key file in the data dir once and reuses it', () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'pier-key-'));
    try {
      const first = loadSecretKey({ secretKey: undefined, dataDir });
      expect(first.length).toBe(32);
      expect(statSync(path.join(dataDir, 'secret.key')).mode & 0o777).toBe(0o600);
      expect(loadSecretKey({ secretKey: undefined, dataDir }).equals(first)).toBe(true);
      expect(loadSecretKey({ secretKey: Buffer.alloc(32, 1).toString('base64'), dataDir }).equals(Buffer.alloc(32, 1))).toBe(true);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
