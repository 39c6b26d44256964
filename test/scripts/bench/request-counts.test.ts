import { addRequests, requestsPerWorkOrder, subtractRequests } from '../../../scripts/bench/request-counts';
import type { RequestStats } from '../../../scripts/bench/sandbox-client';

function stats(requests: RequestStats['requests']): RequestStats {
  const total = requests.reduce((sum, row) => sum + row.count, 0);
  return { total, byMethod: {}, byEntitySet: {}, byStatus: {}, requests };
}

const none = stats([]);

describe('Dynamics 365 requests per work order', () => {
  it('divides by the work orders, by service and entity set, token requests apart', () => {
    const figures = requestsPerWorkOrder(
      {
        token: stats([{ method: 'POST', entitySet: 'token', status: 200, count: 2 }]),
        dataverse: stats([
          { method: 'GET', entitySet: 'msdyn_workorders', status: 200, count: 40 },
          { method: 'PATCH', entitySet: 'msdyn_workorders', status: 204, count: 20 },
        ]),
        finance: stats([{ method: 'GET', entitySet: 'CDSSalesOrderHeaders', status: 404, count: 10 }]),
      },
      10,
    );
    expect(figures).toEqual({
      total: 7,
      byService: { token: 0.2, dataverse: 6, finance: 1 },
      byEntitySet: {
        'token POST token': 0.2,
        'dataverse GET msdyn_workorders': 4,
        'dataverse PATCH msdyn_workorders': 2,
        'finance GET CDSSalesOrderHeaders (404)': 1,
      },
    });
  });

  it('leaves out what a watcher run costs with nothing to report, and adds steps into a path', () => {
    const emptyRun = requestsPerWorkOrder(
      {
        token: none,
        dataverse: stats([{ method: 'GET', entitySet: 'msdyn_workorders', status: 200, count: 1 }]),
        finance: none,
      },
      1,
    );
    const reportedBack = requestsPerWorkOrder(
      {
        token: none,
        dataverse: stats([
          { method: 'GET', entitySet: 'msdyn_workorders', status: 200, count: 2 },
          { method: 'GET', entitySet: 'products', status: 200, count: 1 },
        ]),
        finance: none,
      },
      1,
    );
    const feedback = subtractRequests(reportedBack, emptyRun);
    expect(feedback).toEqual({
      total: 2,
      byService: { token: 0, dataverse: 2, finance: 0 },
      byEntitySet: { 'dataverse GET msdyn_workorders': 1, 'dataverse GET products': 1 },
    });
    expect(subtractRequests(emptyRun, emptyRun).total).toBe(0);
    expect(addRequests([feedback, emptyRun])).toEqual({
      total: 3,
      byService: { token: 0, dataverse: 3, finance: 0 },
      byEntitySet: { 'dataverse GET msdyn_workorders': 2, 'dataverse GET products': 1 },
    });
  });
});
