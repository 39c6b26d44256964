import type { SandboxResponse } from '../http/types';
import type { BatchOperation, BatchPart, BatchResultPart, OperationResult } from './multipart';

export interface InnerRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body: string;
}

export interface BatchRunner {
  /** Runs one operation of the batch as if it were its own request. */
  execute(request: InnerRequest): Promise<SandboxResponse>;
  /** Takes and restores a copy of the service's data, so that a failed change set leaves no trace. */
  snapshot(): () => void;
  /** The service root that relative URLs in the batch are resolved against (ends with `/`). */
  serviceRoot: string;
  /** Dataverse stops at the first failure unless `odata.continue-on-error` is preferred; F&O goes on. */
  stopOnFirstFailure: boolean;
  /** The service's answer to a `$n` reference that no earlier operation of the change set declared. */
  unknownReference(reference: string): SandboxResponse;
}

export interface BatchOutcome {
  parts: BatchResultPart[];
  /** The status of the failure that stopped the batch, if one did. */
  stoppedWith?: number;
}

/** Runs the parts of a batch in order; each change set is all-or-nothing. */
export async function runBatch(parts: BatchPart[], runner: BatchRunner): Promise<BatchOutcome> {
  const results: BatchResultPart[] = [];
  for (const part of parts) {
    if (part.kind === 'operation') {
      const result = await runOperation(part.operation, new Map(), runner);
      results.push({ kind: 'operation', result });
      if (failed(result) && runner.stopOnFirstFailure)
        return { parts: results, stoppedWith: result.response.status };
      continue;
    }
    // Operations run without waiting on I/O, so no other request interleaves and the restore below can
    // only undo this change set's own writes.
    const restore = runner.snapshot();
    const entityIds = new Map<string, string>();
    const changeset: OperationResult[] = [];
    let failure: OperationResult | undefined;
    for (const operation of part.operations) {
      const result = await runOperation(operation, entityIds, runner);
      if (failed(result)) {
        failure = result;
        break;
      }
      changeset.push(result);
    }
    if (failure) {
      restore();
      results.push({ kind: 'operation', result: failure });
      if (runner.stopOnFirstFailure) return { parts: results, stoppedWith: failure.response.status };
    } else {
      results.push({ kind: 'changeset', results: changeset });
    }
  }
  return { parts: results };
}

function failed(result: OperationResult): boolean {
  return result.response.status >= 400;
}

async function runOperation(
  operation: BatchOperation,
  entityIds: Map<string, string>,
  runner: BatchRunner,
): Promise<OperationResult> {
  const request = resolveReferences(operation, entityIds, runner);
  const response = 'status' in request ? request : await runner.execute(request);
  const entityId = response.headers?.['OData-EntityId'] ?? response.headers?.Location;
  if (operation.contentId !== undefined && entityId) entityIds.set(operation.contentId, entityId);
  return { contentId: operation.contentId, response };
}

/** Replaces `$n` Content-ID references in the URL and in JSON string values. */
function resolveReferences(
  operation: BatchOperation,
  entityIds: Map<string, string>,
  runner: BatchRunner,
): InnerRequest | SandboxResponse {
  const unknown: string[] = [];
  const substitute = (text: string): string =>
    text.replace(/^\$([A-Za-z0-9_-]+)(?=\/|$)/, (whole, id: string) => {
      const entityId = entityIds.get(id);
      if (!entityId) unknown.push(whole);
      return entityId ?? whole;
    });
  const target = substitute(operation.target);
  const body = operation.body.replace(/"(\$[A-Za-z0-9_-]+(?:\/[^"]*)?)"/g, (whole, reference: string) => {
    const id = /^\$([A-Za-z0-9_-]+)/.exec(reference)?.[1] ?? '';
    return entityIds.has(id) ? JSON.stringify(substitute(reference)) : whole;
  });
  if (unknown.length > 0) return runner.unknownReference(unknown[0]);
  let url: URL;
  try {
    url = new URL(target, runner.serviceRoot);
  } catch {
    url = new URL('about:blank');
  }
  return { method: operation.method, url, headers: operation.headers, body };
}
