import { Fragment } from 'react';

/**
 * Unicode bidirectional controls (LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI, PDI, LRM, RLM, ALM).
 * In a file name they only serve to disguise it: `invoice‮fdp.exe` shows as `invoiceexe.pdf`.
 */
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

const codePoint = (char: string) => `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;

/** The text with every bidi control written out as a visible ⟨U+202E⟩ token (for titles and other plain-text places). */
export function revealBidiControls(text: string): string {
  return text.replace(BIDI_CONTROLS, (char) => `⟨${codePoint(char)}⟩`);
}

/**
 * Untrusted text (a file name, a warning that quotes one) with its bidi controls shown as marked
 * ⟨U+202E⟩ tokens instead of obeyed, inside a <bdi> so nothing around it is reordered either.
 */
export function BidiRevealed({ text }: { text: string }) {
  const parts = text.split(BIDI_CONTROLS);
  const controls = text.match(BIDI_CONTROLS) ?? [];
  return (
    <bdi>
      {parts.map((part, index) => {
        const control = controls[index];
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one string, in their fixed order
          <Fragment key={index}>
            {part}
            {control ? (
              <mark className="bidi-control" title={codePoint(control)} data-testid="bidi-control">
                ⟨{codePoint(control)}⟩
              </mark>
            ) : null}
          </Fragment>
        );
      })}
    </bdi>
  );
}
