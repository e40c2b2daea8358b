import { retryAfterMs } from './index';

const NOW = Date.UTC(2024, 0, 1, 12, 0, 0);

describe('retryAfterMs', () => {
  it.each([
    ['0', 0],
    ['5', 5_000],
    [' 120 ', 120_000],
  ])('reads delta-seconds %p', (value, expected) => {
    expect(retryAfterMs(value, NOW)).toBe(expected);
  });

  it.each([
    ['Mon, 01 Jan 2024 12:00:30 GMT', 30_000],
    ['Monday, 01-Jan-24 12:01:00 GMT', 60_000],
  ])('reads the HTTP-date %p', (value, expected) => {
    expect(retryAfterMs(value, NOW)).toBe(expected);
  });

  it('reads the asctime form (zoneless, so Date.parse reads it as local time)', () => {
    const value = 'Mon Jan  1 12:00:10 2024';
    expect(retryAfterMs(value, NOW)).toBe(Math.max(0, Date.parse(value) - NOW));
  });

  it('clamps a date in the past to 0', () => {
    expect(retryAfterMs('Mon, 01 Jan 2024 11:00:00 GMT', NOW)).toBe(0);
  });

  it.each([
    undefined,
    '',
    '-5',
    '1.5',
    'soon',
    'Foo, 01 Jan 2024 12:00:00 GMT',
    'Mon, garbage',
    '9'.repeat(400),
  ])('is undefined for %p', (value) => {
    expect(retryAfterMs(value, NOW)).toBeUndefined();
  });
});
