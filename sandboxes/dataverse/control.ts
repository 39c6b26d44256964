import { jsonResponse } from '../http/json';
import type { ControlRoute } from '../platform/control-router';
import { emptyDataverseState, type DataverseState } from './dataverse-state';

/** `/_sandbox/reset` empties the Dataverse tables; `/_sandbox/seed` replaces them with the demo data. */
export function dataverseControlRoutes(
  replaceState: (state: DataverseState) => void,
  seeded: () => DataverseState,
): ControlRoute[] {
  return [
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
