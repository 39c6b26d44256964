import { ConfigError, loadConfig } from '../../config/config';

/** The issues `loadConfig` reports for `env`; fails the test when it accepts it. */
export function configIssuesOf(env: NodeJS.ProcessEnv) {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.issues;
    throw err;
  }
  throw new Error('expected a ConfigError');
}
