import { z } from 'zod';
import { jsonResponse } from '../http/json';
import { readControlBody } from '../platform/control-body';
import { controlError, type ControlRoute } from '../platform/control-router';
import type { DataverseData } from './dataverse-data';
import { emptyDataverseState, type DataverseState } from './dataverse-state';
import { completeWorkOrder, invoiceAgreement, type SimulationResult } from './field-work';
import { copyRows, rowCopiesBodySchema } from './row-copies';

const clockBody = z.object({ pinnedAt: z.iso.datetime({ offset: true }).nullable() }).strict();

/**
 * The Dataverse control API: reset, seed, the service's clock, the Field Service people and processes the
 * demo needs (a technician completing a work order, agreement invoicing), and bulk copies of a document for
 * benchmarks.
 */
export function dataverseControlRoutes(
  data: DataverseData,
  replaceState: (state: DataverseState) => void,
  seeded: () => DataverseState,
): ControlRoute[] {
  return [
    {
      method: 'POST',
      path: /^\/work-orders\/([^/]+)\/complete$/,
      handle: (_request, [name]) => simulationResponse(completeWorkOrder(data, name)),
    },
    {
      method: 'POST',
      path: /^\/agreements\/([^/]+)\/invoice$/,
      handle: (_request, [name]) => simulationResponse(invoiceAgreement(data, name)),
    },
    {
      method: 'GET',
      path: /^\/clock$/,
      handle: () => jsonResponse(200, { pinnedAt: data.clock.pinnedAt }),
    },
    {
      method: 'PUT',
      path: /^\/clock$/,
      handle: (request) => {
        const body = readControlBody(request, clockBody);
        if (!body.ok) return body.response;
        data.clock.pin(body.value.pinnedAt === null ? undefined : Date.parse(body.value.pinnedAt));
        return jsonResponse(200, { pinnedAt: data.clock.pinnedAt });
      },
    },
    {
      method: 'POST',
      path: /^\/tables\/([^/]+)\/([^/]+)\/copies$/,
      handle: (request, [entitySet, id]) => {
        const body = readControlBody(request, rowCopiesBodySchema);
        return body.ok ? simulationResponse(copyRows(data, entitySet, id, body.value)) : body.response;
      },
    },
    {
      method: 'POST',
      path: /^\/reset$/,
      handle: () => {
        replaceState(emptyDataverseState());
        return { status: 204 };
      },
    },
    {
      method: 'POST',
      path: /^\/seed$/,
      handle: () => {
        const state = seeded();
        replaceState(state);
        return jsonResponse(200, {
          tables: Object.fromEntries(
            Object.entries(state.tables).map(([name, rows]) => [name, Object.keys(rows).length]),
          ),
        });
      },
    },
  ];
}

function simulationResponse(result: SimulationResult) {
  return result.ok ? jsonResponse(200, result.body) : controlError(result.status, result.message);
}
