// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS file, as Jest loads reporters
const SummaryReporter = require('./summary-reporter') as new () => {
  onRunComplete(contexts: unknown, results: Record<string, number>): void;
};

test('a test file that failed to load counts as failed in the summary line', () => {
  const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  try {
    new SummaryReporter().onRunComplete(new Set(), {
      numPassedTests: 12,
      numFailedTests: 0,
      numPendingTests: 1,
      numTodoTests: 0,
      numRuntimeErrorTestSuites: 2, // e.g. an import that throws: no test of those files ran
    });
    expect(log.mock.calls).toEqual([['jest: 12 passed, 2 failed, 1 skipped']]);
  } finally {
    log.mockRestore();
  }
});
