import { jsonResponse } from '../http/json';
import type { SandboxRequest, SandboxResponse } from '../http/types';

export interface ControlRoute {
  method: string;
  /** Matched against the path after `/_sandbox`; groups are passed to `handle`, URL-decoded. */
  path: RegExp;
  handle(request: SandboxRequest, params: string[]): Promise<SandboxResponse> | SandboxResponse;
}

/** Dispatches `/_sandbox/...` requests; the control API speaks plain JSON with `{"error": "..."}` on failure. */
export async function routeControl(
  routes: ControlRoute[],
  request: SandboxRequest,
): Promise<SandboxResponse> {
  const path = request.url.pathname.slice('/_sandbox'.length);
  const matching = routes.filter((route) => route.path.test(path));
  const route = matching.find((candidate) => candidate.method === request.method);
  if (!route) {
    return matching.length > 0
      ? controlError(405, `${request.method} is not allowed on /_sandbox${path}`)
      : controlError(404, `No control route /_sandbox${path}`);
  }
  let params: string[];
  try {
    params = (route.path.exec(path) ?? []).slice(1).map((value) => decodeURIComponent(value));
  } catch {
    return controlError(400, `Malformed percent-encoding in /_sandbox${path}`);
  }
  return route.handle(request, params);
}

export function controlError(status: number, message: string): SandboxResponse {
  return jsonResponse(status, { error: message });
}
