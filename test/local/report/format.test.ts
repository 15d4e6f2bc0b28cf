import { describe, expect, it } from 'vitest';
import { escapeHtml, formatCount, formatDuration, formatLatency, formatNumber, formatOffset, formatRate } from '../../../local/report';

describe('Function: formatNumber', () => {
  it.each([
    [0, '0'],
    [42, '42'],
    [0.123456, '0.1235'],
    [-0.5, '-0.5'],
    [1234.5, '1,235'],
    [12345.678, '12,346'],
    [0.0000123, '1.23e-5'],
    [0.00001, '1e-5'],
    [0.1 + 0.2, '0.3'],
    [Number.NaN, '—'],
    [Number.POSITIVE_INFINITY, '—'],
  ])('formats %s as %s', (value, expected) => {
    expect(formatNumber(value)).toBe(expected);
  });
});

describe('Function: formatRate', () => {
  it.each([
    [0, '0 %'],
    [0.5, '50 %'],
    [0.01234, '1.23 %'],
    [0.0015, '0.15 %'],
    [1, '100 %'],
  ])('formats %s as %s', (value, expected) => {
    expect(formatRate(value)).toBe(expected);
  });
});

describe('Function: formatDuration', () => {
  it.each([
    [0, '0 ms'],
    [850, '850 ms'],
    [12_340, '12.3 s'],
    [59_990, '1 min 00 s'],
    [754_000, '12 min 34 s'],
    [3_720_000, '1 h 02 min'],
    [-1500, '-1.5 s'],
  ])('formats %s ms as %s', (value, expected) => {
    expect(formatDuration(value)).toBe(expected);
  });

  it('writes offsets with a sign', () => {
    expect(formatOffset(5100)).toBe('+5.1 s');
    expect(formatOffset(-200)).toBe('-200 ms');
  });
});

describe('Function: formatCount and formatLatency', () => {
  it('groups thousands and appends ms', () => {
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatLatency(123.456)).toBe('123.5 ms');
    expect(formatLatency(Number.NaN)).toBe('—');
  });
});

describe('Function: escapeHtml', () => {
  it('escapes the five HTML special characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});
