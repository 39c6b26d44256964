import type { Document, LineCounter, Node } from 'yaml';
import { isAlias, isMap, isScalar, isSeq } from 'yaml';

/** `fieldMaps["A b"][0].source` → `['fieldMaps', 'A b', 0, 'source']` (the inverse of `formatPath`). */
export function parsePath(path: string): (string | number)[] {
  const segments: (string | number)[] = [];
  for (const [, name, index, quoted] of path.matchAll(
    /\.?([A-Za-z_]\w*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/g,
  )) {
    if (name !== undefined) segments.push(name);
    else if (index !== undefined) segments.push(Number(index));
    else segments.push(JSON.parse(quoted) as string);
  }
  return segments;
}

/**
 * The line a path leads to in a parsed YAML or JSON file: a mapping key's line, or a list item's,
 * following aliases. When the path goes further than the file (e.g. a missing key), the line of the
 * deepest part that exists.
 */
export function lineOf(document: Document, lines: LineCounter, path: string): number | undefined {
  let node: unknown = document.contents;
  let location: Node | undefined;
  for (const segment of parsePath(path)) {
    if (isAlias(node)) node = node.resolve(document);
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => isScalar(item.key) && String(item.key.value) === String(segment),
      );
      if (!pair) break;
      location = pair.key as Node;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number' && segment < node.items.length) {
      node = node.items[segment];
      location = (isAlias(node) ? node.resolve(document) : node) as Node;
    } else break;
  }
  return location?.range ? lines.linePos(location.range[0]).line : undefined;
}
