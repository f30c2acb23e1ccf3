import { describe, expect, it } from 'vitest';
import { makePng } from '../../../tests/support/images.js';
import { checkLogoImage, logoImageTag } from './signature-logo.js';
import { renderSignatureTemplate } from './signature-template.js';

const refusal = (bytes: Buffer) => {
  try {
    checkLogoImage(bytes);
  } catch (error) {
    return error as { code: string; statusCode: number; message: string };
  }
  throw new Error('accepted');
};

describe('signature logo', () => {
  it('takes a PNG, with its type from the bytes and its size', () => {
    expect(checkLogoImage(makePng(240, 80))).toEqual({ mime: 'image/png', width: 240, height: 80 });
  });

  it('refuses SVG, other files, and images too large or too small, saying why', () => {
    const svg = refusal(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="100" height="40"><script>alert(1)</script></svg>'));
    expect(svg).toMatchObject({ code: 'signature.logo_type', statusCode: 415 });
    expect(svg.message).toContain('SVG is refused');
    expect(refusal(Buffer.from('%PDF-1.7\n'))).toMatchObject({ code: 'signature.logo_type', statusCode: 415 });
    expect(refusal(makePng(200, 60, { padTo: 210 * 1024 }))).toMatchObject({ code: 'signature.logo_too_large', statusCode: 413 });
    expect(refusal(makePng(1600, 100))).toMatchObject({ code: 'signature.logo_dimensions', statusCode: 400 });
    expect(refusal(makePng(8, 8))).toMatchObject({ code: 'signature.logo_dimensions', statusCode: 400 });
  });

  it('is shown at most 60 px tall with its proportions', () => {
    expect(logoImageTag({ width: 400, height: 120 }, 'cid:x@acme.test', 'ACME "Lights"')).toBe(
      '<img src="cid:x@acme.test" alt="ACME &quot;Lights&quot;" width="200" height="60">',
    );
  });

  it('goes where {{company.logo}} stands, also in a template that wrapped it in <img src>', () => {
    const logo = { 'company.logo': '<img src="cid:l@x">' };
    const values = { 'company.name': 'ACME' };
    expect(renderSignatureTemplate('<p>{{company.logo}} | {{company.name}}</p>', values, logo)).toBe('<p><img src="cid:l@x"> | ACME</p>');
    expect(renderSignatureTemplate('<p><img src="{{company.logo}}" alt="logo"><br>{{company.name}}</p>', values, logo)).toBe(
      '<p><img src="cid:l@x"><br>ACME</p>',
    );
    // No logo: the separator next to it goes too.
    expect(renderSignatureTemplate('<p>{{company.logo}} | {{company.name}}</p>', values, { 'company.logo': '' })).toBe('<p>ACME</p>');
  });
});
