import { isNewer } from '../../workflows/work-order/etags';

test('a notice of the version the workflow knows, or an older one, is no news', () => {
  expect(isNewer('W/"1200"', 'W/"1200"')).toBe(false);
  expect(isNewer('W/"1199"', 'W/"1200"')).toBe(false);
  expect(isNewer('W/"1201"', 'W/"1200"')).toBe(true);
  // Compared as numbers, not text.
  expect(isNewer('W/"10000"', 'W/"9999"')).toBe(true);
});

test('a notice without a version, or before the workflow knows one, is read as a change', () => {
  expect(isNewer(undefined, 'W/"1200"')).toBe(true);
  expect(isNewer('W/"1200"', undefined)).toBe(true);
  // An ETag of another shape can only be compared for equality.
  expect(isNewer('"abc"', '"abc"')).toBe(false);
  expect(isNewer('"abd"', '"abc"')).toBe(true);
});
