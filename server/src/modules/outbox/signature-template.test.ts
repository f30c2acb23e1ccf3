import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors.js';
import { refuseUnknownSignatureVariables, renderSignatureTemplate, unknownSignatureVariables } from './signature-template.js';

const values = {
  'agent.name': '李娜 Li Na',
  'agent.title': '',
  'company.name': 'ACME',
  'company.phone': '',
  'company.website': 'acme.test',
};

describe('signature templates', () => {
  it('drops the separator next to an empty value', () => {
    expect(renderSignatureTemplate('<p><strong>{{agent.name}}</strong> | {{agent.title}}</p>', values)).toBe(
      '<p><strong>李娜 Li Na</strong></p>',
    );
    expect(renderSignatureTemplate('{{agent.title}} · {{agent.name}}', values)).toBe('李娜 Li Na');
    expect(renderSignatureTemplate('{{company.name}} | {{agent.title}} | {{company.website}}', values)).toBe('ACME | acme.test');
    expect(renderSignatureTemplate('{{company.name}} | {{company.website}} | {{agent.title}}', values)).toBe('ACME | acme.test');
  });

  it('keeps separators between values, and text that is not a separator', () => {
    expect(renderSignatureTemplate('{{agent.name}} | {{company.name}}', values)).toBe('李娜 Li Na | ACME');
    expect(renderSignatureTemplate('{{agent.name}} of {{company.name}}', values)).toBe('李娜 Li Na of ACME');
  });

  it('drops a line whose values are all empty, label included, and keeps the other lines', () => {
    expect(renderSignatureTemplate('<p>{{agent.name}}<br>Tel: {{company.phone}}<br>{{company.website}}</p>', values)).toBe(
      '<p>李娜 Li Na<br><br>acme.test</p>',
    );
  });

  it('escapes values', () => {
    expect(renderSignatureTemplate('{{agent.name}}', { 'agent.name': '<b>x</b>' })).toBe('&lt;b&gt;x&lt;/b&gt;');
  });

  it('lists unknown variables and refuses them with the known ones in the message', () => {
    expect(unknownSignatureVariables('{{name}} {{agent.name}} {{ Company.Name }} {{customer.name}}')).toEqual(['name', 'customer.name']);
    try {
      refuseUnknownSignatureVariables('<p>{{name}}</p>');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).statusCode).toBe(400);
      expect((error as AppError).message).toBe(
        'unknown variable {{name}} in the signature; known: {{agent.name}}, {{agent.title}}, {{agent.email}}, {{company.name}}, {{company.logo}}, {{company.website}}, {{company.phone}}, {{mailbox.name}}, {{mailbox.address}}',
      );
    }
    expect(() => refuseUnknownSignatureVariables('{{agent.name}} | {{company.logo}}')).not.toThrow();
  });
});
