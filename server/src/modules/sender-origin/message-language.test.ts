import { beforeAll, describe, expect, it } from 'vitest';
import { detectLanguage, loadLanguageDetector } from './index.js';

describe('message language', () => {
  // The n-gram database loads on first use; load it here so its compile time is not a test's.
  beforeAll(() => loadLanguageDetector(), 60_000);

  it('recognises the usual languages of export inquiries', async () => {
    expect(await detectLanguage('Dear Sir, please send us your best price for 2000 pcs of the LED panel.')).toBe('en');
    expect(await detectLanguage('Sehr geehrte Damen und Herren, bitte senden Sie uns ein Angebot für 500 Stück.')).toBe('de');
    expect(await detectLanguage('Buenos días, necesitamos una cotización para 500 unidades del modelo nuevo.')).toBe('es');
    expect(await detectLanguage('Hallo, wij willen graag een offerte ontvangen voor 300 stuks.')).toBe('nl');
    expect(await detectLanguage('Добрый день! Просим выслать коммерческое предложение на 500 штук.')).toBe('ru');
  });

  it('tells Chinese, Japanese and Korean apart by their scripts', async () => {
    expect(await detectLanguage('您好，请发一下最新的报价单，谢谢')).toBe('zh');
    expect(await detectLanguage('こんにちは、見積もりをお願いします。')).toBe('ja');
    expect(await detectLanguage('안녕하세요, 견적서를 보내주세요.')).toBe('ko');
  });

  it('lets the dominant script decide in mixed Chinese and English text', async () => {
    expect(await detectLanguage('您好，我们需要LED panel 600x600的报价，数量两千个，请尽快回复，谢谢')).toBe('zh');
    expect(await detectLanguage('Please quote the following items, delivery to Hamburg before March: 灯')).toBe('en');
  });

  it('is unsure about short or evenly mixed text', async () => {
    expect(await detectLanguage('Thanks!')).toBeNull();
    expect(await detectLanguage('谢谢')).toBeNull();
    expect(await detectLanguage('123 456 https://example.com a@b.de')).toBeNull();
    expect(await detectLanguage('请发报价单 quotation please')).toBeNull();
  });

  it('ignores quoted lines of the previous message', async () => {
    const reply =
      'Danke, passt so.\nBis bald und schöne Grüße aus Hamburg\n> Dear customer, please find attached the quotation for your order.\n> Best regards';
    expect(await detectLanguage(reply)).toBe('de');
  });
});
