import { useTranslation } from 'react-i18next';
import { Notice } from '../../../ui/Notice';
import { submitErrorMessage } from '../../auth/formErrors';
import { CheckIcon } from '../icons';
import { serverFields } from './form';
import { TestResult } from './TestResult';
import type { MailboxFormModel } from './useMailboxForm';

/** "Test connection" and its outcome: signs in to both servers with the form's settings, saves nothing. */
export function TestConnectionPanel({ form }: { form: MailboxFormModel }) {
  const { t } = useTranslation('settings');
  const { test, values } = form;
  return (
    <div className="test-area">
      <div className="test-row">
        <button type="button" className="btn" data-testid="mailbox-test" onClick={form.onTest} disabled={test.isPending}>
          {test.isPending ? <span className="spinner small" aria-hidden="true" /> : <CheckIcon />}
          {test.isPending ? t('form.testing') : t('form.test')}
        </button>
        {test.isPending ? null : <span className="field-hint">{t('form.testHint')}</span>}
      </div>
      <div aria-live="polite">
        {form.needsSecretForTest ? <Notice testId="mailbox-test-needs-secret">{t('form.testNeedsSecret')}</Notice> : null}
        {test.isError ? (
          <Notice testId="mailbox-test-error">
            <span>{t('form.testFailed')}</span>
            <span>{submitErrorMessage(test.error, serverFields(test.error).map(form.fieldLabel))}</span>
          </Notice>
        ) : null}
        {test.data ? (
          <TestResult
            result={test.data}
            imapServer={`${values.imapHost.trim()}:${values.imapPort.trim()}`}
            smtpServer={`${values.smtpHost.trim()}:${values.smtpPort.trim()}`}
          />
        ) : null}
      </div>
    </div>
  );
}
