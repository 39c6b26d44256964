/** A source record that a valid mapping project cannot map, e.g. a value its value map does not know. */
export class RecordMappingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RecordMappingError';
  }
}
