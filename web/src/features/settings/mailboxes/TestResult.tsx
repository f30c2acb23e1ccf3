import type { ConnectionTestResult } from '@pier/contracts';
import { useTranslation } from 'react-i18next';
import { CheckIcon, CrossIcon } from '../icons';
import { connectionErrorKey, type MailboxProblem } from './status';

type Props = {
  result: ConnectionTestResult;
  /** "imap.exmail.qq.com:993", shown beside each side's result when known. */
  imapServer?: string | undefined;
  smtpServer?: string | undefined;
};

/** The outcome of "Test connection": IMAP and SMTP separately, each with the fix. */
export function TestResult({ result, imapServer, smtpServer }: Props) {
  const { t } = useTranslation('settings');
  const folders = result.imap.folders?.length ?? 0;
  return (
    <div className={result.ok ? 'test-result ok' : 'test-result failed'} data-testid="mailbox-test-result" data-ok={result.ok}>
      <p className="test-summary">{result.ok ? t('test.allOk') : t('test.someFailed')}</p>
      <ul className="checks">
        <CheckLine
          side="imap"
          label={t('form.imap')}
          server={imapServer}
          ok={result.imap.ok}
          okText={t('test.imapOk', { count: folders })}
          problem={result.imap.ok ? null : { key: connectionErrorKey(result.imap.code), message: result.imap.message ?? '' }}
        />
        <CheckLine
          side="smtp"
          label={t('form.smtp')}
          server={smtpServer}
          ok={result.smtp.ok}
          okText={t('test.smtpOk')}
          problem={result.smtp.ok ? null : { key: connectionErrorKey(result.smtp.code), message: result.smtp.message ?? '' }}
        />
      </ul>
    </div>
  );
}

type LineProps = {
  side: 'imap' | 'smtp';
  label: string;
  server: string | undefined;
  ok: boolean;
  okText: string;
  problem: MailboxProblem | null;
};

function CheckLine({ side, label, server, ok, okText, problem }: LineProps) {
  const { t } = useTranslation('settings');
  return (
    <li className={ok ? 'check ok' : 'check failed'} data-testid={`mailbox-test-${side}`} data-ok={ok}>
      <span className="check-icon">{ok ? <CheckIcon /> : <CrossIcon />}</span>
      <span className="check-label">{label}</span>
      <div className="check-body">
        <p className="check-title">
          <strong>{ok ? okText : problem?.key ? t(`connectionErrors.${problem.key}.title`) : t('form.testFailed')}</strong>
          {server ? <span className="check-server">{server}</span> : null}
        </p>
        {problem ? <ProblemText problem={problem} /> : null}
      </div>
    </li>
  );
}

/**
 * The translated fix for a connection problem. Pier's answer carries its own words, never the
 * server's (a banner of whatever answered on that port): shown only for a code this page does not know.
 */
export function ProblemText({ problem }: { problem: MailboxProblem }) {
  const { t } = useTranslation('settings');
  return (
    <>
      {problem.key ? <p className="problem-fix">{t(`connectionErrors.${problem.key}.fix`)}</p> : null}
      {problem.message && !problem.key ? <p className="problem-server">{t('test.detail', { message: problem.message })}</p> : null}
    </>
  );
}
