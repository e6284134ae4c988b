import { describe, expect, it } from '@jest/globals';
import {
  code,
  escapeMarkdown,
  formatCount,
  formatDelta,
  formatPercent,
  formatQuantity,
  formatUnitPrice,
  formatUsd,
  plainText,
  singularUnit,
} from '../../src/report/format.js';

describe('money', () => {
  it('formats dollars and cents in en-US', () => {
    expect(formatUsd(1234.56)).toBe('$1,234.56');
    expect(formatUsd(0)).toBe('$0.00');
    expect(formatUsd(-12)).toBe('-$12.00');
    expect(formatUsd(1234567.891)).toBe('$1,234,567.89');
  });

  it('rounds headline figures to whole dollars from $1,000 only', () => {
    expect(formatUsd(4366.4, { precision: 'headline' })).toBe('$4,366');
    expect(formatUsd(999.5, { precision: 'headline' })).toBe('$999.50');
    expect(formatUsd(306.4, { precision: 'headline' })).toBe('$306.40');
  });

  it('signs deltas, never zero', () => {
    expect(formatDelta(4366)).toBe('+$4,366.00');
    expect(formatDelta(-12)).toBe('-$12.00');
    expect(formatDelta(0)).toBe('$0.00');
    expect(formatDelta(-0)).toBe('$0.00');
    expect(formatDelta(1e-12)).toBe('$0.00');
    expect(formatDelta(4366.4, { precision: 'headline' })).toBe('+$4,366');
  });

  it('shows tiny non-zero amounts as <$0.01, not $0.00', () => {
    expect(formatUsd(0.0004)).toBe('<$0.01');
    expect(formatDelta(-0.0004)).toBe('-<$0.01');
  });

  it('shows unknown amounts as unknown, never $0', () => {
    expect(formatUsd(null)).toBe('unknown');
    expect(formatUsd(undefined)).toBe('unknown');
    expect(formatUsd(Number.NaN)).toBe('unknown');
    expect(formatDelta(null)).toBe('unknown');
    expect(formatUsd(null, { unknown: 'n/a' })).toBe('n/a');
  });

  it('formats unit prices with enough digits', () => {
    expect(formatUnitPrice(1.2136, 'hours')).toBe('$1.2136 / hour');
    expect(formatUnitPrice(0.1, 'GB-month')).toBe('$0.10 / GB-month');
    expect(formatUnitPrice(0.0000166667, 'GB-seconds')).toBe('$0.00001667 / GB-second');
    expect(formatUnitPrice(0.096, '')).toBe('$0.096');
    expect(formatUnitPrice(null, 'hours')).toBe('unknown');
  });
});

describe('numbers', () => {
  it('formats percentages, with none for a zero base', () => {
    expect(formatPercent(38, 100)).toBe('+38%');
    expect(formatPercent(-4.2, 100)).toBe('-4.2%');
    expect(formatPercent(0, 100)).toBe('0%');
    expect(formatPercent(0.01, 100)).toBe('+<0.1%');
    expect(formatPercent(5, 0)).toBeNull();
    expect(formatPercent(null, 10)).toBeNull();
  });

  it('formats quantities with units and counts with plurals', () => {
    expect(formatQuantity(1460, 'hours')).toBe('1,460 hours');
    expect(formatQuantity(0.5, 'GB')).toBe('0.5 GB');
    expect(formatQuantity(null, 'GB')).toBe('unknown');
    expect(formatCount(1, 'guardrail')).toBe('1 guardrail');
    expect(formatCount(1204, 'resource')).toBe('1,204 resources');
    expect(singularUnit('IOPS')).toBe('IOPS');
    expect(singularUnit('Mbps')).toBe('Mbps');
    expect(singularUnit('1M requests')).toBe('1M requests');
    expect(singularUnit('vCPU-hours')).toBe('vCPU-hour');
  });
});

describe('untrusted text', () => {
  const hostile = '| </details> <img src=x> @everyone [x](http://evil) `code`';

  it('neutralises tables, HTML, links, mentions and code spans', () => {
    expect(escapeMarkdown(hostile)).toBe(
      '&#124; &lt;/details&gt; &lt;img src=x&gt; &#64;&#8205;everyone &#91;x&#93;&#40;http&#58;//evil&#41; &#96;code&#96;',
    );
  });

  it('escapes emphasis, headings, HTML comments, entities and issue references', () => {
    expect(escapeMarkdown('# *a* _b_ ~c~ <!-- x --> &amp; #12 $x$ \\')).toBe(
      '&#35;&#8205; &#42;a&#42; &#95;b&#95; &#126;c&#126; &lt;!-- x --&gt; &amp;amp; &#35;&#8205;12 &#36;x&#36; &#92;',
    );
  });

  it('turns line breaks into spaces and drops control and bidi characters', () => {
    expect(escapeMarkdown('a\nb\r\nc\td\u2028e')).toBe('a b c d e');
    expect(escapeMarkdown('x\u001b[31my\u202Ez\u0000')).toBe('x&#91;31myz');
    expect(plainText('red\u001b[31m\nline')).toBe('red[31m line');
  });

  it('cuts long text before escaping, so no entity is split', () => {
    expect(escapeMarkdown('aaaa|bbbb', { maxLength: 6 })).toBe('aaaa&#124;…');
    expect(plainText('😀😀😀', { maxLength: 2 })).toBe('😀…');
  });

  it('renders inline code that cannot be broken out of', () => {
    const c = code(hostile);
    expect(c.startsWith('<code>')).toBe(true);
    expect(c.endsWith('</code>')).toBe(true);
    const inner = c.slice('<code>'.length, -'</code>'.length);
    expect(inner).toBe(escapeMarkdown(hostile));
    expect(inner).not.toMatch(/[<>|`\n]/);
  });

  it('breaks up bare URLs so GitHub does not link them', () => {
    expect(escapeMarkdown('see https://x.io and www.evil.com')).toBe('see https&#58;//x.io and www&#46;evil.com');
  });
});
