import type { Upload } from '@pier/contracts';
import { useTranslation } from 'react-i18next';

/** The attached files, and those still going up. */
export function ComposerAttachments({
  uploads,
  uploading,
  onRemove,
}: {
  uploads: Upload[];
  uploading: string[];
  onRemove: (uploadId: string) => void;
}) {
  const { t } = useTranslation('composer');
  if (uploads.length === 0 && uploading.length === 0) return null;
  return (
    <ul className="composer-attachments" data-testid="composer-attachments">
      {uploads.map((u) => (
        <li key={u.id} className="composer-chip">
          {u.filename} <span className="muted">{formatSize(u.size)}</span>
          <button
            type="button"
            className="btn btn-ghost"
            aria-label={t('attachments.remove', { name: u.filename })}
            onClick={() => onRemove(u.id)}
          >
            ×
          </button>
        </li>
      ))}
      {uploading.map((name) => (
        <li key={name} className="composer-chip muted">
          {t('attachments.uploading', { name })}
        </li>
      ))}
    </ul>
  );
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
