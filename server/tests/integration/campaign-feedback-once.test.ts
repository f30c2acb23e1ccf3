import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWorkspace, type Workspace } from '../../src/compose.js';
import type { CampaignEventsTable } from '../../src/db/tables/campaigns.js';
import { campaignFeedbackSubscriber } from '../../src/modules/campaigns/index.js';
import { ingestMail } from '../../src/modules/conversations/index.js';
import type { MessageReceivedEvent } from '../../src/modules/events/index.js';
import { createMailbox, loadOwnAddresses } from '../../src/modules/mailboxes/index.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';

/**
 * A campaign feedback mail read twice (its event's job re-run after a crash, decision 0073) counts
 * once: one reply event, one soft bounce (three suppress the address).
 */
describe.each(engines)('campaign feedback read twice on %s', (engine) => {
  let database: TestDatabase;
  let ws: Workspace;
  let mailboxId = '';
  const recipientId = 'rcpt-1';
  const campaignMail = `<campaign.${recipientId}@acme.test>`;

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    ws = await openWorkspace({ ...database, secretKey: undefined });
    mailboxId = (await createMailbox(ws.db, { address: 'newsletter@acme.test', displayName: 'News', purpose: 'marketing' })).id;
    const now = Date.now();
    await ws.db
      .insertInto('campaign_lists')
      .values({
        id: 'list-1',
        name: 'Buyers',
        kind: 'static',
        segment_json: null,
        created_by: null,
        created_at: now,
        double_opt_in: 0,
        opt_in_mailbox_id: null,
        signup_enabled: 0,
      })
      .execute();
    await ws.db
      .insertInto('campaigns')
      .values({
        id: 'camp-1',
        mailbox_id: mailboxId,
        list_id: 'list-1',
        subject: 'Spring prices',
        html_template: '<p>Hi</p>',
        text_template: 'Hi',
        state: 'done',
        rate_per_minute: 60,
        send_at: now,
        local_time: null,
        company_time_zone: 'Asia/Shanghai',
        track_clicks: 0,
        track_opens: 0,
        created_by: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await ws.db
      .insertInto('campaign_recipients')
      .values({
        id: recipientId,
        campaign_id: 'camp-1',
        address: 'buyer@customer.test',
        name: null,
        company: null,
        country: null,
        state: 'sent',
        due_at: now,
        message_id_header: campaignMail,
        attempts: 1,
        error: null,
        sent_at: now,
        bounced_at: null,
        bounce_kind: null,
        unsubscribed_at: null,
        replied_at: null,
        complained_at: null,
      })
      .execute();
  });
  afterAll(async () => {
    await ws?.close();
    await database?.drop();
  });

  /** Stores `raw` in the newsletter mailbox and reads it twice, as a re-run job would. */
  const readTwice = async (raw: string) => {
    const { db, blobs, engine: eng, messageIds, recordReopened, teamActivity } = ws;
    const ctx = { engine: eng, ownAddresses: await loadOwnAddresses(db), messageIds, recordReopened, teamActivity };
    const stored = await ingestMail({ db, blobs, ctx }, { raw: Buffer.from(raw), mailboxIds: [mailboxId], source: 'imap' });
    const event: MessageReceivedEvent = {
      messageId: stored.messageId,
      conversationId: stored.conversationId,
      mailboxId,
      direction: 'in',
      source: 'imap',
      receivedAt: Date.now(),
    };
    const subscriber = campaignFeedbackSubscriber({ db, blobs, unsubscribeKey: Buffer.alloc(32, 1), now: () => Date.now() });
    await subscriber.run(event);
    await subscriber.run(event);
    return stored.messageId;
  };
  const events = (kind: CampaignEventsTable['kind']) =>
    ws.db.selectFrom('campaign_events').select(['message_id']).where('recipient_id', '=', recipientId).where('kind', '=', kind).execute();

  it('counts a reply once', async () => {
    const messageId = await readTwice(
      [
        'Message-ID: <reply-1@customer.test>',
        'From: buyer@customer.test',
        'To: newsletter@acme.test',
        'Subject: Re: Spring prices',
        `In-Reply-To: ${campaignMail}`,
        'Content-Type: text/plain; charset=utf-8',
        '',
        'Send me the price list.',
        '',
      ].join('\r\n'),
    );
    expect(await events('reply')).toEqual([{ message_id: messageId }]);
  });

  it('counts a soft bounce once', async () => {
    const messageId = await readTwice(
      [
        'Message-ID: <dsn-1@mx.acme.test>',
        'From: MAILER-DAEMON@mx.acme.test',
        'To: newsletter@acme.test',
        'Subject: Delayed Mail',
        'MIME-Version: 1.0',
        'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"',
        '',
        '--b1',
        'Content-Type: text/plain',
        '',
        'Mailbox full, still trying.',
        '--b1',
        'Content-Type: message/delivery-status',
        '',
        'Reporting-MTA: dns; mx.acme.test',
        '',
        'Final-Recipient: rfc822; buyer@customer.test',
        'Action: delayed',
        'Status: 4.2.2',
        '',
        '--b1',
        'Content-Type: text/rfc822-headers',
        '',
        `Message-ID: ${campaignMail}`,
        'Subject: Spring prices',
        '',
        '--b1--',
        '',
      ].join('\r\n'),
    );
    expect(await events('soft_bounce')).toEqual([{ message_id: messageId }]);
  });
});
