import type { Config } from '../../config/config';
import type { NotificationActivities } from './contract';
import { notifyOperators } from './notify-operators';
import { sendDigest } from './send-digest';

/** Notifications to operators: a notice when a document needs a person, and the daily digest. */
export function createNotificationActivities(config: Config): NotificationActivities {
  return {
    notifyOperators: (notice) => notifyOperators(config, notice),
    sendDigest: () => sendDigest(config),
  };
}
