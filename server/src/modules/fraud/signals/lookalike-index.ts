import { hostOf, isFreeMailDomain, registrableDomainOf } from '../domains.js';
import { compareWithTarget, partsOf, type Sender, senderOf, type TargetParts } from './lookalike-domain.js';

/**
 * The company domains a mail could imitate, bucketed so that a mail is compared only with the
 * ones that can match (decision 0065): compareWithTarget matches a target when
 * - its label equals the sender's (other ending) or its skeleton equals the sender's (homoglyphs),
 * - its label or skeleton is within edit distance 2, so its length is within 2 of the sender's,
 * - its label is part of the sender's label (name contained) or of the subdomain in front of the
 *   sender's domain (brand in subdomain; a target domain found there starts with its label).
 * So the candidates are: the label and skeleton buckets, the length buckets ±2 less those whose
 * letters alone already differ by more than the distance allowed (bag distance, a lower bound of
 * the edit distance), and the label bucket of every substring of the sender's label and
 * subdomain. Each candidate is then judged by compareWithTarget itself, so the answers are those
 * of comparing with every target.
 */
export type LookalikeIndex = {
  /** The domains that can be imitated (a label, not free mail), in the order of the list given. */
  targets: string[];
  parts: TargetParts[];
  /** letterMask of each target's label and skeleton. */
  labelMasks: number[];
  skeletonMasks: number[];
  byLabel: Map<string, number[]>;
  bySkeleton: Map<string, number[]>;
  byLabelLength: Map<number, number[]>;
  bySkeletonLength: Map<number, number[]>;
};

/** Longer strings than this (not a DNS label; a long subdomain) are compared with every target instead. */
const MAX_SUBSTRING_SOURCE = 64;
const MAX_DISTANCE = 2;

export function lookalikeIndexOf(domains: Iterable<string>): LookalikeIndex {
  const index: LookalikeIndex = {
    targets: [],
    parts: [],
    labelMasks: [],
    skeletonMasks: [],
    byLabel: new Map(),
    bySkeleton: new Map(),
    byLabelLength: new Map(),
    bySkeletonLength: new Map(),
  };
  const add = <K>(map: Map<K, number[]>, key: K, at: number) => {
    const bucket = map.get(key);
    if (bucket) bucket.push(at);
    else map.set(key, [at]);
  };
  for (const domain of new Set(domains)) {
    const parts = partsOf(domain);
    if (parts.freeMail || !parts.label) continue;
    const at = index.targets.push(domain) - 1;
    index.parts.push(parts);
    index.labelMasks.push(letterMask(parts.label));
    index.skeletonMasks.push(letterMask(parts.skeleton));
    add(index.byLabel, parts.label, at);
    add(index.bySkeleton, parts.skeleton, at);
    add(index.byLabelLength, parts.label.length, at);
    add(index.bySkeletonLength, parts.skeleton.length, at);
  }
  return index;
}

/**
 * The company domains in `index` that a mail from (or asking replies to) these addresses could be
 * judged to imitate: what lookalikeSignals compares, before anyone's trust is known. history.ts
 * reads trust only for these (decision 0065). In the index's order.
 */
export function lookalikeCandidates(addresses: string[], index: LookalikeIndex): string[] {
  const senders = new Map<string, Sender>();
  for (const address of addresses) {
    const host = hostOf(address);
    const domain = registrableDomainOf(address);
    if (host && domain && !isFreeMailDomain(domain)) senders.set(host, senderOf(host, domain));
  }
  const none = new Set<string>();
  const found = new Set<number>();
  for (const sender of senders.values()) {
    for (const at of positionsToCompare(sender, index)) {
      if (!found.has(at) && compareWithTarget(sender, index.targets[at] as string, none, index.parts[at]) !== null) found.add(at);
    }
  }
  return [...found].sort((a, b) => a - b).map((at) => index.targets[at] as string);
}

/** The targets that can match this sender (a superset of the matches), or every target. */
function positionsToCompare(sender: Sender, index: LookalikeIndex): Iterable<number> {
  const sub = sender.host.slice(0, Math.max(0, sender.host.length - sender.domain.length - 1));
  if (sub.length > MAX_SUBSTRING_SOURCE || sender.label.length > MAX_SUBSTRING_SOURCE) return index.targets.keys();
  const positions = new Set<number>();
  const take = (bucket: number[] | undefined) => {
    if (bucket) for (const at of bucket) positions.add(at);
  };
  take(index.byLabel.get(sender.label));
  take(index.bySkeleton.get(sender.labelSkeleton));
  for (const [text, ofTarget, masks, byLength] of [
    [sender.label, (t: TargetParts) => t.label, index.labelMasks, index.byLabelLength],
    [sender.labelSkeleton, (t: TargetParts) => t.skeleton, index.skeletonMasks, index.bySkeletonLength],
  ] as const) {
    const mask = letterMask(text);
    countLetters(text, 1);
    for (let d = -MAX_DISTANCE; d <= MAX_DISTANCE; d++) {
      for (const at of byLength.get(text.length + d) ?? []) {
        const t = index.parts[at] as TargetParts;
        // compareWithTarget's edit-distance rule: 1 from 4 letters on, 2 from 8 on.
        const allowed = t.label.length >= 8 ? 2 : t.label.length >= 4 ? 1 : -1;
        const targetMask = masks[at] as number;
        // Cheap first: letter kinds only one side has (each needs an edit of its own), then counts.
        if (bitCount(targetMask & ~mask) > allowed || bitCount(mask & ~targetMask) > allowed) continue;
        if (!positions.has(at) && bagDistance(text.length, ofTarget(t)) <= allowed) positions.add(at);
      }
    }
    countLetters(text, -1);
  }
  for (const text of [sender.label, sub]) {
    for (let i = 0; i < text.length; i++) for (let j = i + 1; j <= text.length; j++) take(index.byLabel.get(text.slice(i, j)));
  }
  return positions;
}

/**
 * The kinds of letter in a string, folded into 32 bits (code unit mod 32). A bit one string has
 * and the other lacks is a letter kind the other does not contain, so the bits only one side has
 * never outnumber the edits between them (folding only merges kinds, which can lower the count).
 */
function letterMask(text: string): number {
  let mask = 0;
  for (let i = 0; i < text.length; i++) mask |= 1 << (text.charCodeAt(i) & 31);
  return mask;
}

function bitCount(n: number): number {
  let x = n - ((n >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** The sender's letters (UTF-16 code units) counted, and the target's seen so far, for bagDistance. */
const senderLetters = new Int32Array(65_536);
const targetLetters = new Int32Array(65_536);
function countLetters(text: string, step: 1 | -1) {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    senderLetters[c] = (senderLetters[c] as number) + step;
  }
}

/**
 * Against the sender's counted letters: the larger of the letters only in one string and only in
 * the other (as multisets). Each edit (insert, delete, substitute, swap two neighbours) changes it
 * by at most one, so it never exceeds the edit distance: a target above the allowed distance here
 * cannot match by distance.
 */
function bagDistance(senderLength: number, b: string): number {
  let shared = 0;
  for (let i = 0; i < b.length; i++) {
    const c = b.charCodeAt(i);
    if ((targetLetters[c] as number) < (senderLetters[c] as number)) shared++;
    targetLetters[c] = (targetLetters[c] as number) + 1;
  }
  for (let i = 0; i < b.length; i++) targetLetters[b.charCodeAt(i)] = 0;
  return Math.max(senderLength - shared, b.length - shared);
}
