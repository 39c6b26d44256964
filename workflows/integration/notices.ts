/**
 * Notices of one kind (a change in Field Service, a posting in F&O) counted as they arrive and as they are
 * handled: one is pending until a read that began after it. Nothing is reset by hand, so a notice that
 * arrives while the workflow is reading or writing is never lost.
 */
export class Notices {
  #received = 0;
  #handled = 0;

  receive(): void {
    this.#received++;
  }

  /** Call right before reading the source: it answers every notice received so far. */
  handle(): void {
    this.#handled = this.#received;
  }

  get pending(): boolean {
    return this.#received > this.#handled;
  }

  /** Moves with each notice: a step compares it to tell whether one came after its last attempt. */
  get received(): number {
    return this.#received;
  }
}
