import { randomBytes } from 'node:crypto';
import { v7 } from 'uuid';
import { describe, expect, it } from 'vitest';
import { createPierMessageIds } from './pier-message-id.js';

const conversationId = '0198c3a2-7b4e-7f01-9a3c-5d2e8f6b1c40';
const ids = createPierMessageIds(randomBytes(32));

describe('Pier Message-IDs: create', () => {
  it('makes an RFC 5322 msg-id that carries the conversation as 32 hex digits and a 96-bit tag', () => {
    const id = ids.create(conversationId, 'Mail.Acme.test');
    expect(id).toMatch(/^<[0-9a-z]+\.pier-0198c3a27b4e7f019a3c5d2e8f6b1c40\.[0-9a-f]{24}@mail\.acme\.test>$/);
  });

  it('never gives the same id twice for one conversation', () => {
    const made = new Set(Array.from({ length: 1000 }, () => ids.create(conversationId, 'acme.test')));
    expect(made.size).toBe(1000);
  });

  it('refuses what is not a conversation id or a domain', () => {
    expect(() => ids.create('42', 'acme.test')).toThrow();
    expect(() => ids.create(conversationId, 'acme')).toThrow();
    expect(() => ids.create(conversationId, 'a@b.test')).toThrow();
  });
});

describe('Pier Message-IDs: verifiedConversation', () => {
  it('restores the conversation id from its own Message-ID, with or without angle brackets', () => {
    const id = ids.create(conversationId, 'acme.test');
    expect(ids.verifiedConversation([id])).toBe(conversationId);
    expect(ids.verifiedConversation([id.slice(1, -1)])).toBe(conversationId);
  });

  it('round-trips fresh UUIDv7 conversation ids', () => {
    for (let i = 0; i < 100; i++) {
      const id = v7();
      expect(ids.verifiedConversation([ids.create(id, 'acme.test')])).toBe(id);
    }
  });

  it('finds the first verified id among ids of other software', () => {
    const other = '1f2e3d4c-5b6a-7980-8a1b-2c3d4e5f6a7b';
    const list = [
      '<CAF=abc123@mail.gmail.com>',
      '<AM0PR01MB1234.eurprd01.prod.exchangelabs.com>',
      ids.create(conversationId, 'acme.test'),
      ids.create(other, 'acme.test'),
    ];
    expect(ids.verifiedConversation(list)).toBe(conversationId);
  });

  it('reads an id whose case a relay changed', () => {
    expect(ids.verifiedConversation([ids.create(conversationId, 'acme.test').toUpperCase()])).toBe(conversationId);
  });

  it('trusts no id of the first, untagged shape, whatever conversation it names', () => {
    expect(ids.verifiedConversation(['<abc123.pier-0198c3a27b4e7f019a3c5d2e8f6b1c40@acme.test>'])).toBeNull();
  });

  it('trusts no id whose conversation, random part or tag was changed, nor one tagged with another key', () => {
    const genuine = ids.create(conversationId, 'acme.test');
    const [, random, hex, tag] = /^<([0-9a-z]+)\.pier-([0-9a-f]{32})\.([0-9a-f]{24})@/.exec(genuine) ?? [];
    const otherConversation = '1f2e3d4c5b6a79808a1b2c3d4e5f6a7b';
    const flipped = `${tag?.slice(0, -1)}${tag?.endsWith('0') ? '1' : '0'}`;
    const forged = [
      `<${random}.pier-${otherConversation}.${tag}@acme.test>`,
      `<x${random}.pier-${hex}.${tag}@acme.test>`,
      `<${random}.pier-${hex}.${flipped}@acme.test>`,
      `<${random}.pier-${hex}.${'0'.repeat(24)}@acme.test>`,
      createPierMessageIds(randomBytes(32)).create(conversationId, 'acme.test'),
    ];
    for (const id of forged) expect(ids.verifiedConversation([id]), id).toBeNull();
    // The domain is not signed (a relay may rewrite it): only the tag carries trust.
    expect(ids.verifiedConversation([genuine.replace('@acme.test', '@elsewhere.test')])).toBe(conversationId);
  });

  it('ignores malformed ids', () => {
    expect(
      ids.verifiedConversation([
        '<abc.pier-0198c3a27b4e7f019a3c5d2e8f6b1c4.000000000000000000000000@acme.test>', // 31 hex digits
        '<abc.pier-0198c3a27b4e7f019a3c5d2e8f6b1c40.00000000000000000000000@acme.test>', // short tag
        '<pier-0198c3a27b4e7f019a3c5d2e8f6b1c40.000000000000000000000000@acme.test>', // random part missing
        '<abc.pier-0198c3a27b4e7f019a3c5d2e8f6b1c40.000000000000000000000000>', // no domain
        '',
      ]),
    ).toBeNull();
  });

  it('gives null for no ids', () => {
    expect(ids.verifiedConversation([])).toBeNull();
  });
});
