import { generateKeyPairSync } from 'node:crypto';
import { dkimSign } from 'mailauth/lib/dkim/sign.js';
import { describe, expect, it } from 'vitest';
import { readProviderAuthResults, verifyInboundMail } from './mail-auth.js';

// A DNS zone for customer.test served from memory: tests never leave the machine.
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const zone: Record<string, string[][]> = {
  'sel._domainkey.customer.test': [[`v=DKIM1; k=rsa; p=${publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`]],
  'customer.test': [['v=spf1 ip4:127.0.0.1 -all']],
  '_dmarc.customer.test': [['v=DMARC1; p=reject']],
};
const resolver = async (name: string, rrtype: string) => {
  const records = rrtype === 'TXT' ? zone[name.toLowerCase()] : undefined;
  if (!records) throw Object.assign(new Error(`queryTxt ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
  return records;
};

const mail = Buffer.from(
  'From: Maria <maria@customer.test>\r\nTo: sales@acme.test\r\nSubject: Payment details\r\nMessage-ID: <p1@customer.test>\r\nDate: Thu, 26 Nov 2026 10:00:00 +0000\r\n\r\nPlease pay to the usual account.\r\n',
);

async function signed(raw: Buffer): Promise<Buffer> {
  const { signatures } = await dkimSign(raw, {
    signatureData: [
      { signingDomain: 'customer.test', selector: 'sel', privateKey: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString() },
    ],
  });
  return Buffer.concat([Buffer.from(signatures), raw]);
}

describe('verifying mail received on the SMTP listener', () => {
  it('passes SPF, DKIM and DMARC for a signed mail from an allowed IP', async () => {
    const result = await verifyInboundMail(
      await signed(mail),
      { ip: '127.0.0.1', helo: 'mx.customer.test', mailFrom: 'maria@customer.test' },
      resolver,
    );
    expect(result).toMatchObject({ source: 'pier', spf: 'pass', dkim: 'pass', dmarc: 'pass' });
  });

  it('does not pass DKIM for a body changed after signing, fails SPF for another IP, and so fails DMARC', async () => {
    const tampered = Buffer.from((await signed(mail)).toString().replace('usual account', 'NEW account IBAN DE89'));
    const result = await verifyInboundMail(tampered, { ip: '127.0.0.9', helo: 'evil.test', mailFrom: 'maria@customer.test' }, resolver);
    // mailauth reports a body-hash mismatch as dkim=neutral ("body hash did not verify").
    expect(result).toMatchObject({ spf: 'fail', dmarc: 'fail' });
    expect(['fail', 'neutral']).toContain(result.dkim);
  });

  it('says none when there is no signature and no record to check against', async () => {
    const result = await verifyInboundMail(
      Buffer.from(mail.toString().replaceAll('customer.test', 'nowhere.test')),
      { ip: '127.0.0.1', helo: 'x', mailFrom: 'a@nowhere.test' },
      resolver,
    );
    expect(result).toMatchObject({ spf: 'none', dkim: 'none' });
  });
});

describe("reading the provider's Authentication-Results", () => {
  it('reads the topmost header only, because lower ones may be forged by the sender', () => {
    const raw = Buffer.from(
      'Authentication-Results: mx.google.com;\r\n dkim=pass header.i=@customer.test;\r\n spf=softfail smtp.mailfrom=customer.test;\r\n dmarc=fail (p=REJECT) header.from=customer.test\r\nAuthentication-Results: forged; spf=pass; dkim=pass; dmarc=pass\r\nSubject: x\r\n\r\nbody',
    );
    expect(readProviderAuthResults(raw)).toEqual({ source: 'provider', spf: 'softfail', dkim: 'pass', dmarc: 'fail', arc: null });
  });

  it('gives null when the provider added none', () => {
    expect(readProviderAuthResults(Buffer.from('Subject: x\r\n\r\nbody'))).toBeNull();
  });
});
