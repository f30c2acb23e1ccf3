import { describe, expect, it } from 'vitest';
import { pushKindOf } from './kinds.js';

describe('pushed notification kinds', () => {
  it('pushes a fraud flag on my conversation as a fraud warning, and nothing for kinds it does not name', () => {
    expect([pushKindOf('fraud_flag'), pushKindOf('flagged_phone_changed'), pushKindOf('note'), pushKindOf('toString')]).toEqual([
      'fraud',
      'fraud',
      undefined,
      undefined,
    ]);
  });
});
