import { useState } from 'react';
import { useTranslation } from 'react-i18next';

/** Copies a secret to the clipboard; says so for a moment. */
export function CopyButton({ text }: { text: string }) {
  const { t } = useTranslation('api');
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className="btn btn-sm"
      onClick={() => {
        void navigator.clipboard?.writeText(text).then(() => setCopied(true));
      }}
    >
      {copied ? t('tokens.copied') : t('tokens.copy')}
    </button>
  );
}
