/**
 * The entity set (or `$batch`, `$metadata`, a function) a request's URL names: the first segment after the
 * service root without keys, e.g. `msdyn_workorders(…)/msdyn_msdyn_workorder_msdyn_workorderproduct` is
 * `msdyn_workorders`, `SalesInvoiceHeadersV2/$count?…` is `SalesInvoiceHeadersV2`; anything that is not a
 * plain name is `other`. Metrics and spans label requests with it, so the values of keys and queries never
 * reach them and the labels stay within the catalogue.
 */
export function entitySetOf(url: URL, serviceRoot: URL): string {
  const segment = url.pathname.slice(serviceRoot.pathname.length).split('/')[0] ?? '';
  const name = segment.split('(')[0] ?? '';
  return /^\$?[A-Za-z_][\w.]{0,99}$/.test(name) ? name : 'other';
}
