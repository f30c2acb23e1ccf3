import { describe, expect, it } from 'vitest';
import { Bm25Index } from './bm25.js';
import { ownWords, tokensOf, withoutVariables } from './text.js';

describe('BM25 over FAQ texts', () => {
  const docs = [
    { id: 'moq', text: 'Our minimum order quantity for LED panels is 100 pcs.' },
    { id: 'lead', text: 'Lead time is 15 days after the deposit.' },
    { id: 'sample', text: '可以寄样品。样品费下单后退还。' },
    { id: 'moq-zh', text: '我们LED面板灯的最小起订量是100件。' },
  ];
  const index = new Bm25Index(docs.map((d) => ({ tokens: tokensOf(d.text), item: d.id })));

  it('ranks the answer sharing the rare words first', () => {
    expect(index.search(tokensOf('What is the minimum order quantity?'), 5)[0]?.item).toBe('moq');
    expect(index.search(tokensOf('How long is your lead time?'), 5)[0]?.item).toBe('lead');
  });

  it('matches Chinese by bigrams, without spaces in the question', () => {
    expect(index.search(tokensOf('请问样品费多少？'), 5)[0]?.item).toBe('sample');
    expect(index.search(tokensOf('最小起订量是多少'), 5)[0]?.item).toBe('moq-zh');
  });

  it('finds nothing for words no answer has, and scores within the ceiling', () => {
    expect(index.search(tokensOf('invoice overdue'), 5)).toEqual([]);
    const query = tokensOf('minimum order quantity');
    const [hit] = index.search(query, 1);
    expect(hit?.score).toBeGreaterThan(0);
    expect(hit?.score).toBeLessThanOrEqual(index.ceiling(query));
  });
});

describe('ownWords', () => {
  it('cuts the quoted history in English and Chinese mail', () => {
    expect(ownWords('Thanks, 15 days.\n\nOn Mon, 7 Dec 2026, Piet wrote:\n> how long?')).toBe('Thanks, 15 days.');
    expect(ownWords('好的，十五天。\n在 2026年12月7日 王先生 写道：\n> 多久？')).toBe('好的，十五天。');
    expect(ownWords('Yes.\n-----Original Message-----\nFrom: x')).toBe('Yes.');
  });
});

describe('tokensOf', () => {
  it('keeps subject and body apart and drops stop words and lone CJK characters', () => {
    expect(tokensOf('样品', '您好，请问')).toEqual(['样品']);
    expect(tokensOf('Dear team, the price')).toEqual(['team', 'price']);
  });
});

describe('withoutVariables', () => {
  it('leaves the words of an answer, not its variables', () => {
    expect(tokensOf(withoutVariables('Dear {{contact.name}}, samples are free. {{ agent.name }}'))).toEqual(['samples', 'free']);
  });
});
