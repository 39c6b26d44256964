import { ODataQueryError } from '../odata/query-error';

/**
 * Builds the `$skiptoken` of the next page the way Dataverse does: an XML paging cookie. Clients must treat it
 * as opaque; only the page number is read back.
 */
export function pagingCookie(nextPage: number, primaryKey: string, firstId: string, lastId: string): string {
  const inner = `<cookie page="${nextPage - 1}"><${primaryKey} last="{${lastId.toUpperCase()}}" first="{${firstId.toUpperCase()}}" /></cookie>`;
  return `<cookie pagenumber="${nextPage}" pagingcookie="${encodeURIComponent(inner)}" istracking="False" />`;
}

export function pageNumberOf(skipToken: string | undefined): number {
  if (skipToken === undefined) return 1;
  const match = /^<cookie pagenumber="(\d+)" pagingcookie="[^"]*" istracking="False" \/>$/.exec(skipToken);
  if (!match || Number(match[1]) < 1)
    throw new ODataQueryError('The $skiptoken value is not a valid paging cookie.');
  return Number(match[1]);
}
