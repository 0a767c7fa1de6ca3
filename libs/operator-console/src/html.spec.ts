import { escapeHtml, html } from './html';

// Another name, so Prettier leaves the markup of these cases as written.
const markup = html;

describe('html', () => {
  it('escapes every interpolated string, in text and in attributes', () => {
    const name = `<script>alert("x")</script> & 'y'`;
    expect(html`<p title="${name}">${name}</p>`.markup).toBe(
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;">' +
        '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;</p>',
    );
  });

  it('keeps markup built by html and escapes the strings inside it once', () => {
    const cell = markup`<td>${'a<b'}</td>`;
    expect(markup`<tr>${cell}</tr>`.markup).toBe('<tr><td>a&lt;b</td></tr>');
  });

  it('joins lists and leaves out null, undefined and false', () => {
    expect(markup`<ul>${['<1>', markup`<li>2</li>`, null, undefined, false, 3]}</ul>`.markup).toBe(
      '<ul>&lt;1&gt;<li>2</li>3</ul>',
    );
  });

  it('does not take an object that merely looks like markup', () => {
    const forged = { markup: '<img src=x onerror=alert(1)>' } as unknown as string;
    expect(html`${forged}`.markup).toBe('');
  });

  it('escapes a backtick, which old browsers took as an attribute quote', () => {
    expect(escapeHtml('`')).toBe('&#96;');
  });
});
