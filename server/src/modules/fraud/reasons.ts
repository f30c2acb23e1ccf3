import type { FraudSignal, Reason } from './types.js';

export function signal(code: string, weight: number, en: string, zh: string): FraudSignal {
  return { code, weight, reason: { en, 'zh-CN': zh } satisfies Reason };
}

/** Shortens quoted mail text for a reason line. */
export function quote(text: string, max = 80): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
