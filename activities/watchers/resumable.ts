import { activityInfo, heartbeat } from '@temporalio/activity';

interface Progress<Tally> {
  /** Index of the first item not yet handled. */
  next: number;
  tally: Tally;
}

/**
 * Handles the items in order, recording progress in heartbeat details. A retried attempt resumes
 * after the last item the failed one handled (the SDK flushes the last heartbeat on failure), so a
 * retry starts or signals nothing twice and the tally covers every attempt.
 */
export async function handleResumably<Item, Outcome, Tally>(
  items: readonly Item[],
  initial: Tally,
  handle: (item: Item) => Promise<Outcome>,
  record: (tally: Tally, item: Item, outcome: Outcome) => void,
): Promise<Tally> {
  const progress: Progress<Tally> = (activityInfo().heartbeatDetails as Progress<Tally> | undefined) ?? {
    next: 0,
    tally: initial,
  };
  for (let index = progress.next; index < items.length; index++) {
    const outcome = await handle(items[index]);
    // Synchronous from here to the heartbeat, so the details never count an item as half done.
    record(progress.tally, items[index], outcome);
    progress.next = index + 1;
    heartbeat(structuredClone(progress));
  }
  return progress.tally;
}
