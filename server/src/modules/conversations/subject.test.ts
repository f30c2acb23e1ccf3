import { describe, expect, it } from 'vitest';
import { isReplyOrForward, subjectKey } from './subject.js';

describe('subjectKey', () => {
  it.each([
    ['Re: Quotation for 500 pcs', 'quotation for 500 pcs'],
    ['RE: RE: Fwd: Quotation', 'quotation'],
    ['Re[2]: Quotation', 'quotation'],
    ['RE(3): Quotation', 'quotation'],
    ['Fw: FW: fwd: Quotation', 'quotation'],
    ['AW: WG: Angebot', 'angebot'],
    ['SV: VS: Tarjous', 'tarjous'],
    ['RV: Enc: Cotización', 'cotización'],
    ['Odp: Antw: Antwort: Oferta', 'oferta'],
    ['TR: Réf: Devis', 'devis'],
    ['Rif: Ynt: İlt: Ila: Teklif', 'teklif'],
    ['ΑΠ: ΣΧΕΤ: Προσφορά', 'προσφορά'],
    ['Ответ: Отв: Пересл: Предложение', 'предложение'],
    ['回复：报价单', '报价单'],
    ['答复: 回覆：轉寄: 轉發：转发: 报价单', '报价单'],
    ['返信: 転送：見積もり', '見積もり'],
    ['ＲＥ：ｑｕｏｔａｔｉｏｎ', 'quotation'],
    ['[EXTERNAL] Re: Quotation', 'quotation'],
    ['Re:[Ext] Quotation', 'quotation'],
    ['[外部邮件] 回复: 报价单', '报价单'],
    ['【外部】RE：报价单', '报价单'],
    ['[sales] [EXTERNAL] Re: [sales] Quotation', 'quotation'],
    ['  Quotation    for\t500   pcs  ', 'quotation for 500 pcs'],
  ])('normalises %j to %j', (subject, key) => {
    expect(subjectKey(subject)).toBe(key);
  });

  it('keeps generic subjects as they are, for the caller to scope by counterparty', () => {
    expect(subjectKey('Inquiry')).toBe('inquiry');
    expect(subjectKey('Re: Inquiry')).toBe('inquiry');
  });

  it('leaves words that only start like a prefix alone', () => {
    expect(subjectKey('Request for quotation')).toBe('request for quotation');
    expect(subjectKey('Re-quote: 500 pcs')).toBe('re-quote: 500 pcs');
    expect(subjectKey('Ref: PO 4711')).toBe('ref: po 4711');
    expect(subjectKey('Trade fair invitation')).toBe('trade fair invitation');
    expect(subjectKey('回复率报告')).toBe('回复率报告');
  });

  it('keeps brackets that are not at the start', () => {
    expect(subjectKey('Order [PO-1234] shipped')).toBe('order [po-1234] shipped');
  });

  it('gives an empty key for a subject that is nothing but prefixes', () => {
    expect(subjectKey('Re: ')).toBe('');
    expect(subjectKey('')).toBe('');
  });
});

describe('isReplyOrForward', () => {
  it('sees prefixes in any language, also behind tags', () => {
    expect(isReplyOrForward('Re: x')).toBe(true);
    expect(isReplyOrForward('[EXTERNAL] FW: x')).toBe(true);
    expect(isReplyOrForward('回复：x')).toBe(true);
    expect(isReplyOrForward('Пересл: x')).toBe(true);
  });

  it('is false for a fresh subject, a tag alone, or a prefix-like word', () => {
    expect(isReplyOrForward('Quotation')).toBe(false);
    expect(isReplyOrForward('[EXTERNAL] Quotation')).toBe(false);
    expect(isReplyOrForward('Request for quotation')).toBe(false);
  });
});
