/**
 * The questions asked most often without a library answer: the first incoming mail of each
 * conversation in the inquiry (info@) and service (support@) mailboxes the agent may read over
 * the last N days, grouped by similarity (TF-IDF cosine, one pass: a mail joins the closest
 * group's centroid when close enough, else starts a group). A group whose centroid is close to
 * a library answer counts as answered and is left out.
 */
import type { FaqQuestionCluster } from '@pier/contracts';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { incomingQuestionTexts, subjectKey } from '../conversations/index.js';
import { listSessionMailboxes } from '../mailboxes/index.js';
import type { Actor } from '../outbox/index.js';
import { libraryTexts } from './library.js';
import { ownWords, primaryLanguage, snippetOf, tokensOf, withoutVariables } from './text.js';

const DAY = 86_400_000;
const questionPurposes = new Set(['inquiry', 'service']);
export const clusterTuning = { joinAt: 0.2, answeredAt: 0.25, maxMails: 3_000, minCount: 2, maxClusters: 20 };

type Vector = Map<string, number>;

function normalise(v: Vector): Vector {
  let sum = 0;
  for (const x of v.values()) sum += x * x;
  const norm = Math.sqrt(sum) || 1;
  for (const [k, x] of v) v.set(k, x / norm);
  return v;
}

export function cosine(a: Vector, b: Vector): number {
  const [small, large] = a.size < b.size ? [a, b] : [b, a];
  let dot = 0;
  for (const [k, x] of small) dot += x * (large.get(k) ?? 0);
  return dot;
}

/** TF-IDF vectors (log tf, smoothed idf) of token lists, L2-normalised. */
export function tfidfVectors(documents: string[][]): Vector[] {
  const df = new Map<string, number>();
  for (const tokens of documents) for (const t of new Set(tokens)) df.set(t, (df.get(t) ?? 0) + 1);
  const n = documents.length;
  return documents.map((tokens) => {
    const tf = new Map<string, number>();
    for (const t of tokens) tf.set(t, (tf.get(t) ?? 0) + 1);
    const v: Vector = new Map();
    for (const [t, f] of tf) v.set(t, (1 + Math.log(f)) * Math.log(1 + n / (df.get(t) ?? 1)));
    return normalise(v);
  });
}

type Group<T> = { members: T[]; sum: Vector; centroid: Vector };

/** One pass of leader clustering on normalised vectors. */
export function groupBySimilarity<T>(items: { vector: Vector; item: T }[], joinAt: number): Group<T>[] {
  const groups: Group<T>[] = [];
  for (const { vector, item } of items) {
    let bestGroup: Group<T> | undefined;
    let bestScore = joinAt;
    for (const g of groups) {
      const score = cosine(vector, g.centroid);
      if (score >= bestScore) {
        bestScore = score;
        bestGroup = g;
      }
    }
    if (!bestGroup) {
      groups.push({ members: [item], sum: new Map(vector), centroid: new Map(vector) });
      continue;
    }
    bestGroup.members.push(item);
    for (const [k, x] of vector) bestGroup.sum.set(k, (bestGroup.sum.get(k) ?? 0) + x);
    bestGroup.centroid = normalise(new Map(bestGroup.sum));
  }
  return groups;
}

export async function unansweredQuestions(
  db: Kysely<Database>,
  actor: Actor,
  options: { now: number; days: number },
): Promise<{ days: number; mailsRead: number; items: FaqQuestionCluster[] }> {
  const mailboxIds = (await listSessionMailboxes(db, actor.scope)).filter((m) => questionPurposes.has(m.purpose)).map((m) => m.id);
  const [mails, library] = await Promise.all([
    incomingQuestionTexts(db, { mailboxIds, since: options.now - options.days * DAY, limit: clusterTuning.maxMails }),
    libraryTexts(db),
  ]);
  // The question is the first mail of a conversation (rows come newest first: the last one wins).
  const firstOfConversation = new Map<string, (typeof mails)[number]>();
  for (const mail of mails) firstOfConversation.set(mail.conversationId, mail);
  const questions = [...firstOfConversation.values()]
    .reverse()
    .map((m) => ({ ...m, own: ownWords(m.text) }))
    .filter((m) => m.own.length > 0 || m.subject.length > 0);

  const vectors = tfidfVectors([
    ...questions.map((q) => tokensOf(subjectKey(q.subject), subjectKey(q.subject), q.own.slice(0, 1_500))),
    ...library.map((l) => tokensOf(l.title, withoutVariables(l.body_text))),
  ]);
  const questionVectors = vectors.slice(0, questions.length);
  const libraryVectors = vectors.slice(questions.length);
  const groups = groupBySimilarity(
    questions.map((q, i) => ({ vector: questionVectors[i] ?? new Map(), item: q })),
    clusterTuning.joinAt,
  );

  const vectorOf = new Map(questions.map((q, i) => [q, questionVectors[i] ?? new Map<string, number>()]));
  const items: FaqQuestionCluster[] = [];
  for (const g of groups) {
    if (g.members.length < clusterTuning.minCount) continue;
    if (libraryVectors.some((v) => cosine(v, g.centroid) >= clusterTuning.answeredAt)) continue;
    // The member closest to the centroid stands for the group.
    const typical = [...g.members].sort(
      (a, b) => cosine(vectorOf.get(b) ?? new Map(), g.centroid) - cosine(vectorOf.get(a) ?? new Map(), g.centroid),
    )[0];
    if (!typical) continue;
    const terms = [...g.centroid]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 6)
      .map(([t]) => t);
    const languages = g.members.map((m) => primaryLanguage(m.language)).filter((l): l is string => l !== null);
    items.push({
      count: g.members.length,
      subject: typical.subject,
      snippet: snippetOf(typical.own),
      language: mostCommon(languages),
      conversationIds: g.members.map((m) => m.conversationId).slice(0, 20),
      terms,
    });
  }
  items.sort((a, b) => b.count - a.count);
  return { days: options.days, mailsRead: mails.length, items: items.slice(0, clusterTuning.maxClusters) };
}

function mostCommon(values: string[]): string | null {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
}
