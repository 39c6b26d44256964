/** A work order's workflow as `npm start` lists it. */
export interface ListedWorkOrder {
  workOrderNumber: string;
  stage: string;
}

const byNumber = (a: ListedWorkOrder, b: ListedWorkOrder) =>
  a.workOrderNumber.localeCompare(b.workOrderNumber);

/**
 * `npm start`'s "Next:" lines, naming work orders in the stage each step applies to: after a restart the
 * demo work orders may be invoiced already, and approving one of those only gets a refusal.
 */
export function nextSteps(
  workOrders: readonly ListedWorkOrder[],
  finance: { url: string; company: string },
): string {
  const inStage = (stage: string) => workOrders.filter((w) => w.stage === stage).sort(byNumber)[0];
  const awaitingApproval = inStage('AwaitingApproval');
  const awaitingInvoice = inStage('AwaitingInvoice');
  const steps = ['  npm run fsfo -- work-order list --stage AwaitingApproval'];
  if (awaitingApproval) {
    const number = awaitingApproval.workOrderNumber;
    steps.push(
      `  npm run fsfo -- work-order approve ${number} --by you@contoso.com`,
      `      or in Temporal Web: workflow work-order-${number} > Send an Update > approveInvoicing {"approvedBy":"you"}`,
    );
  }
  const toInvoice = awaitingApproval ?? awaitingInvoice;
  if (toInvoice) {
    const number = toInvoice.workOrderNumber;
    steps.push(
      `  curl -X POST ${finance.url}/_sandbox/sales-orders/${finance.company}/${number}/post-invoice`,
      `      posts its invoice in F&O as an F&O user would; the business event completes the workflow` +
        (awaitingApproval ? ' (once approved)' : ''),
      `  npm run fsfo -- work-order status ${number}`,
    );
  } else {
    steps.push(
      '  no work order waits for approval or an invoice: complete one in Field Service and the watcher',
      '      starts its workflow within a minute (npm run fsfo -- work-order list shows every stage)',
    );
  }
  steps.push('  npm test                              the test suite (it starts its own servers)');
  return `Next:\n${steps.join('\n')}`;
}
