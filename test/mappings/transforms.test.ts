import { applyTransform } from '../../mappings/engine/transforms';

describe('transforms', () => {
  test.each([
    [90, 'minutesToHours' as const, 1.5],
    [120, 'minutesToHours' as const, 2],
    [10, 'negate' as const, -10],
    [0, 'negate' as const, 0],
    ['  ACME  ', 'trim' as const, 'ACME'],
  ])('%p %s → %p', (input, transform, expected) => {
    expect(applyTransform(input, transform)).toBe(expected);
  });

  test('truncate cuts text to the given length', () => {
    expect(applyTransform('Replace the compressor', { truncate: 7 })).toBe('Replace');
    expect(applyTransform('short', { truncate: 7 })).toBe('short');
  });

  test('round rounds half away from zero, without binary drift', () => {
    expect(applyTransform(1.005, { round: 2 })).toBe(1.01);
    expect(applyTransform(-2.5, { round: 0 })).toBe(-3);
    expect(applyTransform(1.23456, { round: 3 })).toBe(1.235);
  });

  test('date formats in UTC, from date-times and dates', () => {
    expect(applyTransform('2026-03-04T23:30:00-02:00', { date: 'yyyy-MM-dd' })).toBe('2026-03-05');
    expect(applyTransform('2026-03-04', { date: 'dd/MM/yyyy' })).toBe('04/03/2026');
    expect(applyTransform('2026-03-04T23:30:00', { date: 'yyyy-MM-dd HH:mm' })).toBe('2026-03-04 23:30');
    expect(applyTransform('2026-03-04T05:06:07Z', { date: 'yyyy-MM-ddTHH:mm:ssZ' })).toBe(
      '2026-03-04T05:06:07Z',
    );
  });

  test('a value of the wrong type is a mapping error naming the transform', () => {
    expect(() => applyTransform('90', 'minutesToHours')).toThrow('minutesToHours needs a number, got "90"');
    expect(() => applyTransform(5, 'trim')).toThrow('trim needs text');
    expect(() => applyTransform('yesterday', { date: 'yyyy' })).toThrow('date needs an ISO date');
    expect(() => applyTransform('03/04/2026', { date: 'yyyy' })).toThrow('date needs an ISO date');
  });

  test('an unresolved truncate: target is refused rather than guessed', () => {
    expect(() => applyTransform('text', { truncate: 'target' })).toThrow('was not resolved');
  });
});
