import { readFile, writeFile } from 'node:fs/promises';
import { type Command, InvalidArgumentError } from 'commander';
import { registerSegmentEditCommands, type SegmentOptions, segmentFromOptions, withSegmentOptions } from './cli-campaign-segments.js';
import type { Workspace } from './compose.js';
import { AppError } from './errors.js';
import {
  campaignCounts,
  cancelCampaign,
  createSegmentList,
  findListByName,
  importListCsv,
  previewList,
  queueCampaign,
  setCampaignPaused,
  setDoubleOptIn,
  skippedRowsCsv,
  suppressAddress,
} from './modules/campaigns/index.js';
import { findMailboxByAddress } from './modules/mailboxes/index.js';

type WithWorkspace = <T>(run: (ws: Workspace) => Promise<T>) => Promise<T>;

async function readUtf8(file: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new AppError('request.invalid', 400, `cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new AppError('request.invalid', 400, `${file} is not UTF-8 text`);
  }
}

const positiveInt = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('a whole number above 0');
  return n;
};

/** `pier campaign send|status|pause|resume|cancel|suppress|import-list|save-segment|edit-segment|delete-segment` (issue 21 contract), registered from cli.ts. */
export function registerCampaignCommands(program: Command, withWorkspace: WithWorkspace): void {
  const campaign = program.command('campaign').description('campaigns from a marketing mailbox');
  campaign
    .command('send')
    .description('queue a campaign to a list; the server sends it, throttled, exactly once per recipient')
    .requiredOption('--mailbox <address>', 'the marketing mailbox it goes from')
    .requiredOption('--list <name>', 'the list (static or segment)')
    .requiredOption('--subject <subject>', 'the subject; merge fields {{name}} {{company}} {{country}}')
    .requiredOption('--html-file <file>', 'the HTML version (UTF-8); {{unsubscribe_url}} places the link, else it is appended')
    .requiredOption('--text-file <file>', 'the plain-text version (UTF-8)')
    .option('--rate-per-minute <n>', 'mails per minute at most (the provider caps apply as well)', positiveInt)
    .option('--local-time <HH:MM>', "send at this time of day in each recipient's time zone (else the company's)")
    .option('--company-time-zone <zone>', 'the company time zone (IANA)', 'Asia/Shanghai')
    .option('--track-clicks', "count clicks: the HTML version's links go through Pier's signed redirect (off by default)")
    .action(
      async (opts: {
        mailbox: string;
        list: string;
        subject: string;
        htmlFile: string;
        textFile: string;
        ratePerMinute?: number;
        localTime?: string;
        companyTimeZone: string;
        trackClicks?: boolean;
      }) => {
        const html = await readUtf8(opts.htmlFile);
        const text = await readUtf8(opts.textFile);
        await withWorkspace(async (ws) => {
          const mailbox = await findMailboxByAddress(ws.db, opts.mailbox);
          if (!mailbox) throw new AppError('mailbox.not_found', 404, `no mailbox ${opts.mailbox}`);
          const queued = await queueCampaign(ws.db, {
            mailbox,
            list: { name: opts.list },
            subject: opts.subject,
            html,
            text,
            ratePerMinute: opts.ratePerMinute,
            localTime: opts.localTime ?? null,
            companyTimeZone: opts.companyTimeZone,
            trackClicks: opts.trackClicks === true,
            actorId: null,
            now: ws.clock.now(),
          });
          console.log(JSON.stringify({ campaign: queued.campaign, recipients: queued.recipients }));
          // The contract's stdout stays as it is; who was left out waiting for double opt-in is said apart.
          if (queued.unconfirmed > 0)
            console.error(`${queued.unconfirmed} member(s) of ${opts.list} not sent: double opt-in not confirmed yet`);
        });
      },
    );
  campaign
    .command('status')
    .description("a campaign's counts as JSON")
    .argument('<id>', 'the campaign id')
    .action(async (id: string) => {
      await withWorkspace(async (ws) => console.log(JSON.stringify(await campaignCounts(ws.db, id))));
    });
  for (const action of ['pause', 'resume'] as const) {
    campaign
      .command(action)
      .description(action === 'pause' ? 'stop sending before the next mail' : 'go on sending where it stopped')
      .argument('<id>', 'the campaign id')
      .action(async (id: string) => {
        await withWorkspace(async (ws) => {
          await setCampaignPaused(ws.db, id, action === 'pause', ws.clock.now());
          console.log(JSON.stringify(await campaignCounts(ws.db, id)));
        });
      });
  }
  campaign
    .command('cancel')
    .description('cancel a scheduled, sending or paused campaign: recipients not sent yet are never sent; sent ones stay counted')
    .argument('<id>', 'the campaign id')
    .action(async (id: string) => {
      await withWorkspace(async (ws) => {
        await cancelCampaign(ws.db, { id, actor: { actorId: null, via: 'cli' }, now: ws.clock.now() });
        console.log(JSON.stringify(await campaignCounts(ws.db, id)));
      });
    });
  campaign
    .command('suppress')
    .description('add an address to the suppression list (no campaign mails it again)')
    .argument('<address>', 'the address')
    .action(async (address: string) => {
      await withWorkspace(async (ws) => {
        const added = await suppressAddress(ws.db, { address, reason: 'manual', campaignId: null, detail: 'cli', now: ws.clock.now() });
        console.log(JSON.stringify({ address: address.toLowerCase(), added }));
      });
    });
  campaign
    .command('import-list')
    .description(
      'import a CSV (email,name,company,country,time_zone,consent_source,consent_date,language) into a static list; with double opt-in on, new members wait for their confirmation',
    )
    .requiredOption('--name <name>', 'the list (created when new)')
    .requiredOption('--file <file>', 'the CSV file (UTF-8, header row)')
    .option('--consent-source <text>', 'consent source for rows without one')
    .option('--consent-date <date>', 'consent date (ISO 8601) for rows without one')
    .option(
      '--double-opt-in <mailbox>',
      'turn double opt-in on for the list: new members get a confirmation mail from this marketing mailbox',
    )
    .option('--skipped-file <file>', 'write the rows not mailed (invalid, duplicate, suppressed) with why to this CSV file')
    .action(
      async (opts: {
        name: string;
        file: string;
        consentSource?: string;
        consentDate?: string;
        doubleOptIn?: string;
        skippedFile?: string;
      }) => {
        const csv = await readUtf8(opts.file);
        await withWorkspace(async (ws) => {
          let doubleOptInMailboxId: string | undefined;
          if (opts.doubleOptIn) {
            const mailbox = await findMailboxByAddress(ws.db, opts.doubleOptIn);
            if (!mailbox) throw new AppError('mailbox.not_found', 404, `no mailbox ${opts.doubleOptIn}`);
            doubleOptInMailboxId = mailbox.id;
          }
          const { doubleOptIn: _, skippedFile, ...rest } = opts;
          const result = await importListCsv(ws.db, { ...rest, csv, doubleOptInMailboxId, actorId: null, now: ws.clock.now() });
          if (skippedFile) await writeFile(skippedFile, skippedRowsCsv(result.report.skipped));
          // Per row what happened (decision 0072); the rows' own cells only in the --skipped-file.
          const skipped = result.report.skipped.map(({ row: _row, ...s }) => s);
          console.log(JSON.stringify({ ...result, report: { ...result.report, skipped } }));
          const c = result.report.counts;
          console.error(
            `added ${c.added}, already members ${c.existing}, suppressed (in the list, never mailed) ${c.suppressed}, invalid ${c.invalid}, duplicates in the file ${c.duplicate}`,
          );
          if (result.refused.length > 0) process.exitCode = 1;
        });
      },
    );
  campaign
    .command('double-opt-in')
    .description('ask members added to a static list from now on to confirm by a mail from the marketing mailbox (--off: no longer)')
    .requiredOption('--list <name>', 'the static list')
    .option('--mailbox <address>', 'the marketing mailbox the confirmation mails go from (required to turn it on)')
    .option('--off', 'turn double opt-in off (pending members stay pending and get no campaign)')
    .action(async (opts: { list: string; mailbox?: string; off?: boolean }) => {
      await withWorkspace(async (ws) => {
        const list = await findListByName(ws.db, opts.list);
        if (!list) throw new AppError('campaign.list_not_found', 404, `no list ${opts.list}`);
        const mailbox = opts.mailbox ? await findMailboxByAddress(ws.db, opts.mailbox) : undefined;
        if (opts.mailbox && !mailbox) throw new AppError('mailbox.not_found', 404, `no mailbox ${opts.mailbox}`);
        const updated = await setDoubleOptIn(ws.db, {
          listId: list.id,
          enabled: opts.off !== true,
          mailboxId: mailbox?.id ?? null,
          actor: { actorId: null, via: 'cli' },
          now: ws.clock.now(),
        });
        console.log(JSON.stringify({ list: updated.name, doubleOptIn: updated.double_opt_in === 1, mailbox: mailbox?.address ?? null }));
      });
    });
  withSegmentOptions(
    campaign
      .command('save-segment')
      .description('save a segment of the customers as a list a campaign can go to (--list NAME); prints its size now')
      .requiredOption('--name <name>', 'the name, unique among lists and segments'),
  ).action(async (opts: SegmentOptions & { name: string }) => {
    await withWorkspace(async (ws) => {
      const segment = await segmentFromOptions(ws, opts);
      const list = await createSegmentList(ws.db, { name: opts.name, segment, actorId: null, now: ws.clock.now() });
      const { matching, suppressed, recipients } = await previewList(ws.db, list, ws.clock.now());
      console.log(JSON.stringify({ list: list.id, name: list.name, matching, suppressed, recipients }));
    });
  });
  registerSegmentEditCommands(campaign, withWorkspace);
}
