import { useTranslation } from 'react-i18next';

/**
 * "1–50 of 120" with Previous and Next, for a list paged on the server. `offset` and `shown` are what
 * the server answered (the page on screen), so the range stays true while the next page loads.
 * Test ids: `${testId}-range`, `-previous`, `-next`.
 */
export function Pager(props: {
  offset: number;
  shown: number;
  total: number;
  pageSize: number;
  onOffset: (offset: number) => void;
  testId: string;
}) {
  const { t } = useTranslation();
  const { offset, shown, total, pageSize } = props;
  if (total === 0) return null;
  return (
    <nav className="pager" aria-label={t('pager.label')} data-testid={props.testId}>
      <span className="hint" data-testid={`${props.testId}-range`}>
        {t('pager.range', { from: offset + 1, to: Math.min(offset + shown, total), total })}
      </span>
      <button
        type="button"
        className="btn btn-sm"
        disabled={offset === 0}
        data-testid={`${props.testId}-previous`}
        onClick={() => props.onOffset(Math.max(0, offset - pageSize))}
      >
        {t('pager.previous')}
      </button>
      <button
        type="button"
        className="btn btn-sm"
        disabled={offset + pageSize >= total}
        data-testid={`${props.testId}-next`}
        onClick={() => props.onOffset(offset + pageSize)}
      >
        {t('pager.next')}
      </button>
    </nav>
  );
}
