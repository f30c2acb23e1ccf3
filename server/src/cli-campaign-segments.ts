import { type Command, InvalidArgumentError } from 'commander';
import type { Workspace } from './compose.js';
import { AppError } from './errors.js';
import { deleteSegment, findListByName, previewList, updateSegment } from './modules/campaigns/index.js';
import type { ContactSegment } from './modules/contacts/index.js';
import { findUserByEmail } from './modules/workspace/index.js';

type WithWorkspace = <T>(run: (ws: Workspace) => Promise<T>) => Promise<T>;

export type SegmentOptions = {
  tag?: string[];
  companyTag?: string[];
  country?: string[];
  companyDomain?: string[];
  owner?: string[];
  companyOwner?: string[];
  language?: string[];
  contactedWithinDays?: number;
  quietForDays?: number;
};

const collect = (value: string, previous: string[] = []) => [...previous, value];
const positiveInt = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('a whole number above 0');
  return n;
};

/** The rule options of `campaign save-segment` and `campaign edit-segment` (one definition, one meaning). */
export function withSegmentOptions(command: Command): Command {
  return command
    .option('--tag <tag>', 'a tag on the customer (repeat: any of them)', collect)
    .option('--company-tag <tag>', "a tag on the customer's company (repeat)", collect)
    .option('--country <code>', 'an ISO country code (repeat)', collect)
    .option('--company-domain <domain>', "a company's domain (repeat)", collect)
    .option('--owner <email>', "the customer's owner's email, or none for the pool (repeat)", collect)
    .option('--company-owner <email>', 'a colleague who owns someone at the customer’s company (repeat)', collect)
    .option('--language <code>', 'the language of their latest mail, ISO 639-1 (repeat)', collect)
    .option('--contacted-within-days <n>', 'mail with them within the last N days', positiveInt)
    .option('--quiet-for-days <n>', 'no mail with them for N days', positiveInt);
}

/** Whether any rule option was given (edit-segment replaces the rules only then). */
export const hasSegmentOptions = (opts: SegmentOptions) =>
  Boolean(
    opts.tag ||
      opts.companyTag ||
      opts.country ||
      opts.companyDomain ||
      opts.owner ||
      opts.companyOwner ||
      opts.language ||
      opts.contactedWithinDays ||
      opts.quietForDays,
  );

async function userIds(ws: Workspace, emails: string[], pool: boolean): Promise<string[]> {
  const ids: string[] = [];
  for (const email of emails) {
    if (pool && email === 'none') ids.push('none');
    else {
      const user = await findUserByEmail(ws.db, email);
      if (!user) throw new AppError('user.not_found', 404, `no user ${email}`);
      ids.push(user.id);
    }
  }
  return ids;
}

/** The segment the options describe; owners are named by email and stored by id. */
export async function segmentFromOptions(ws: Workspace, opts: SegmentOptions): Promise<ContactSegment> {
  const owners = await userIds(ws, opts.owner ?? [], true);
  const companyOwners = await userIds(ws, opts.companyOwner ?? [], false);
  return {
    ...(opts.tag ? { tags: opts.tag } : {}),
    ...(opts.companyTag ? { companyTags: opts.companyTag } : {}),
    ...(opts.country ? { countries: opts.country.map((c) => c.toUpperCase()) } : {}),
    ...(opts.companyDomain ? { companyDomains: opts.companyDomain } : {}),
    ...(owners.length ? { owners } : {}),
    ...(companyOwners.length ? { companyOwners } : {}),
    ...(opts.language ? { languages: opts.language } : {}),
    ...(opts.contactedWithinDays ? { contactedWithinDays: opts.contactedWithinDays } : {}),
    ...(opts.quietForDays ? { quietForDays: opts.quietForDays } : {}),
  };
}

async function segmentByName(ws: Workspace, name: string) {
  const list = await findListByName(ws.db, name);
  if (!list) throw new AppError('campaign.list_not_found', 404, `no list or segment named ${name}`);
  return list;
}

const cliActor = { actorId: null, via: 'cli' as const };

/** `campaign edit-segment NAME` and `campaign delete-segment NAME` (decision 0060), beside save-segment. */
export function registerSegmentEditCommands(campaign: Command, withWorkspace: WithWorkspace): void {
  withSegmentOptions(
    campaign
      .command('edit-segment')
      .description('rename a saved segment and/or replace its rules (any rule option replaces all of them); prints its size now')
      .argument('<name>', 'the segment')
      .option('--rename <name>', 'the new name, unique among lists and segments'),
  ).action(async (name: string, opts: SegmentOptions & { rename?: string }) => {
    if (opts.rename === undefined && !hasSegmentOptions(opts))
      throw new InvalidArgumentError('give --rename or rule options (they replace all the rules)');
    await withWorkspace(async (ws) => {
      const list = await segmentByName(ws, name);
      const updated = await updateSegment(ws.db, {
        id: list.id,
        name: opts.rename,
        segment: hasSegmentOptions(opts) ? await segmentFromOptions(ws, opts) : undefined,
        actor: cliActor,
        now: ws.clock.now(),
      });
      const { matching, suppressed, recipients } = await previewList(ws.db, updated, ws.clock.now());
      console.log(JSON.stringify({ list: updated.id, name: updated.name, matching, suppressed, recipients }));
    });
  });
  campaign
    .command('delete-segment')
    .description('delete a saved segment (refused while a sending or paused campaign goes to it)')
    .argument('<name>', 'the segment')
    .action(async (name: string) => {
      await withWorkspace(async (ws) => {
        const list = await segmentByName(ws, name);
        await deleteSegment(ws.db, { id: list.id, actor: cliActor });
        console.log(JSON.stringify({ list: list.id, name: list.name, deleted: true }));
      });
    });
}
