import { signal } from '../reasons.js';
import type { FraudMail, FraudSignal } from '../types.js';

export const DMARC_FAIL_WEIGHT = 35;
export const DKIM_FAIL_WEIGHT = 20;
/** Lists rewrite subjects and footers, which breaks the author's signature as a matter of course. */
export const DKIM_FAIL_BULK_WEIGHT = 5;
export const SPF_FAIL_WEIGHT = 15;
export const SPF_SOFTFAIL_WEIGHT = 5;

/**
 * SPF/DKIM/DMARC verdicts: Pier's own (SMTP listener) or the provider's Authentication-Results
 * (IMAP). A DMARC pass already means one aligned method passed, so a lone SPF or DKIM failure
 * under it is ordinary forwarding and not reported.
 */
export function authFailureSignals(mail: FraudMail): FraudSignal[] {
  const results = mail.authResults;
  if (!results) return [];
  const who = results.source === 'pier' ? "Pier's check" : "the mail provider's check";
  const whoZh = results.source === 'pier' ? 'Pier 的检查' : '邮件服务商的检查';
  const sender = mail.from?.address ?? '?';
  const signals: FraudSignal[] = [];
  if (results.dmarc === 'fail') {
    signals.push(
      signal(
        'dmarc_fail',
        DMARC_FAIL_WEIGHT,
        `${capitalise(who)} says this mail was not sent by the domain of ${sender} (DMARC failed): the sender may be forged.`,
        `${whoZh}显示这封邮件并非由 ${sender} 的域名发出（DMARC 未通过）：发件人可能是伪造的。`,
      ),
    );
  }
  if (results.dmarc === 'pass') return signals;
  if (results.dkim === 'fail') {
    signals.push(
      signal(
        'dkim_fail',
        mail.bulk ? DKIM_FAIL_BULK_WEIGHT : DKIM_FAIL_WEIGHT,
        `${capitalise(who)} found the mail's signature broken (DKIM failed): it may have been altered or forged.`,
        `${whoZh}发现邮件签名无效（DKIM 未通过）：邮件可能被篡改或伪造。`,
      ),
    );
  }
  if (results.spf === 'fail' || results.spf === 'softfail') {
    const hard = results.spf === 'fail';
    signals.push(
      signal(
        hard ? 'spf_fail' : 'spf_softfail',
        hard ? SPF_FAIL_WEIGHT : SPF_SOFTFAIL_WEIGHT,
        `${capitalise(who)} found the mail was sent from a server not allowed to send for ${sender} (SPF ${results.spf}).`,
        `${whoZh}发现发信服务器无权代表 ${sender} 发信（SPF ${results.spf}）。`,
      ),
    );
  }
  return signals;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
