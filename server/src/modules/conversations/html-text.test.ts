import { describe, expect, it } from 'vitest';
import { htmlToText } from './html-text.js';

describe('htmlToText', () => {
  it('drops scripts, styles and comments, breaks blocks into lines and decodes entities', () => {
    expect(
      htmlToText(
        '<style>p{}</style><script>x()</script><!-- c --><div>Price&nbsp;&lt;5&gt; &amp; &#x20AC;3&#46;</div><p>Line<br/>two</p><table><tr><td>a</td><td>b</td></tr></table>',
      ),
    ).toBe('Price <5> & €3.\n\nLine\ntwo\n\na b');
  });

  it('decodes every named HTML entity, not only a hand-kept few (issue 17: &ouml; &szlig; &eacute; stayed literal)', () => {
    expect(htmlToText('<p>Gr&ouml;&szlig;e, caf&eacute; &Auml;pfel &ntilde; &aring; &oslash; &thorn; &hearts; &rarr;</p>')).toBe(
      'Größe, café Äpfel ñ å ø þ ♥ →',
    );
  });

  it('leaves unknown entities as they are and gives U+FFFD for a code point that cannot be a character', () => {
    expect(htmlToText('&unknown; &#xD800;')).toBe('&unknown; \ufffd');
  });

  it('keeps link text without its address, drops images, keeps the case of headings and numbers ordered lists', () => {
    expect(
      htmlToText(
        '<h2>Offer</h2><p>See <a href="https://x.test/a">our list</a> <img src="cid:logo" alt="Logo"></p><ol><li>one</li><li>two</li></ol>',
      ),
    ).toBe('Offer\n\nSee our list\n\n1. one\n2. two');
  });

  it('does not wrap long lines', () => {
    const line = 'word '.repeat(60).trim();
    expect(htmlToText(`<p>${line}</p>`)).toBe(line);
  });
});
