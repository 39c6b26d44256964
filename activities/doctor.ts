import { hostname } from 'node:os';
import type { Config } from '../config/config';

/** What a running worker is connected to, without credentials. */
export function createDoctorActivities(config: Config) {
  return {
    async describeWorker() {
      return {
        worker: `${process.pid}@${hostname()}`,
        taskQueue: config.temporal.taskQueue,
        legalEntity: config.finance.company,
        fieldServiceUrl: config.fieldService.url,
        financeUrl: config.finance.url,
        mappingProject: config.mappingProject,
        nodeVersion: process.version,
      };
    },
  };
}
