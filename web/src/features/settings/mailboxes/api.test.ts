import { type Mailbox, type MailboxDetail, MailboxPresetListSchema, mailboxPresets } from '@pier/contracts';
import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { queryKeys } from '../../session/queries';
import { mailboxKeys, refreshAfterChange } from './api';

const sales: Mailbox = {
  id: 'm1',
  address: 'sales@acme.test',
  displayName: 'Sales',
  purpose: 'sales',
  status: 'active',
  openCount: 4,
  openCountCap: 100,
};
const info: Mailbox = {
  id: 'm2',
  address: 'info@acme.test',
  displayName: 'Info',
  purpose: 'inquiry',
  status: 'active',
  openCount: 0,
  openCountCap: 100,
};

function detail(mailbox: Mailbox, change: Partial<MailboxDetail> = {}): MailboxDetail {
  return { ...mailbox, statusDetail: null, lastSyncedAt: null, connection: null, ...change };
}

function clientWith(list: Mailbox[] | undefined): QueryClient {
  const client = new QueryClient();
  if (list) client.setQueryData(mailboxKeys.list, { items: list });
  client.setQueryData(queryKeys.session, { user: { id: 'u1' } });
  return client;
}

describe('the mailbox cache after a change', () => {
  it('replaces the changed mailbox in the list in place, keeping the order, and stores its detail', () => {
    const client = clientWith([sales, info]);
    const renamed = detail(sales, { displayName: '销售部', statusDetail: 'ok' });

    refreshAfterChange(client, renamed);

    expect(client.getQueryData(mailboxKeys.list)).toEqual({ items: [{ ...sales, displayName: '销售部' }, info] });
    expect(client.getQueryData(mailboxKeys.detail('m1'))).toEqual(renamed);
  });

  it('appends a mailbox the list did not have yet (one just added)', () => {
    const client = clientWith([sales]);

    refreshAfterChange(client, detail(info));

    expect(client.getQueryData<{ items: Mailbox[] }>(mailboxKeys.list)?.items.map((m) => m.id)).toEqual(['m1', 'm2']);
  });

  it('does not invent a list nobody has loaded', () => {
    const client = clientWith(undefined);

    refreshAfterChange(client, detail(sales));

    expect(client.getQueryData(mailboxKeys.list)).toBeUndefined();
  });

  it('marks the list and the session stale, so the sidebar refetches its mailboxes', () => {
    const client = clientWith([sales]);

    refreshAfterChange(client);

    expect(client.getQueryState(mailboxKeys.list)?.isInvalidated).toBe(true);
    expect(client.getQueryState(queryKeys.session)?.isInvalidated).toBe(true);
  });
});

describe('the provider presets', () => {
  it('built into the page (shown until the server answers) match the contract the server’s list is checked against', () => {
    expect(() => MailboxPresetListSchema.parse({ items: mailboxPresets })).not.toThrow();
  });
});
