import { idleGoals, runGoals, type RunFigures } from '../../../scripts/bench/goals';

const MB = 1024 * 1024;

// The product's figures when issue 17 was filed (2026-12-05, N = 100, K = 10).
const filed: RunFigures = {
  workOrders: 100,
  lines: 10,
  throughputRatio: { toSalesOrder: 13.96 / 30.17, toInvoiced: 8.7 / 21.16 },
  cpuMsPerWorkOrder: { product: 184, floor: 81 },
  requests: { wholePath: 20, toSalesOrder: 6 },
  historyEventsP95: 98,
  historyBytesP95: 40_000,
  workerPeakRssBytes: 634 * MB,
  unloadedLatencyP50Ms: 31_000,
};

const atGoal: RunFigures = {
  ...filed,
  throughputRatio: { toSalesOrder: 0.7, toInvoiced: 0.75 },
  cpuMsPerWorkOrder: { product: 110, floor: 81 },
  requests: { wholePath: 10, toSalesOrder: 4 },
  historyEventsP95: 60,
  historyBytesP95: 32 * 1024,
  workerPeakRssBytes: 300 * MB,
  unloadedLatencyP50Ms: 950,
};

const statuses = (figures: RunFigures) => runGoals(figures).map((goal) => goal.status);

describe("issue 17's goals", () => {
  it('judges every goal missed with the figures the issue was filed with', () => {
    expect(statuses(filed)).toEqual(Array(9).fill('missed'));
    const cpu = runGoals(filed)[2]!;
    expect(cpu.measured).toBe('44 % (184 ms vs 81 ms)');
  });

  it('judges every goal met at its bound', () => {
    expect(statuses(atGoal)).toEqual(Array(9).fill('met'));
  });

  it('misses the latency goal at one second and the request goals one request over', () => {
    const goals = runGoals({
      ...atGoal,
      unloadedLatencyP50Ms: 1000,
      requests: { wholePath: 10.5, toSalesOrder: 4.1 },
    });
    expect(goals.filter((g) => g.status === 'missed').map((g) => g.goal)).toEqual([
      'Dynamics 365 requests per work order, whole path',
      'Dynamics 365 requests per work order, to the sales order',
      'unloaded latency, completion → sales order (p50)',
    ]);
  });

  it('does not judge the history goals for other than 10 lines, nor RSS with fewer than 100 in flight', () => {
    const goals = runGoals({ ...filed, workOrders: 10, lines: 3 });
    const notJudged = goals.filter((g) => g.status === 'not judged');
    expect(notJudged.map((g) => g.note)).toEqual([
      'the goal is for 10-line work orders; this run has 3',
      'the goal is for 10-line work orders; this run has 3',
      'the goal is for 100 in flight; this run had 10',
    ]);
    expect(notJudged[2]!.measured).toBe('634 MB');
  });

  it('does not judge what was not measured', () => {
    const latency = runGoals({ ...atGoal, unloadedLatencyP50Ms: undefined }).at(-1)!;
    expect(latency).toMatchObject({ status: 'not judged', note: 'not measured', measured: '–' });
  });
});

describe("issue 17's idle goals", () => {
  it('judges the filed idle run missed: RSS and Dataverse requests growing with the waiting', () => {
    const goals = idleGoals({
      windows: [
        { waiting: 200, workerRssBytes: 530 * MB, dataverseTotalPerHour: 120 },
        { waiting: 2000, workerRssBytes: 1209 * MB, dataverseTotalPerHour: 202_620 },
      ],
    });
    expect(goals.map((g) => [g.status, g.measured])).toEqual([
      ['missed', '1209 MB'],
      ['missed', '1688.5× (202620/h vs 120/h)'],
    ]);
  });

  it('meets them at 400 MB and twice the requests', () => {
    const goals = idleGoals({
      windows: [
        { waiting: 200, workerRssBytes: 300 * MB, dataverseTotalPerHour: 120 },
        { waiting: 2000, workerRssBytes: 400 * MB, dataverseTotalPerHour: 240 },
      ],
    });
    expect(goals.map((g) => g.status)).toEqual(['met', 'met']);
  });

  it('judges the request growth of a smaller run but not its RSS', () => {
    const goals = idleGoals({
      windows: [
        { waiting: 5, workerRssBytes: 300 * MB, dataverseTotalPerHour: 0 },
        { waiting: 50, workerRssBytes: 320 * MB, dataverseTotalPerHour: 360 },
      ],
    });
    expect(goals.map((g) => [g.status, g.measured])).toEqual([
      ['not judged', '320 MB'],
      ['missed', '∞ (360/h vs 0/h)'],
    ]);
  });
});
