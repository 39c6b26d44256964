/** The parts of a `Prefer` header the sandboxes honour. */
export interface Preferences {
  returnRepresentation: boolean;
  returnMinimal: boolean;
  maxPageSize?: number;
  continueOnError: boolean;
  /** The `odata.include-annotations` list, e.g. `["*"]` or `["OData.Community.Display.V1.FormattedValue"]`. */
  includeAnnotations: string[];
}

export function parsePrefer(value: string | undefined): Preferences {
  const preferences: Preferences = {
    returnRepresentation: false,
    returnMinimal: false,
    continueOnError: false,
    includeAnnotations: [],
  };
  for (const raw of splitOutsideQuotes(value ?? '')) {
    const [name, ...rest] = raw.trim().split('=');
    const argument = rest.join('=').trim().replace(/^"|"$/g, '');
    switch (name.trim().toLowerCase()) {
      case 'return':
        preferences.returnRepresentation = argument === 'representation';
        preferences.returnMinimal = argument === 'minimal';
        break;
      case 'odata.maxpagesize':
        if (/^\d+$/.test(argument) && Number(argument) > 0) preferences.maxPageSize = Number(argument);
        break;
      case 'odata.continue-on-error':
        preferences.continueOnError = true;
        break;
      case 'odata.include-annotations':
        preferences.includeAnnotations = argument.split(/\s*,\s*/).filter(Boolean);
        break;
    }
  }
  return preferences;
}

/** Whether an annotation term is asked for: `*`, an exact term, or a `prefix*` wildcard. */
export function wantsAnnotation(preferences: Preferences, term: string): boolean {
  return preferences.includeAnnotations.some((pattern) =>
    pattern.endsWith('*') ? term.startsWith(pattern.slice(0, -1)) : pattern === term,
  );
}

function splitOutsideQuotes(text: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    if (char === ',' && !quoted) {
      parts.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  parts.push(current);
  return parts;
}
