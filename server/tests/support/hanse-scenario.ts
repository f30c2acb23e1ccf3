import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.js';
import { withImap } from './mail-server.js';
import { waitFor } from './wait.js';

/**
 * Issue 16's scenario as raw mail: a known German customer (hanse-import.de, Jonas Weber), a
 * look-alike (hanse-lmport.de) that hijacks the downlights thread with a bank change and a
 * free-mail Reply-To, and the real customer writing again three times in the same thread.
 */
const DAY = 24 * 3600_000;
export const TEAM = 'accounting@acme.test';
export const REAL = 'j.weber@hanse-import.de';
export const IMPOSTOR = 'j.weber@hanse-lmport.de';
export const IMPOSTOR_REPLY_TO = 'hanse.import.finance@gmail.com';
export const REAL_IBAN = 'DE89 3704 0044 0532 0130 00';
const NEW_IBAN = 'GB29 NWBK 6016 1331 9268 19';
const RFQ_ID = '<rfq-downlights.1@hanse-import.de>';

export type ScenarioMail = { key: string; folder: 'INBOX' | 'Sent'; raw: string; date: Date; genuine: boolean };

function raw(headers: Record<string, string>, body: string, date: Date): string {
  const lines = Object.entries(headers).map(([k, v]) => `${k}: ${v}`);
  return [
    ...lines,
    `Date: ${date.toUTCString().replace('GMT', '+0000')}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    body,
    '',
  ].join('\r\n');
}

/** Every mail of the scenario, dated relative to `now`; the caller picks the arrival order by key. */
export function hanseMails(now: number, tag = ''): Record<string, ScenarioMail> {
  const at = (daysAgo: number) => new Date(now - daysAgo * DAY);
  const id = (name: string, domain = 'hanse-import.de') => `<${name}${tag}@${domain}>`;
  const incoming = (key: string, daysAgo: number, headers: Record<string, string>, body: string, genuine = true): ScenarioMail => ({
    key,
    folder: 'INBOX',
    date: at(daysAgo),
    genuine,
    raw: raw({ 'Message-ID': id(key), To: TEAM, ...headers }, body, at(daysAgo)),
  });
  const thread = { 'In-Reply-To': RFQ_ID, References: RFQ_ID };
  const jonas = `"Jonas Weber" <${REAL}>`;
  return {
    h1: {
      key: 'h1',
      folder: 'INBOX',
      date: at(120),
      genuine: true,
      raw: raw(
        { 'Message-ID': RFQ_ID, From: jonas, To: TEAM, Subject: 'Downlights RFQ 2026' },
        'Hello,\n\nplease quote 2,000 pcs LED downlights 12 W, 3000 K, CE/RoHS.\n\nBest regards\nJonas Weber\nHanse Import GmbH, Hamburg',
        at(120),
      ),
    },
    sent: {
      key: 'sent',
      folder: 'Sent',
      date: at(119),
      genuine: true,
      raw: raw(
        {
          'Message-ID': `<quote${tag}@acme.test>`,
          From: `"Accounting" <${TEAM}>`,
          To: jonas,
          Subject: 'Re: Downlights RFQ 2026',
          ...thread,
        },
        'Dear Jonas,\n\nour quotation is attached: USD 4.10 per piece FOB Ningbo.\n\nLily',
        at(119),
      ),
    },
    h2: incoming(
      'h2',
      90,
      { From: jonas, Subject: 'Re: Downlights RFQ 2026', ...thread },
      'Dear Lily,\n\nthank you, we confirm the order of 2,000 pcs. PO 4711 follows.\n\nJonas',
    ),
    h3: incoming(
      'h3',
      60,
      { From: jonas, Subject: 'Invoice 2026-118 downlights', ...thread },
      `Dear Lily,\n\nfor the deposit of the next order please find our details again:\nIBAN: ${REAL_IBAN}\nBIC: COBADEFFXXX\n\nJonas`,
    ),
    attack: {
      key: 'attack',
      folder: 'INBOX',
      date: at(2),
      genuine: false,
      raw: raw(
        {
          'Message-ID': id('attack', 'hanse-lmport.de'),
          From: `"Jonas Weber" <${IMPOSTOR}>`,
          'Reply-To': IMPOSTOR_REPLY_TO,
          To: TEAM,
          Subject: 'Re: Downlights RFQ 2026',
          ...thread,
        },
        `Dear Lily,\n\nplease note that our bank account has changed due to an audit. Kindly pay the balance to our new account:\nIBAN: ${NEW_IBAN}\nSWIFT: NWBKGB2L\n\nThis is urgent, please confirm today.\n\nJonas Weber\nHanse Import GmbH`,
        at(2),
      ),
    },
    g1: incoming(
      'g1',
      1.5,
      { From: jonas, Subject: 'Re: Downlights RFQ 2026', ...thread },
      'Dear Lily,\n\nour bank has issued the L/C for PO 4712 today; please check the documents list and the latest shipment date.\n\nJonas',
    ),
    g2: incoming(
      'g2',
      1,
      { From: jonas, Subject: 'Re: Downlights RFQ 2026', ...thread },
      'Dear Lily,\n\none more point on the downlights: the carton marking should read "Hanse Import Hamburg".\n\nJonas',
    ),
    g3: incoming(
      'g3',
      0.5,
      { From: jonas, Subject: 'Re: Downlights RFQ 2026', ...thread },
      'Dear Lily,\n\ncan you send photos of the pre-shipment inspection of the downlights?\n\nThanks, Jonas',
    ),
  };
}

/**
 * Appends one mail to the team's Dovecot folder (INTERNALDATE = its date) and waits until the
 * running Pier stored and, if incoming, assessed it. IDLE watches INBOX; a Sent mail is read in
 * the sync pass the next incoming mail wakes, so it is only checked then (`pendingSent`).
 */
export async function appendAndAssess(db: Kysely<Database>, mail: ScenarioMail, pendingSent: string[] = []) {
  await withImap(TEAM, (client) => client.append(mail.folder, mail.raw, mail.folder === 'Sent' ? ['\\Seen'] : [], mail.date));
  const messageId = /^Message-ID: (.+)$/m.exec(mail.raw)?.[1] ?? '';
  if (mail.folder === 'Sent') {
    pendingSent.push(messageId);
    return null;
  }
  const row = await waitFor(
    () =>
      db
        .selectFrom('fraud_assessments')
        .innerJoin('messages', 'messages.id', 'fraud_assessments.message_id')
        .where('messages.message_id_header', '=', messageId)
        .select([
          'fraud_assessments.message_id',
          'fraud_assessments.conversation_id',
          'fraud_assessments.level',
          'fraud_assessments.signals',
        ])
        .executeTakeFirst(),
    `the assessment of ${mail.key}`,
  );
  for (const sent of pendingSent.splice(0)) {
    await waitFor(
      () => db.selectFrom('messages').select('id').where('message_id_header', '=', sent).where('direction', '=', 'out').executeTakeFirst(),
      'the Sent reply to be synced',
    );
  }
  return row;
}
