import path from 'node:path';
import { registerMappingCommands } from '../../client/commands/mapping';
import { loadConfig } from '../../config/config';
import { runCli } from '../support/cli';

const fixture = (...names: string[]) =>
  path.relative(process.cwd(), path.join(__dirname, 'fixtures', ...names));

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Runs `fsfo mapping ...` in process; the mapping commands read no configuration. */
const run = (...args: string[]) => runCli(registerMappingCommands, loadConfig({}), 'mapping', args);

describe('fsfo mapping', () => {
  test('validate accepts a valid project and says what it holds', async () => {
    const file = fixture('contoso.yaml');
    const result = await run('validate', file);
    expect(result).toEqual({
      stdout: `${file}: valid mapping project "contoso", 26 tasks, 188 field maps`,
      stderr: '',
      exitCode: undefined,
    });
  });

  test('validate refuses an invalid project with exit code 2, naming file, path and field', async () => {
    const file = fixture('invalid', 'unknown-field.yaml');
    const result = await run('validate', file);
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(
      `${file}:6: fieldMaps.WorkOrderHeader[0].source [field new_customerpo]: unknown field: msdyn_workorders has no field new_customerpo`,
    );
  });

  test('validate refuses an added entity task the worker could not run', async () => {
    const file = fixture('invalid', 'added-tasks.yaml');
    const result = await run('validate', file);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(
      `${file}:42: tasks[4].destination: an added entity task runs as a record sync, and the connectors have no schema for the Field Service (Dataverse) entity set new_equipments`,
    );
  });

  test('show prints the effective mapping, customizations and their files included', async () => {
    const file = fixture('contoso.yaml');
    const { stdout, exitCode } = await run('show', file);
    expect(exitCode).toBeUndefined();
    expect(stdout).toContain(
      'Task WorkOrderHeader: msdyn_workorders → CDSSalesOrderHeaders (fieldServiceToFinance)',
    );
    expect(stdout).toContain(
      'Filter: (msdyn_systemstatus ne 690970005) and (msdyn_systemstatus ne 690970000) and (msdynce_hasexternallymaintainedproductsonly eq true)',
    );
    expect(stdout).toMatch(
      new RegExp(
        `CustomerRequisitionNumber +new_customerpo +${escape(file)}:fieldMaps\\.WorkOrderHeader\\[0\\]`,
      ),
    );
    expect(stdout).toMatch(/CustomerGroupId +default "20" /);
    expect(stdout).toMatch(new RegExp(`msdyn_workorders\\.new_customerpo +string +${escape(file)}`));
    expect(stdout).toContain(
      'Task Customers - Accounts: CustomersV3 → accounts (financeToFieldService), key accountnumber',
    );
    expect(stdout).toMatch(/LineCreationSequenceNumber +msdyn_lineorder +negate +INF /);
  });

  test('show takes a template name', async () => {
    const { stdout } = await run('show', 'agreement-invoices-to-free-text-invoices');
    expect(stdout).toMatch(/^Mapping project agreement-invoices-to-free-text-invoices \(Agreement invoices/);
    expect(stdout).toMatch(/MainAccountDisplayValue +default "401100" /);
  });
});
