import { randomUUID } from 'node:crypto';

export interface BatchOperation {
  method: 'POST' | 'PATCH' | 'DELETE';
  /** Relative to the service root, or `$<content id>` to address a row created earlier in the batch. */
  path: string;
  headers?: Record<string, string>;
  body?: unknown;
}

/** Operations that succeed or roll back together. */
export type ChangeSet = readonly BatchOperation[];

export interface BatchRequest {
  contentType: string;
  body: string;
  /** The operation behind each Content-ID, for reporting which one failed. */
  operations: Map<string, BatchOperation>;
}

const CRLF = '\r\n';

/**
 * A `multipart/mixed` `$batch` body with one change set per entry, then one GET per `reads` path
 * outside any change set (GET is not allowed inside one), which the service runs after the change sets.
 * Content-IDs count from 1 across the whole batch; inner request lines use absolute URLs.
 */
export function buildBatchRequest(
  serviceRoot: URL,
  changeSets: readonly ChangeSet[],
  reads: readonly string[] = [],
): BatchRequest {
  if (changeSets.every((changeSet) => changeSet.length === 0) && reads.length === 0)
    throw new TypeError('a batch needs an operation');
  const batchBoundary = `batch_${randomUUID()}`;
  const operations = new Map<string, BatchOperation>();
  const lines: string[] = [];
  for (const changeSet of changeSets) {
    const changeSetBoundary = `changeset_${randomUUID()}`;
    lines.push(`--${batchBoundary}`, `Content-Type: multipart/mixed; boundary=${changeSetBoundary}`, '');
    for (const operation of changeSet) {
      const contentId = String(operations.size + 1);
      operations.set(contentId, operation);
      lines.push(
        `--${changeSetBoundary}`,
        'Content-Type: application/http',
        'Content-Transfer-Encoding: binary',
        `Content-ID: ${contentId}`,
        '',
        `${operation.method} ${operationUrl(serviceRoot, operation.path)} HTTP/1.1`,
        ...Object.entries(operation.headers ?? {}).map(([name, value]) => `${name}: ${value}`),
      );
      if (operation.body === undefined) lines.push('', '');
      else lines.push('Content-Type: application/json', '', JSON.stringify(operation.body));
    }
    lines.push(`--${changeSetBoundary}--`, '');
  }
  for (const path of reads) {
    lines.push(
      `--${batchBoundary}`,
      'Content-Type: application/http',
      'Content-Transfer-Encoding: binary',
      '',
      `GET ${operationUrl(serviceRoot, path)} HTTP/1.1`,
      'Accept: application/json',
      '',
      '',
    );
  }
  lines.push(`--${batchBoundary}--`, '');
  return {
    contentType: `multipart/mixed; boundary=${batchBoundary}`,
    body: lines.join(CRLF),
    operations,
  };
}

function operationUrl(serviceRoot: URL, path: string): string {
  return path.startsWith('$') ? path : new URL(path, serviceRoot).href;
}
