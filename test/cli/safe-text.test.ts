import { describe, expect, it } from 'vitest';
import { safeText } from '../../src/cli/safe-text.js';

describe('safeText', () => {
  it('drops escape sequences whole (CSI, OSC with BEL or ST)', () => {
    expect(safeText('\x1b[2J\x1b[31mred\x1b[0m')).toBe('red');
    expect(safeText('a\x1b]0;title\x07b\x1b]8;;http://x\x1b\\c')).toBe('abc');
  });
  it('marks every other control character, C1 and bidi override with U+FFFD', () => {
    expect(safeText('a\rb\x00c\x7fd\x9be\u202ef\u2066g')).toBe('a\uFFFDb\uFFFDc\uFFFDd\uFFFDe\uFFFDf\uFFFDg');
    expect(safeText('one\ntwo')).toBe('one\uFFFDtwo');
  });
  it('keeps newlines only when asked, and leaves ordinary text alone', () => {
    expect(safeText('one\ntwo\r', { multiline: true })).toBe('one\ntwo\uFFFD');
    expect(safeText('Zoë — 東京 ✓')).toBe('Zoë — 東京 ✓');
  });
});
