import type { Config } from '../../config/config';
import type { DigestOutcome } from './contract';
import { deliverOnce } from './deliveries';
import { digestMessage, waitingDocuments } from './digest';

/** Lists what waits for a person and sends it as one message to the configured sinks, once per run. */
export async function sendDigest(config: Config): Promise<DigestOutcome> {
  const waiting = await waitingDocuments(config);
  const message = digestMessage(config, waiting);
  return { waiting: waiting.length, delivered: await deliverOnce(config, message) };
}
