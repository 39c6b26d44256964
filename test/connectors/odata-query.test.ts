import { buildBatchRequest } from '../../connectors/odata/batch-request';
import { parseBatchResponse } from '../../connectors/odata/batch-response';
import { and, eq, ge, not, or } from '../../connectors/odata/filter';
import { keySegment } from '../../connectors/odata/keys';
import { enumMember, guid, literal } from '../../connectors/odata/literals';
import { queryString } from '../../connectors/odata/query-options';
import { NoYes } from '../../connectors/entities/finance';

describe('OData query building', () => {
  it('writes literals of every type', () => {
    expect(literal("it's")).toBe("'it''s'");
    expect(literal(12.5)).toBe('12.5');
    expect(literal(false)).toBe('false');
    expect(literal(null)).toBe('null');
    expect(literal(new Date('2026-11-25T22:00:00Z'))).toBe('2026-11-25T22:00:00.000Z');
    expect(literal(guid('5A1C3F4E-0B8A-EE11-8179-000D3A5B1C2D'))).toBe(
      '5A1C3F4E-0B8A-EE11-8179-000D3A5B1C2D',
    );
    expect(literal(enumMember(NoYes, 'Yes'))).toBe("Microsoft.Dynamics.DataEntities.NoYes'Yes'");
    expect(() => literal(Number.NaN)).toThrow(TypeError);
    expect(() => guid("1' or 1 eq 1")).toThrow(TypeError);
  });

  it('nests and/or/not with parentheses', () => {
    const filter = and(or(eq('a', 1), eq('b', 'x')), not(ge('c', 2)));
    expect(filter.expression).toBe("((a eq 1) or (b eq 'x')) and (not (c ge 2))");
    expect(and(eq('a', 1)).expression).toBe('a eq 1');
  });

  it('rejects property names that could change the expression', () => {
    expect(() => eq("name eq 'x' or 1", 1)).toThrow(TypeError);
    expect(() => queryString({ select: ['name,secret'] })).toThrow(TypeError);
    expect(() => queryString({ orderBy: ['name desc'] })).toThrow(TypeError);
  });

  it('builds select, filter, expand, orderby and top with $ kept and values encoded', () => {
    const query = queryString({
      select: ['msdyn_name', 'msdyn_systemstatus'],
      filter: eq('msdyn_name', 'a b&c=d'),
      expand: [{ navigation: 'msdyn_serviceaccount', select: ['accountnumber'], filter: eq('name', 'x') }],
      orderBy: [{ property: 'modifiedon', descending: true }, 'msdyn_name'],
      top: 5,
    });
    expect(query).toBe(
      '?$select=msdyn_name%2Cmsdyn_systemstatus' +
        "&$filter=msdyn_name%20eq%20'a%20b%26c%3Dd'" +
        "&$expand=msdyn_serviceaccount(%24select%3Daccountnumber%3B%24filter%3Dname%20eq%20'x')" +
        '&$orderby=modifiedon%20desc%2Cmsdyn_name' +
        '&$top=5',
    );
    expect(queryString({})).toBe('');
    expect(() => queryString({ top: 0 })).toThrow(TypeError);
  });

  it('builds key segments for primary, alternate and composite keys', () => {
    expect(keySegment(guid('5a1c3f4e-0b8a-ee11-8179-000d3a5b1c2d'))).toBe(
      '(5a1c3f4e-0b8a-ee11-8179-000d3a5b1c2d)',
    );
    expect(keySegment({ dataAreaId: 'usmf', LineNumber: 2, SalesOrderNumber: "O'1/ü" })).toBe(
      "(dataAreaId='usmf',LineNumber=2,SalesOrderNumber='O''1%2F%C3%BC')",
    );
  });
});

describe('$batch multipart', () => {
  it('parses change sets with LF line endings and a quoted boundary, in order', () => {
    const body = [
      '--batchresponse_1',
      'Content-Type: multipart/mixed; boundary=changesetresponse_2',
      '',
      '--changesetresponse_2',
      'Content-Type: application/http',
      'Content-Transfer-Encoding: binary',
      'Content-ID: 1',
      '',
      'HTTP/1.1 201 Created',
      'Content-Type: application/json; odata.metadata=minimal',
      'ETag: W/"JzEsMSc="',
      '',
      '{"CustomerGroupId":"90"}',
      '--changesetresponse_2--',
      '--batchresponse_1',
      'Content-Type: application/http',
      'Content-Transfer-Encoding: binary',
      '',
      'HTTP/1.1 204 No Content',
      'OData-Version: 4.0',
      '',
      '',
      '--batchresponse_1--',
      '',
    ].join('\n');
    expect(parseBatchResponse('multipart/mixed; boundary="batchresponse_1"', body)).toEqual([
      {
        contentId: '1',
        status: 201,
        headers: { 'content-type': 'application/json; odata.metadata=minimal', etag: 'W/"JzEsMSc="' },
        body: '{"CustomerGroupId":"90"}',
      },
      { contentId: undefined, status: 204, headers: { 'odata-version': '4.0' }, body: '' },
    ]);
    expect(() => parseBatchResponse('application/json', body)).toThrow(SyntaxError);
  });

  it('numbers operations across change sets, with absolute URLs and $n references', () => {
    const root = new URL('https://contoso.crm.dynamics.com/api/data/v9.2/');
    const request = buildBatchRequest(root, [
      [{ method: 'POST', path: 'accounts', body: { name: 'A' } }],
      [
        { method: 'DELETE', path: 'accounts(5a1c3f4e-0b8a-ee11-8179-000d3a5b1c2d)' },
        { method: 'PATCH', path: '$1', body: { name: 'B' } },
      ],
    ]);
    expect([...request.operations.keys()]).toEqual(['1', '2', '3']);
    expect(request.body).toContain(
      'POST https://contoso.crm.dynamics.com/api/data/v9.2/accounts HTTP/1.1\r\n',
    );
    expect(request.body).toContain('PATCH $1 HTTP/1.1\r\n');
    expect(request.body.match(/--changeset_[\w-]+--/g)).toHaveLength(2);
    expect(() => buildBatchRequest(root, [[]])).toThrow(TypeError);
  });
});
