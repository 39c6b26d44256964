// got 14 and its dependencies ship only ES modules; Jest's module system is CommonJS, so those
// packages are compiled to CommonJS by @swc/jest like our own TypeScript. Node itself loads them
// natively (require(esm), Node >= 20.19), so this only concerns the test runner.
const esmOnlyPackages = [
  'got',
  '@sindresorhus/is',
  'byte-counter',
  'cacheable-lookup',
  'cacheable-request',
  'get-stream',
  '@sec-ant/readable-stream',
  'is-stream',
  'keyv',
  '@keyv/serialize',
  'mimic-response',
  'normalize-url',
  'responselike',
  'lowercase-keys',
  'decompress-response',
  'form-data-encoder',
  'p-cancelable',
];

const swc = [
  '@swc/jest',
  { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } },
];

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>'],
  testMatch: ['**/*.test.ts'],
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/.data/', '<rootDir>/.tools/'],
  transform: { '^.+\\.(t|j|mj)s$': swc },
  transformIgnorePatterns: [`/node_modules/(?!(${esmOnlyPackages.join('|')})/)`],
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  testTimeout: 60_000,
  // Two files at a time on the 2-core machines this runs on: most of a file's time is spent waiting on the
  // Temporal server, the sandboxes and timers, so a second file halves the run (15 to 8 minutes) without
  // starving the first. The tests wait for conditions, never for a fixed time, so the load does not decide.
  maxWorkers: 2,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  // The Temporal SDK's native runtime keeps the process alive for up to ~30 s after teardown
  // (sdk-typescript#928); every test file closes what it opens, so exiting at once loses nothing.
  forceExit: true,
  clearMocks: true,
};
