import { describe, expect, it } from 'vitest';
import { detectLanguage } from './index.js';

describe('message language', () => {
  it('recognises the usual languages of export inquiries', () => {
    expect(detectLanguage('Dear Sir, please send us your best price for 2000 pcs of the LED panel.')).toBe('en');
    expect(detectLanguage('Sehr geehrte Damen und Herren, bitte senden Sie uns ein Angebot für 500 Stück.')).toBe('de');
    expect(detectLanguage('Buenos días, necesitamos una cotización para 500 unidades del modelo nuevo.')).toBe('es');
    expect(detectLanguage('Hallo, wij willen graag een offerte ontvangen voor 300 stuks.')).toBe('nl');
    expect(detectLanguage('Добрый день! Просим выслать коммерческое предложение на 500 штук.')).toBe('ru');
  });

  it('tells Chinese, Japanese and Korean apart by their scripts', () => {
    expect(detectLanguage('您好，请发一下最新的报价单，谢谢')).toBe('zh');
    expect(detectLanguage('こんにちは、見積もりをお願いします。')).toBe('ja');
    expect(detectLanguage('안녕하세요, 견적서를 보내주세요.')).toBe('ko');
  });

  it('lets the dominant script decide in mixed Chinese and English text', () => {
    expect(detectLanguage('您好，我们需要LED panel 600x600的报价，数量两千个，请尽快回复，谢谢')).toBe('zh');
    expect(detectLanguage('Please quote the following items, delivery to Hamburg before March: 灯')).toBe('en');
  });

  it('is unsure about short or evenly mixed text', () => {
    expect(detectLanguage('Thanks!')).toBeNull();
    expect(detectLanguage('谢谢')).toBeNull();
    expect(detectLanguage('123 456 https://example.com a@b.de')).toBeNull();
    expect(detectLanguage('请发报价单 quotation please')).toBeNull();
  });

  it('ignores quoted lines of the previous message', () => {
    const reply =
      'Danke, passt so.\nBis bald und schöne Grüße aus Hamburg\n> Dear customer, please find attached the quotation for your order.\n> Best regards';
    expect(detectLanguage(reply)).toBe('de');
  });
});
