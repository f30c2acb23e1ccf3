/**
 * Okapi BM25 over a small in-memory corpus (pure). The FAQ library and the sent answers an
 * agent may read are a few thousand documents at most, so ranking them in the process is
 * simpler and, on both engines, identical — FTS5's bm25() and PostgreSQL's ts_rank differ.
 */
export type Bm25Document<T> = { tokens: string[]; item: T };
export type Bm25Hit<T> = { item: T; score: number };

const k1 = 1.2;
const b = 0.75;

export class Bm25Index<T> {
  private readonly docs: { tf: Map<string, number>; length: number; item: T }[];
  private readonly df = new Map<string, number>();
  private readonly averageLength: number;

  constructor(documents: Bm25Document<T>[]) {
    this.docs = documents.map((doc) => {
      const tf = new Map<string, number>();
      for (const token of doc.tokens) tf.set(token, (tf.get(token) ?? 0) + 1);
      for (const token of tf.keys()) this.df.set(token, (this.df.get(token) ?? 0) + 1);
      return { tf, length: doc.tokens.length, item: doc.item };
    });
    const total = this.docs.reduce((sum, d) => sum + d.length, 0);
    this.averageLength = this.docs.length === 0 ? 0 : total / this.docs.length;
  }

  /** Inverse document frequency (the BM25+ form, never negative). */
  idf(token: string): number {
    const n = this.docs.length;
    const df = this.df.get(token) ?? 0;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /** Documents with a score above zero, best first. Each distinct query token counts once. */
  search(queryTokens: string[], limit: number): Bm25Hit<T>[] {
    const terms = [...new Set(queryTokens)].filter((t) => this.df.has(t));
    if (terms.length === 0 || this.averageLength === 0) return [];
    const hits: Bm25Hit<T>[] = [];
    for (const doc of this.docs) {
      let score = 0;
      for (const term of terms) {
        const f = doc.tf.get(term);
        if (!f) continue;
        score += (this.idf(term) * f * (k1 + 1)) / (f + k1 * (1 - b + (b * doc.length) / this.averageLength));
      }
      if (score > 0) hits.push({ item: doc.item, score });
    }
    return hits.sort((x, y) => y.score - x.score).slice(0, limit);
  }

  /** The best score any document could reach for this query: each term at its IDF × (k1 + 1). */
  ceiling(queryTokens: string[]): number {
    return [...new Set(queryTokens)].reduce((sum, t) => sum + (this.df.has(t) ? this.idf(t) * (k1 + 1) : 0), 0);
  }
}
