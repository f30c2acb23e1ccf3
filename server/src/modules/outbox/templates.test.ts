import { describe, expect, it } from 'vitest';
import { renderTemplate, safeUrl } from './templates.js';

describe('templates', () => {
  it('fills variables, escapes values and drops unknown ones', () => {
    const html = renderTemplate('<p>Dear {{ customer.name }}, {{agent.name}} of {{mailbox.name}}{{nope.x}}</p>', {
      'customer.name': 'Maria <script>alert(1)</script>',
      'agent.name': '李伟',
      'mailbox.name': 'Sales',
    });
    expect(html).toBe('<p>Dear Maria &lt;script&gt;alert(1)&lt;/script&gt;, 李伟 of Sales</p>');
  });

  it('keeps only http(s) URLs', () => {
    expect(safeUrl('https://acme.test/logo.png')).toBe('https://acme.test/logo.png');
    expect(safeUrl('javascript:alert(1)')).toBe('');
    expect(safeUrl('https://x.test/"onerror=')).toBe('');
  });
});
