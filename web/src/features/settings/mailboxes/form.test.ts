import { mailboxPresets } from '@pier/contracts';
import { describe, expect, it } from 'vitest';
import { applyPreset, newMailboxValues } from './form';

describe('choosing a provider in the mailbox form', () => {
  it('clears the hosts a preset filled in when "other" is chosen after it', () => {
    const tencent = newMailboxValues(mailboxPresets);
    expect(tencent.imapHost).toBe('imap.exmail.qq.com');

    const other = applyPreset(tencent, 'other', mailboxPresets);

    expect(other).toMatchObject({ preset: 'other', imapHost: '', imapPort: '993', smtpHost: '', smtpPort: '465' });
  });

  it('keeps hosts the admin typed by hand when "other" is chosen again', () => {
    const typed = {
      ...applyPreset(newMailboxValues(mailboxPresets), 'other', mailboxPresets),
      imapHost: 'mail.acme.test',
      smtpHost: 'smtp.acme.test',
    };

    expect(applyPreset(typed, 'other', mailboxPresets)).toMatchObject({ imapHost: 'mail.acme.test', smtpHost: 'smtp.acme.test' });
  });

  it("replaces one preset's hosts with another's", () => {
    const aliyun = applyPreset(newMailboxValues(mailboxPresets), 'aliyun', mailboxPresets);

    expect(aliyun).toMatchObject({ imapHost: 'imap.qiye.aliyun.com', smtpHost: 'smtp.qiye.aliyun.com' });
  });
});
