import type { Config } from '../config/config';
import { createDoctorActivities } from './doctor';

/** Every activity the worker registers, bound to its configuration and clients. */
export function createActivities(config: Config) {
  return {
    ...createDoctorActivities(config),
  };
}
