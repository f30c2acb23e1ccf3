import type { FaqQuestionCluster } from '@pier/contracts';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../i18n';
import { Notice } from '../../ui/Notice';
import { faqApi, faqKeys } from './api';

/** Frequent questions of info@/support@ without a library answer, each with "write an answer". */
export function UnansweredQuestions({ onWrite, canWrite }: { onWrite: (cluster: FaqQuestionCluster) => void; canWrite: boolean }) {
  const { t } = useTranslation('faq');
  const questions = useQuery({ queryKey: faqKeys.questions, queryFn: faqApi.questions });
  const days = questions.data?.days ?? 90;
  return (
    <section className="security-card" data-testid="faq-questions">
      <h2>{t('questions.title')}</h2>
      <p className="muted">{t('questions.intro', { days })}</p>
      {questions.isLoading ? <p className="muted">{t('questions.loading')}</p> : null}
      {questions.isError ? <Notice>{errorMessage(questions.error)}</Notice> : null}
      {questions.data && questions.data.items.length === 0 ? <p className="muted">{t('questions.none', { days })}</p> : null}
      <ol className="faq-question-list">
        {(questions.data?.items ?? []).map((cluster) => (
          <li key={cluster.conversationIds[0]} className="faq-question" data-testid="faq-question">
            <div className="faq-question-main">
              <span className="badge accent">{t('questions.count', { count: cluster.count })}</span>
              <strong>
                <bdi>{cluster.subject}</bdi>
              </strong>
              <span className="muted faq-question-snippet">
                <bdi>{cluster.snippet}</bdi>
              </span>
              <span className="muted faq-question-terms">{t('questions.words', { terms: cluster.terms.join(' · ') })}</span>
            </div>
            {canWrite ? (
              <button type="button" className="btn" data-testid="faq-question-write" onClick={() => onWrite(cluster)}>
                {t('questions.write')}
              </button>
            ) : null}
          </li>
        ))}
      </ol>
    </section>
  );
}
