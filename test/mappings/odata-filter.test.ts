import { evaluateFilter, filterFields, parseFilter } from '../../mappings/engine/odata-filter';

const matches = (filter: string, record: Record<string, unknown>) =>
  evaluateFilter(parseFilter(filter), record);

describe('OData filter evaluation', () => {
  test('and binds tighter than or; parentheses group', () => {
    expect(matches('a eq 1 or b eq 1 and c eq 1', { a: 1, b: 0, c: 0 })).toBe(true);
    expect(matches('(a eq 1 or b eq 1) and c eq 1', { a: 1, b: 0, c: 0 })).toBe(false);
  });

  test('a missing column is null, as on the server', () => {
    expect(matches('(msdyn_allocated ne true)', {})).toBe(true);
    expect(matches('(msdyn_allocated eq true)', {})).toBe(false);
    expect(matches('x eq null', { x: null })).toBe(true);
  });

  test('numbers, text with escaped quotes, not, and ordering operators', () => {
    expect(matches("name eq 'O''Brien'", { name: "O'Brien" })).toBe(true);
    expect(matches('not (qty gt 5)', { qty: 6 })).toBe(false);
    expect(matches('qty ge 5 and qty le 5 and qty lt 6', { qty: 5 })).toBe(true);
    expect(matches('qty gt 5', { qty: '6' })).toBe(false);
  });

  test('F&O enum literals compare by member name', () => {
    const filter =
      "ProjectType eq Microsoft.Dynamics.DataEntities.ProjType'TimeMaterial' and ProjectStage eq Microsoft.Dynamics.DataEntities.ProjStatus'InProcess'";
    expect(matches(filter, { ProjectType: 'TimeMaterial', ProjectStage: 'InProcess' })).toBe(true);
    expect(matches(filter, { ProjectType: 'FixedPrice', ProjectStage: 'InProcess' })).toBe(false);
  });

  test('lists the columns a filter reads', () => {
    expect(filterFields(parseFilter('(a eq 1) and ((b ne 2) or (a eq 3))'))).toEqual(['a', 'b']);
  });

  test.each([
    ['a eq', 'expected a number, text, true, false or null at character 5'],
    ['a has 1', 'expected eq, ne, gt, ge, lt or le at character 3'],
    ['(a eq 1', 'expected ) at character 8'],
    ['a eq 1 b', 'unexpected text at character 8'],
    ["a eq 'open", 'unexpected text at character 6'],
  ])('rejects %p', (filter, message) => {
    expect(() => parseFilter(filter)).toThrow(message);
  });
});
