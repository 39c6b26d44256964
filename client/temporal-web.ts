/**
 * The list views of Temporal Web an operator works from: each a visibility query, opened by a link
 * (`/namespaces/<namespace>/workflows?query=...`). The watchers, syncs and reconciliation set no
 * `IntegrationStage`, so filtering on it leaves the documents' workflows only.
 */
export interface WebView {
  name: string;
  query: string;
}

export const WEB_VIEWS = {
  needsAttention: { name: 'needs a person', query: 'IntegrationStage = "NeedsAttention"' },
  awaitingApproval: { name: 'awaiting approval', query: 'IntegrationStage = "AwaitingApproval"' },
  work: { name: 'all work, no watcher runs', query: 'IntegrationStage IS NOT NULL' },
} as const satisfies Record<string, WebView>;

/** The views for one work order and for one customer's documents. */
export const workOrderView = (workOrderNumber: string): WebView => ({
  name: `work order ${workOrderNumber}`,
  query: `WorkOrderNumber = "${workOrderNumber}"`,
});
export const customerView = (customerAccount: string): WebView => ({
  name: `customer ${customerAccount}`,
  query: `CustomerAccount = "${customerAccount}"`,
});

/** The link that opens Temporal Web's workflow list filtered by the view's query. */
export function webViewUrl(webUrl: string, namespace: string, { query }: WebView): string {
  const base = webUrl.replace(/\/+$/, '');
  return `${base}/namespaces/${encodeURIComponent(namespace)}/workflows?query=${encodeURIComponent(query)}`;
}
