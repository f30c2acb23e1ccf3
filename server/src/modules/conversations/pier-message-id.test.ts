import { v7 } from 'uuid';
import { describe, expect, it } from 'vitest';
import { conversationIdFromMessageIds, newPierMessageId } from './pier-message-id.js';

const conversationId = '0198c3a2-7b4e-7f01-9a3c-5d2e8f6b1c40';

describe('newPierMessageId', () => {
  it('makes an RFC 5322 msg-id that carries the conversation as 32 hex digits', () => {
    const id = newPierMessageId(conversationId, 'Mail.Acme.test');
    expect(id).toMatch(/^<[0-9a-z]+\.pier-0198c3a27b4e7f019a3c5d2e8f6b1c40@mail\.acme\.test>$/);
  });

  it('never gives the same id twice for one conversation', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => newPierMessageId(conversationId, 'acme.test')));
    expect(ids.size).toBe(1000);
  });

  it('refuses what is not a conversation id or a domain', () => {
    expect(() => newPierMessageId('42', 'acme.test')).toThrow();
    expect(() => newPierMessageId(conversationId, 'acme')).toThrow();
    expect(() => newPierMessageId(conversationId, 'a@b.test')).toThrow();
  });
});

describe('conversationIdFromMessageIds', () => {
  it('restores the conversation id from its own Message-ID, with or without angle brackets', () => {
    const id = newPierMessageId(conversationId, 'acme.test');
    expect(conversationIdFromMessageIds([id])).toBe(conversationId);
    expect(conversationIdFromMessageIds([id.slice(1, -1)])).toBe(conversationId);
  });

  it('round-trips fresh UUIDv7 conversation ids', () => {
    for (let i = 0; i < 100; i++) {
      const id = v7();
      expect(conversationIdFromMessageIds([newPierMessageId(id, 'acme.test')])).toBe(id);
    }
  });

  it('finds the token among ids of other software and takes the first one', () => {
    const other = '1f2e3d4c-5b6a-7980-8a1b-2c3d4e5f6a7b';
    const ids = [
      '<CAF=abc123@mail.gmail.com>',
      '<AM0PR01MB1234.eurprd01.prod.exchangelabs.com>',
      newPierMessageId(conversationId, 'acme.test'),
      newPierMessageId(other, 'acme.test'),
    ];
    expect(conversationIdFromMessageIds(ids)).toBe(conversationId);
  });

  it('reads a token whose case a relay changed', () => {
    expect(conversationIdFromMessageIds(['<ABC123.PIER-0198C3A27B4E7F019A3C5D2E8F6B1C40@ACME.TEST>'])).toBe(conversationId);
  });

  it('ignores forged-looking but malformed tokens', () => {
    expect(
      conversationIdFromMessageIds([
        '<abc.pier-0198c3a27b4e7f019a3c5d2e8f6b1c4@acme.test>', // 31 hex digits
        '<abc.pier-0198c3a27b4e7f019a3c5d2e8f6b1c400@acme.test>', // 33 hex digits
        '<abc.pier-0198c3a27b4e7f019a3c5d2e8f6b1cxz@acme.test>', // not hex
        '<abc.pier-0198c3a27b4e0f019a3c5d2e8f6b1c40@acme.test>', // version digit 0
        '<abc.pier-0198c3a27b4e7f01ca3c5d2e8f6b1c40@acme.test>', // variant nibble c
        '<pier-0198c3a27b4e7f019a3c5d2e8f6b1c40@acme.test>', // random part missing
        '<abc.pier-0198c3a27b4e7f019a3c5d2e8f6b1c40>', // no domain
        '<abc.pier-0198c3a27b4e7f019a3c5d2e8f6b1c40@acme.test> trailing',
        '',
      ]),
    ).toBeNull();
  });

  it('gives null for no ids', () => {
    expect(conversationIdFromMessageIds([])).toBeNull();
  });
});
