import type { FraudMarker as Marker } from '@pier/contracts';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import i18next, { currentLocale } from '../../i18n';
import { fraudMarkerEn } from '../../i18n/fraud-marker.en';
import { fraudMarkerZhCN } from '../../i18n/fraud-marker.zh-CN';
import { AlertIcon } from '../../ui/icons';
import { fraudApi, fraudKeys } from './api';
import './fraud.css';

i18next.addResourceBundle('en', 'fraudMarker', fraudMarkerEn, true, true);
i18next.addResourceBundle('zh-CN', 'fraudMarker', fraudMarkerZhCN, true, true);

const EMPTY = new Map<string, Marker>();

/**
 * The fraud markers of the rows in view (GET /api/fraud/markers, at most 200 ids): per
 * conversation the worst flag nobody cleared. The previous answer stays while scrolling.
 */
export function useFraudMarkers(conversationIds: string[]): Map<string, Marker> {
  const ids = [...conversationIds].sort().slice(0, 200);
  const query = useQuery({
    queryKey: fraudKeys.markers(ids),
    queryFn: () => fraudApi.markers(ids),
    enabled: ids.length > 0,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
  if (!query.data) return EMPTY;
  return new Map(query.data.markers.map((m) => [m.conversationId, m]));
}

export const markerReason = (marker: Marker) => (currentLocale() === 'zh-CN' ? marker.reason['zh-CN'] : marker.reason.en);

/**
 * The badge on a list row: the level in words (red for high, a red frame for a warning) with the
 * strongest reason as its hover title and accessible name. The row's second line shows the same
 * reason (FraudMarkerReason), so a tap on a phone needs no hover to learn it.
 */
export function FraudMarkerBadge({ marker }: { marker: Marker }) {
  const { t } = useTranslation('fraudMarker');
  const level = t(`level.${marker.level}`);
  const label = t('label', { level, reason: markerReason(marker) });
  return (
    <span
      className={`fraud-marker fraud-marker-${marker.level}`}
      title={label}
      role="img"
      aria-label={label}
      data-testid="fraud-marker"
      data-level={marker.level}
    >
      <AlertIcon />
      <span aria-hidden="true">{level}</span>
    </span>
  );
}

/** The one-line reason in place of the snippet. */
export function FraudMarkerReason({ marker }: { marker: Marker }) {
  return (
    <span className={`fraud-marker-reason fraud-marker-reason-${marker.level}`} data-testid="fraud-marker-reason">
      {' '}
      — <bdi>{markerReason(marker)}</bdi>
    </span>
  );
}
