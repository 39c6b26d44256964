/** A flow asked the mapping project for a task it does not have, e.g. a project built without that flow's template. */
export class MissingTaskError extends Error {
  constructor(readonly what: string) {
    super(`the mapping project has no ${what}`);
    this.name = 'MissingTaskError';
  }
}
