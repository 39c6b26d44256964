/** Activities that do no I/O: each takes the step number and returns the next one. */
export type FloorActivities = Record<string, (step: number) => Promise<number>>;

/** One no-op activity per name, so the floor's history names its steps like the product's. */
export function createFloorActivities(names: readonly string[]): FloorActivities {
  const noop = async (step: number) => step + 1;
  return Object.fromEntries(names.map((name) => [name, noop]));
}
