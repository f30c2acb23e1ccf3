import type { PendingApproval } from '@pier/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { currentLocale, errorMessage } from '../../i18n';
import { fraudApi, fraudKeys } from './api';
import './fraud.css';

const formatTime = (ms: number) =>
  new Intl.DateTimeFormat(currentLocale(), { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(ms));

/**
 * Outgoing mail of this conversation that a second approver must approve (per-mailbox rule): what it
 * is, why, and — for a colleague other than the author — Approve and Reject. Decided ones stay listed
 * with who decided. Renders nothing when no mail of the conversation needed approval.
 */
export function ApprovalsPanel({ conversationId }: { conversationId: string }) {
  const { t } = useTranslation('fraud');
  const query = useQuery({ queryKey: fraudKeys.approvals(conversationId), queryFn: () => fraudApi.approvals(conversationId) });
  const items = query.data?.items ?? [];
  if (items.length === 0) return null;
  const waiting = items.some((i) => i.state === 'awaiting_approval');
  return (
    <section className="fraud-approvals" data-testid="fraud-approvals" aria-live="polite">
      <h2>{waiting ? t('approval.title') : t('approval.decidedTitle')}</h2>
      {waiting ? <p className="fraud-approval-intro">{t('approval.intro')}</p> : null}
      <ul>
        {items.map((item) => (
          <ApprovalItem key={item.outboxId} conversationId={conversationId} item={item} />
        ))}
      </ul>
    </section>
  );
}

function ApprovalItem({ conversationId, item }: { conversationId: string; item: PendingApproval }) {
  const { t } = useTranslation('fraud');
  const queryClient = useQueryClient();
  const [note, setNote] = useState('');
  const decide = useMutation({
    mutationFn: (decision: 'approve' | 'reject') =>
      fraudApi.decide(item.outboxId, { decision, ...(note.trim() ? { note: note.trim() } : {}) }),
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: fraudKeys.approvals(conversationId) });
      void queryClient.invalidateQueries({ queryKey: ['conversation', conversationId] });
    },
  });
  return (
    <li className="fraud-approval" data-testid="fraud-approval" data-state={item.state}>
      <p className="fraud-approval-mail">
        {t('approval.mail', { subject: item.subject, to: item.to.join(', '), author: item.author.name })}{' '}
        <span className="fraud-approval-reasons">({item.reasons.map((r) => t(`approval.reasons.${r}`)).join(', ')})</span>
      </p>
      {item.decision ? (
        <p className={`fraud-approval-decision fraud-approval-${item.decision.decision}`} data-testid="fraud-approval-decision">
          {t(item.decision.decision === 'approved' ? 'approval.approved' : 'approval.rejected', {
            name: item.decision.by.name,
            time: formatTime(item.decision.at),
          })}
          {item.decision.note ? ` — ${item.decision.note}` : null}
        </p>
      ) : item.canDecide ? (
        <div className="fraud-approval-actions">
          <label>
            {t('approval.note')}
            <input className="input" value={note} maxLength={2000} onChange={(e) => setNote(e.target.value)} />
          </label>
          <button
            type="button"
            className="btn btn-primary"
            disabled={decide.isPending}
            onClick={() => decide.mutate('approve')}
            data-testid="fraud-approve"
          >
            {t('approval.approve')}
          </button>
          <button
            type="button"
            className="btn"
            disabled={decide.isPending}
            onClick={() => decide.mutate('reject')}
            data-testid="fraud-reject"
          >
            {t('approval.reject')}
          </button>
        </div>
      ) : item.state === 'awaiting_approval' ? (
        <p className="fraud-approval-wait">{item.mine ? t('approval.ownMail') : t('approval.cannotDecide')}</p>
      ) : null}
      {decide.isError ? (
        <p className="field-error" role="alert">
          {errorMessage(decide.error)}
        </p>
      ) : null}
    </li>
  );
}
