import { LineCounter, parseDocument } from 'yaml';
import { formatPath } from '../../mappings/project/errors';
import { lineOf, parsePath } from '../../mappings/project/locate';

test('parsePath reads back what formatPath writes', () => {
  const segments = ['fieldMaps', 'Accounts - Customers', 0, 'valueMap', '690970000', 'x"y'];
  expect(parsePath(formatPath(segments))).toEqual(segments);
});

test('lineOf finds keys and list items, through aliases, and stops at the deepest existing part', () => {
  const lines = new LineCounter();
  const document = parseDocument(
    [
      'tasks:', //                       1
      '  - name: A', //                  2
      '    fieldMaps:', //               3
      '      - &number', //              4
      '        target: SalesOrderNumber', // 5
      '        source: msdyn_name', //   6
      '  - name: B', //                  7
      '    fieldMaps:', //               8
      '      - *number', //              9
    ].join('\n'),
    { lineCounter: lines },
  );
  expect(lineOf(document, lines, 'tasks[0].fieldMaps[0].source')).toBe(6);
  expect(lineOf(document, lines, 'tasks[1].name')).toBe(7);
  expect(lineOf(document, lines, 'tasks[1].fieldMaps[0].source')).toBe(6);
  expect(lineOf(document, lines, 'tasks[1].fieldMaps[0].valueMap')).toBe(5);
  expect(lineOf(document, lines, 'tasks[5]')).toBe(1);
});
