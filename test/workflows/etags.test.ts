import { ChangeNotices, isNewer } from '../../workflows/work-order/etags';

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

test('the echo of its own write is no news once the workflow holds the version, whatever arrived first', () => {
  let known = 'W/"4"';
  const changes = new ChangeNotices(() => known);
  // The close's echo is handled before the close's result in the same workflow task.
  changes.receive('W/"5"');
  expect(changes.pending).toBe(true);
  known = 'W/"5"';
  expect(changes.pending).toBe(false);
  // A later write by someone else is news; the newest version reported counts, not the last to arrive.
  changes.receive('W/"7"');
  changes.receive('W/"6"');
  expect(changes.pending).toBe(true);
  known = 'W/"6"';
  expect(changes.pending).toBe(true);
  changes.handle();
  expect(changes.pending).toBe(false);
});

test('a change notice without a version is news until the work order is read', () => {
  const changes = new ChangeNotices(() => 'W/"9"');
  changes.receive(undefined);
  changes.receive('W/"3"');
  expect(changes.pending).toBe(true);
  changes.handle();
  expect(changes.pending).toBe(false);
  changes.receive('W/"8"');
  expect(changes.pending).toBe(false);
});
