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

  it('leaves unknown entities as they are', () => {
    expect(htmlToText('&unknown; &#xD800;')).toBe('&unknown; &#xD800;');
  });
});
