// Prints the run's totals as one plain line ("jest: N passed, N failed, N skipped") that CI tooling reads.
// A test file that fails to load (a syntax error, a failing import, a throw at top level) runs no test:
// it counts as one failed test, so the line never says "0 failed" for a broken run.
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const { numPassedTests, numFailedTests, numPendingTests, numTodoTests, numRuntimeErrorTestSuites } =
      results;
    const failed = numFailedTests + numRuntimeErrorTestSuites;
    console.log(
      `jest: ${numPassedTests} passed, ${failed} failed, ${numPendingTests + numTodoTests} skipped`,
    );
  }
}
module.exports = SummaryReporter;
