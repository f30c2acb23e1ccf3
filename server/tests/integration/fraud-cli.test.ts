import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import { runCli } from '../support/pier-process.js';
import { addMailbox, withTestWorkspace } from '../support/workspace-setup.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'fraud');
const evalFile = (name: string) => path.join(fixtures, 'eval', name);

describe.each(engines)('pier fraud check on %s', (engine) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(engine);
    await withTestWorkspace(database, (ws) => addMailbox(ws, { address: 'sales@hengda-lighting.com', name: 'Sales' }));
    const { stdout } = await runCli(database, ['import', '--mailbox', 'sales@hengda-lighting.com', path.join(fixtures, 'history')]);
    expect(JSON.parse(stdout)).toMatchObject({ new: 66, failed: 0 });
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('prints one JSON line per file with the contract fields, and stores nothing', async () => {
    const files = [
      evalFile('legit-001-thread-reply.eml'),
      evalFile('legit-076-same-bank-details.eml'),
      evalFile('fraud-213-lookalike-domain.eml'),
    ];
    const { stdout } = await runCli(database, ['fraud', 'check', '--mailbox', 'sales@hengda-lighting.com', ...files]);
    const lines = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((l) => l.file)).toEqual(files);
    for (const line of lines) {
      expect(Object.keys(line)).toEqual(['file', 'score', 'level', 'signals']);
      for (const s of line.signals as Record<string, unknown>[]) {
        expect(Object.keys(s)).toEqual(['code', 'weight', 'reason']);
        expect(Object.keys(s.reason as object)).toEqual(['en', 'zh-CN']);
      }
    }
    expect(lines[0]).toMatchObject({ level: 'none' });
    expect(lines[1]).toMatchObject({ level: 'none', signals: [{ code: 'known_bank_details', weight: -20 }] });
    expect(lines[2]).toMatchObject({ level: 'high' });
    // acrne-trading.de ("rn" for "m"): a look-alike whose UTS #39 skeleton equals the real domain's.
    const codes = ((lines[2]?.signals ?? []) as { code: string }[]).map((s) => s.code);
    expect(codes).toEqual(expect.arrayContaining(['homoglyph_domain', 'payment_change', 'new_bank_details']));

    // Checking again gives the same answer: the checked mail was not stored or learned from.
    const again = await runCli(database, ['fraud', 'check', '--mailbox', 'sales@hengda-lighting.com', files[2] as string]);
    expect(JSON.parse(again.stdout)).toEqual(lines[2]);
  });

  it('reads bank details and payment-change words inside PDF and DOCX attachments, never an encrypted PDF', async () => {
    const files = [
      evalFile('fraud-286-bank-details-only-in-pdf.eml'),
      evalFile('fraud-287-bank-details-only-in-pdf.eml'),
      evalFile('fraud-293-bank-details-only-in-docx.eml'),
      evalFile('legit-295-invoice-document-known-bank.eml'),
      evalFile('legit-302-encrypted-pdf-statement.eml'),
    ];
    const { stdout } = await runCli(database, ['fraud', 'check', '--mailbox', 'sales@hengda-lighting.com', ...files]);
    const lines = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { file: string; level: string; signals: { code: string; reason: { en: string } }[] });
    const codes = lines.map((l) => l.signals.map((s) => s.code));
    // A one-line mail whose PDF announces the change and carries a new IBAN for a known company.
    expect(lines[0]).toMatchObject({ level: 'high' });
    expect(codes[0]).toEqual(['payment_change', 'new_bank_details']);
    expect(lines[0]?.signals[0]?.reason.en).toContain('in the attachment "Invoice_updated.pdf"');
    // Only the bank block of the PDF/DOCX invoice is new.
    expect(lines[1]).toMatchObject({ level: 'warn' });
    expect(codes[1]).toEqual(['new_bank_details']);
    expect(lines[2]).toMatchObject({ level: 'warn' });
    expect(codes[2]).toEqual(['new_bank_details']);
    // The known account inside an invoice PDF reassures; a password-protected PDF is not opened.
    expect(lines[3]).toMatchObject({ level: 'none' });
    expect(codes[3]).toEqual(['known_bank_details']);
    expect(lines[4]).toMatchObject({ level: 'none', signals: [] });
  });

  it('reports an unreadable file on stderr with exit code 1 and still checks the others', async () => {
    const failure = await runCli(database, [
      'fraud',
      'check',
      '--mailbox',
      'sales@hengda-lighting.com',
      evalFile('does-not-exist.eml'),
      evalFile('legit-001-thread-reply.eml'),
    ]).catch((error: { code: number; stdout: string; stderr: string }) => error);
    expect(failure).toMatchObject({ code: 1, stderr: expect.stringContaining('does-not-exist.eml') });
    expect(JSON.parse(failure.stdout)).toMatchObject({ file: evalFile('legit-001-thread-reply.eml'), level: 'none' });
  });

  it('refuses an unknown mailbox with exit code 2', async () => {
    await expect(
      runCli(database, ['fraud', 'check', '--mailbox', 'nobody@x.test', evalFile('legit-001-thread-reply.eml')]),
    ).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('no mailbox'),
    });
  });
});
