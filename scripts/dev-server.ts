import { TestWorkflowEnvironment } from '@temporalio/testing';
import { SEARCH_ATTRIBUTES } from '../workflows/search-attributes';
import { findOrInstallTemporal } from './temporal-cli';

export interface DevServerOptions {
  /** Frontend gRPC port; random when omitted. */
  port?: number;
  /** Temporal Web port; no UI when omitted. */
  uiPort?: number;
  /** SQLite file for a persistent database; in memory when omitted. */
  dbFilename?: string;
  /** Port of the server's Prometheus metrics (`/metrics`, e.g. requests per operation); random when omitted. */
  metricsPort?: number;
  /** Namespaces to register besides `default`, each with the search attributes. */
  namespaces?: readonly string[];
  /** Server settings to override, e.g. `{ 'limit.historyCount.suggestContinueAsNew': 40 }`. */
  dynamicConfig?: Record<string, string | number | boolean>;
}

/**
 * Starts the Temporal CLI dev server (a real Temporal server on SQLite) with the project's search
 * attributes registered on every namespace it starts with. The binary comes from
 * `scripts/temporal-cli.ts`, or from the SDK's own download where none can be installed.
 */
export function startDevServer({
  port,
  uiPort,
  dbFilename,
  metricsPort,
  namespaces = [],
  dynamicConfig = {},
}: DevServerOptions = {}): Promise<TestWorkflowEnvironment> {
  const path = findOrInstallTemporal('cli');
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: path ? { type: 'existing-path', path } : { type: 'cached-download' },
      ip: '127.0.0.1',
      port,
      uiPort,
      dbFilename,
      searchAttributes: SEARCH_ATTRIBUTES,
      // Warnings here are the server's own chatter (a generated cluster id at start, its UI redialling the
      // frontend while both stop on Ctrl-C); errors still show.
      log: { format: 'pretty', level: 'error' },
      // WAL with synchronous=NORMAL gives about 2.5x the throughput of SQLite's defaults.
      extraArgs: [
        ...(dbFilename
          ? ['--sqlite-pragma', 'journal_mode=WAL', '--sqlite-pragma', 'synchronous=NORMAL']
          : []),
        ...(metricsPort === undefined ? [] : ['--metrics-port', String(metricsPort)]),
        ...namespaces.flatMap((namespace) => ['--namespace', namespace]),
        ...Object.entries(dynamicConfig).flatMap(([key, value]) => [
          '--dynamic-config-value',
          `${key}=${JSON.stringify(value)}`,
        ]),
      ],
    },
  });
}
