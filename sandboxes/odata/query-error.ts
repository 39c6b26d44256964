/** A query the OData URI parser refuses; each service wraps the message in its own error envelope. */
export class ODataQueryError extends Error {}
