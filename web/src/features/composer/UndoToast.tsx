import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

/** "Queued, leaves in N s" with the undo button; tells the panel when the window has passed. */
export function UndoToast({ until, onUndo, onDone }: { until: number; onUndo: () => void; onDone: () => void }) {
  const { t } = useTranslation('composer');
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, []);
  const seconds = Math.max(0, Math.ceil((until - now) / 1000));
  useEffect(() => {
    if (seconds === 0) onDone();
  }, [seconds, onDone]);
  return (
    <div className="composer-undo" role="status" data-testid="composer-undo">
      <span>{t('undo.queued', { seconds })}</span>
      <button type="button" className="btn" onClick={onUndo} data-testid="composer-undo-button">
        {t('undo.undo')}
      </button>
    </div>
  );
}
