/** One inner response of a `$batch`, with the Content-ID of the request it answers when the service echoes it. */
export interface BatchPartResponse {
  contentId?: string;
  status: number;
  headers: Record<string, string>;
  body: string;
}

const LINE_BREAK = /\r?\n/;

/**
 * Parses a `multipart/mixed` batch response into its inner responses, change sets flattened in
 * order. Line breaks may be CRLF or LF (docs/dynamics-365-wire.md#batches-and-change-sets).
 */
export function parseBatchResponse(contentType: string, body: string): BatchPartResponse[] {
  const boundary = boundaryOf(contentType);
  if (!boundary) throw new SyntaxError(`not a multipart batch response: ${contentType}`);
  return splitParts(body, boundary).flatMap((part) => {
    const { headers, content } = splitHeaders(part);
    const partType = headers['content-type'] ?? '';
    if (/^multipart\/mixed/i.test(partType)) return parseBatchResponse(partType, content);
    return [{ ...parseHttpResponse(content), contentId: headers['content-id'] }];
  });
}

function boundaryOf(contentType: string): string | undefined {
  return /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType)?.slice(1).find(Boolean);
}

function splitParts(body: string, boundary: string): string[] {
  const parts: string[] = [];
  let current: string[] | undefined; // undefined in the preamble
  for (const line of body.split(LINE_BREAK)) {
    const delimiter = line.trimEnd();
    if (delimiter === `--${boundary}` || delimiter === `--${boundary}--`) {
      if (current) parts.push(current.join('\n'));
      if (delimiter === `--${boundary}--`) return parts;
      current = [];
    } else {
      current?.push(line);
    }
  }
  if (current) parts.push(current.join('\n'));
  return parts;
}

/** Headers up to the first empty line (names lower-cased), then the rest. */
function splitHeaders(text: string): { headers: Record<string, string>; content: string } {
  const lines = text.split(LINE_BREAK);
  const headers: Record<string, string> = {};
  let index = 0;
  for (; index < lines.length; index++) {
    const line = lines[index] ?? '';
    if (line.trim() === '') {
      index++;
      break;
    }
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { headers, content: lines.slice(index).join('\n') };
}

function parseHttpResponse(content: string): Omit<BatchPartResponse, 'contentId'> {
  const lines = content.split(LINE_BREAK);
  const first = lines.findIndex((line) => line.trim() !== '');
  const status = /^HTTP\/\d(?:\.\d)?\s+(\d{3})/.exec(lines[first] ?? '')?.[1];
  if (!status) throw new SyntaxError(`batch part without an HTTP status line: ${lines[first] ?? ''}`);
  const { headers, content: body } = splitHeaders(lines.slice(first + 1).join('\n'));
  return { status: Number(status), headers, body: body.trim() };
}
