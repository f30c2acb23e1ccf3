/** The logo's address as the server renders it in a preview: Pier's own route, nothing else. */
const LOGO_SRC = /^\/api\/mailboxes\/[^/?#]+\/signature\/logo(\?v=[0-9a-f]+)?$/;
/** Stands for the logo inside the text while the lines are split (a private-use character). */
const LOGO_MARK = '\uE000';

/**
 * The signature as it will read: parsed with DOMParser (an inert document: no scripts run,
 * nothing loads) and shown as plain text lines, never injected as HTML. The one image shown is
 * the mailbox's logo, from Pier's own route (CSP `img-src 'self'`); any other image is left out.
 */
export function SignaturePreview({ html }: { html: string }) {
  const doc = new DOMParser().parseFromString(html.replace(/<br\s*\/?>/gi, '\n').replace(/<\/(p|div|li|h\d)>/gi, '\n'), 'text/html');
  const logos: { src: string; alt: string; width: number; height: number }[] = [];
  for (const img of Array.from(doc.body.querySelectorAll('img'))) {
    const src = img.getAttribute('src') ?? '';
    if (LOGO_SRC.test(src)) {
      logos.push({
        src,
        alt: img.getAttribute('alt') ?? '',
        width: Number(img.getAttribute('width')),
        height: Number(img.getAttribute('height')),
      });
      img.replaceWith(doc.createTextNode(LOGO_MARK));
    }
  }
  let next = 0;
  // Each line: its text pieces, with the logo between them where it stood.
  const lines = (doc.body.textContent ?? '')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => line.split(LOGO_MARK).map((text, j) => ({ text, logo: j > 0 ? logos[next++] : undefined })));
  return (
    <div className="composer-signature-text" data-testid="signature-preview">
      {lines.map((pieces, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: static lines of one preview
        <div key={i}>
          {pieces.map(({ text, logo }, j) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: static pieces of one line
            <span key={j}>
              {logo ? (
                <img
                  className="signature-logo"
                  src={logo.src}
                  alt={logo.alt}
                  width={logo.width || undefined}
                  height={logo.height || undefined}
                  data-testid="signature-preview-logo"
                />
              ) : null}
              {text}
            </span>
          ))}
        </div>
      ))}
    </div>
  );
}
