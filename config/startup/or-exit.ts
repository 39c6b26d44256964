import { StartupFailure } from './wait-for-service';

/** For entry points: a `StartupFailure` prints its one line and exits with its code; anything else is rethrown. */
export async function orExit<T>(waiting: Promise<T>): Promise<T> {
  try {
    return await waiting;
  } catch (err) {
    if (err instanceof StartupFailure) {
      console.error(err.message);
      process.exit(err.exitCode);
    }
    throw err;
  }
}
