import { expect, it } from 'vitest';
import { Interner, StringInterner } from '../../src/detect/interner.js';

it('hands out the first copy interned under a key, and stays bounded', () => {
  const people = new Interner<{ id: string }>(2);
  const first = { id: 'u1' };
  expect(people.intern('u1', first)).toBe(first);
  expect(people.intern('u1', { id: 'u1' })).toBe(first);
  people.intern('u2', { id: 'u2' });
  // Full: the third key clears it; what was handed out stays valid, later copies start afresh.
  const third = { id: 'u3' };
  expect(people.intern('u3', third)).toBe(third);
  const again = { id: 'u1' };
  expect(people.intern('u1', again)).toBe(again);
  expect(first).toEqual({ id: 'u1' });
});

it('interns strings as themselves, and passes null through', () => {
  const strings = new StringInterner(10);
  expect(strings.string('Mozilla/5.0')).toBe('Mozilla/5.0');
  expect(strings.string(null)).toBeNull();
});
