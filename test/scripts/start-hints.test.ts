import { nextSteps } from '../../scripts/start-hints';

const finance = { url: 'http://127.0.0.1:5082', company: 'usmf' };

test('after a restart the hints approve a work order that awaits approval, never an invoiced one', () => {
  const text = nextSteps(
    [
      { workOrderNumber: 'WO-00003', stage: 'Invoiced' },
      { workOrderNumber: 'WO-00005', stage: 'AwaitingApproval' },
      { workOrderNumber: 'WO-00004', stage: 'AwaitingApproval' },
    ],
    finance,
  );
  expect(text).toContain('npm run fsfo -- work-order approve WO-00004 --by you@contoso.com');
  expect(text).toContain('http://127.0.0.1:5082/_sandbox/sales-orders/usmf/WO-00004/post-invoice');
  expect(text).not.toContain('WO-00003');
});

test('with every work order invoiced the hints say how to get a new one, and approve nothing', () => {
  const text = nextSteps([{ workOrderNumber: 'WO-00003', stage: 'Invoiced' }], finance);
  expect(text).not.toMatch(/approve|post-invoice|WO-00003/);
  expect(text).toContain('no work order waits for approval or an invoice');
});

test('a work order approved but not invoiced gets the invoice hint only', () => {
  const text = nextSteps([{ workOrderNumber: 'WO-00003', stage: 'AwaitingInvoice' }], finance);
  expect(text).not.toContain('approve ');
  expect(text).toContain('/_sandbox/sales-orders/usmf/WO-00003/post-invoice');
  expect(text).toContain('npm run fsfo -- work-order status WO-00003');
});
