import type { Config } from '../config/config';
import { createDoctorActivities } from './doctor';
import { createWatcherActivities } from './watchers';

/** Every activity the worker registers, bound to its configuration and clients. */
export function createActivities(config: Config) {
  return {
    ...createDoctorActivities(config),
    ...createWatcherActivities(config),
  };
}
