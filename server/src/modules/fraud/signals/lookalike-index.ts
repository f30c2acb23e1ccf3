import { hostOf, isFreeMailDomain, registrableDomainOf } from '../domains.js';
import { compareWithTarget, partsOf, type Sender, senderOf } from './lookalike-domain.js';

/**
 * The company domains a mail could imitate, bucketed so that a mail is compared only with the
 * ones that can match (decision 0065): compareWithTarget matches a target when
 * - its label equals the sender's (other ending) or its skeleton equals the sender's (homoglyphs),
 * - its label or skeleton is within edit distance 2, so its length is within 2 of the sender's,
 * - its label is part of the sender's label (name contained) or of the subdomain in front of the
 *   sender's domain (brand in subdomain; a target domain found there starts with its label).
 * So the candidates are: the label and skeleton buckets, the length buckets ±2, and the label
 * bucket of every substring of the sender's label and subdomain. Each candidate is then judged by
 * compareWithTarget itself, so the answers are those of comparing with every target.
 */
export type LookalikeIndex = {
  /** The domains that can be imitated (a label, not free mail), in the order of the list given. */
  targets: string[];
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
      if (!found.has(at) && compareWithTarget(sender, index.targets[at] as string, none) !== null) found.add(at);
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
  for (let d = -MAX_DISTANCE; d <= MAX_DISTANCE; d++) {
    take(index.byLabelLength.get(sender.label.length + d));
    take(index.bySkeletonLength.get(sender.labelSkeleton.length + d));
  }
  for (const text of [sender.label, sub]) {
    for (let i = 0; i < text.length; i++) for (let j = i + 1; j <= text.length; j++) take(index.byLabel.get(text.slice(i, j)));
  }
  return positions;
}
