import { entitySetOf } from '../../connectors/http/entity-set';

const root = new URL('https://contoso.operations.dynamics.com/data/');
const at = (path: string) => entitySetOf(new URL(path, root), root);

test("a span's entity set is the path's first segment without key or query values", () => {
  expect(at('$batch')).toBe('$batch');
  expect(at("SalesOrderHeadersV2(dataAreaId='usmf',SalesOrderNumber='WO-00042')")).toBe(
    'SalesOrderHeadersV2',
  );
  expect(at("CustomersV3?$filter=CustomerAccount eq 'C-1'&cross-company=true")).toBe('CustomersV3');
  expect(at('SalesOrderHeadersV2/$count')).toBe('SalesOrderHeadersV2');
  expect(at('')).toBe('other');
  expect(at("'quoted value'")).toBe('other');
});
