import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../i18n';
import { Notice } from '../../ui/Notice';
import { languageName } from '../conversation/format';
import { customersApi } from '../customers/api';
import { type CampaignList, type CampaignSegment, campaignsApi, campaignsKeys } from './api';

/** A saved segment's rules in a line ("company tags Distributor · owner 李娜"), owners by name. */
export function SegmentRules({ segment }: { segment: CampaignSegment }) {
  const { t } = useTranslation('campaignSegmentEdit');
  const { t: ts } = useTranslation('campaignSegments');
  const owners = useQuery({ queryKey: ['customers', 'owners'], queryFn: customersApi.owners });
  const ownerName = (id: string) => (id === 'none' ? ts('pool') : (owners.data?.items.find((o) => o.id === id)?.name ?? '…'));
  const join = (values: string[]) => values.join(', ');
  const parts = [
    segment.tags?.length ? t('ruleTags', { values: join(segment.tags) }) : null,
    segment.companyTags?.length ? t('ruleCompanyTags', { values: join(segment.companyTags) }) : null,
    segment.countries?.length ? t('ruleCountries', { values: join(segment.countries) }) : null,
    segment.companyDomains?.length ? t('ruleDomains', { values: join(segment.companyDomains) }) : null,
    segment.owners?.length ? t('ruleOwners', { values: join(segment.owners.map(ownerName)) }) : null,
    segment.companyOwners?.length ? t('ruleCompanyOwners', { values: join(segment.companyOwners.map(ownerName)) }) : null,
    segment.languages?.length ? t('ruleLanguages', { values: join(segment.languages.map(languageName)) }) : null,
    segment.contactedWithinDays ? t('ruleContactedWithin', { days: segment.contactedWithinDays }) : null,
    segment.quietForDays ? t('ruleQuietFor', { days: segment.quietForDays }) : null,
  ].filter(Boolean);
  return <span className="segment-rules">{parts.length ? parts.join(' · ') : t('everyone')}</span>;
}

/**
 * Deleting a saved segment (after a confirmation); the server's refusal (a campaign goes to it) is
 * the mutation's error, shown under the lists table in the reader's language.
 */
export function useSegmentDelete() {
  const { t } = useTranslation('campaignSegmentEdit');
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: (list: CampaignList) => campaignsApi.deleteSegment(list.id),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: campaignsKeys.overview }),
  });
  return {
    remove: (list: CampaignList) => {
      if (window.confirm(t('confirmDelete', { name: list.name }))) remove.mutate(list);
    },
    pending: remove.isPending,
    notice: remove.isError ? (
      <div data-testid="segment-delete-error">
        <Notice>{errorMessage(remove.error)}</Notice>
      </div>
    ) : remove.isSuccess ? (
      <p className="hint">{t('deleted', { name: remove.variables.name })}</p>
    ) : null,
  };
}

/** Edit and delete buttons of a saved segment's row. */
export function SegmentActions({ onEdit, onDelete, busy }: { onEdit: () => void; onDelete: () => void; busy: boolean }) {
  const { t } = useTranslation('campaignSegmentEdit');
  return (
    <div className="segment-actions">
      <button type="button" className="btn btn-sm" onClick={onEdit} data-testid="segment-edit">
        {t('edit')}
      </button>
      <button type="button" className="btn btn-sm" disabled={busy} data-testid="segment-delete" onClick={onDelete}>
        {t('delete')}
      </button>
    </div>
  );
}
