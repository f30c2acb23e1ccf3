/**
 * The signature as the text it will read as: parsed with DOMParser (an inert document: no
 * scripts run, nothing loads) and shown as plain text lines, never injected as HTML.
 */
export function SignaturePreview({ html }: { html: string }) {
  const doc = new DOMParser().parseFromString(html.replace(/<br\s*\/?>/gi, '\n').replace(/<\/(p|div|li|h\d)>/gi, '\n'), 'text/html');
  const lines = (doc.body.textContent ?? '')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  return (
    <div className="composer-signature-text" data-testid="signature-preview">
      {lines.map((line, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: static lines of one preview
        <div key={i}>{line}</div>
      ))}
    </div>
  );
}
