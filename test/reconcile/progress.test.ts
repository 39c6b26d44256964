import { progressReporter } from '../../client/reconcile/progress';

function stream(isTTY: boolean) {
  const written: string[] = [];
  return {
    written,
    stream: { isTTY, write: (text: string) => written.push(text) } as unknown as NodeJS.WriteStream,
  };
}

test('in a log: one line per 1,000 documents', () => {
  const log = stream(false);
  const progress = progressReporter(log.stream);
  for (let checked = 0; checked <= 2_500; checked += 100) {
    progress.update({ checked, total: 2_500, drifts: 1, inFlight: 2 });
  }
  expect(log.written).toEqual([
    'Reconciling: 1000/2500 documents checked, 1 drift, 2 in flight\n',
    'Reconciling: 2000/2500 documents checked, 1 drift, 2 in flight\n',
  ]);
});

test('in a terminal: a bar that fills, cleared before other output', () => {
  const terminal = stream(true);
  const progress = progressReporter(terminal.stream);
  progress.update({ checked: 500, total: 1_000, drifts: 0, inFlight: 0 });
  progress.clear();
  expect(terminal.written).toEqual([
    `\r\x1b[KReconciling [${'#'.repeat(15)}${'.'.repeat(15)}] 500/1000 documents, 0 drifts, 0 in flight`,
    '\r\x1b[K',
  ]);
});
