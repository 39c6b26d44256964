/**
 * The request URL with some query options replaced, keeping the client's own encoding of the others and
 * writing `$` literally, as the services do in `@odata.nextLink`.
 */
export function nextLink(serviceBase: string, url: URL, replace: Record<string, string>): string {
  const names = new Set(Object.keys(replace));
  const kept = url.search
    .replace(/^\?/, '')
    .split('&')
    .filter((pair) => pair !== '' && !names.has(decodeName(pair.split('=')[0])));
  const added = Object.entries(replace).map(([name, value]) => `${name}=${encodeURIComponent(value)}`);
  return `${serviceBase}${url.pathname}?${[...kept, ...added].join('&')}`;
}

function decodeName(name: string): string {
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}
