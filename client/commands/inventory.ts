import type { Client, WorkflowHandle } from '@temporalio/client';
import type { Command } from 'commander';
import type { InventoryDocumentKind } from '../../activities/inventory/contract';
import type { Config } from '../../config/config';
import { createConnectors } from '../../connectors';
import type { inventoryDocumentSync } from '../../workflows';
import * as messages from '../../workflows/inventory/messages';
import type { InventoryDocumentState } from '../../workflows/inventory/state';
import { compareInventory } from '../inventory-compare';
import { inventoryDocumentWorkflowId, startInventoryDocument } from '../starters/inventory';
import { INVENTORY_SYNCS, runSyncNow } from '../inventory-sync';
import { refusalReporter, registerDecisionCommands, withClient } from './command-support';

function describeDocument(state: InventoryDocumentState): string {
  const lines = [
    `Inventory ${state.kind} ${state.name} (${state.legalEntity})`,
    `  Stage:        ${state.stage}`,
    `  Waiting for:  ${state.waitingFor}`,
  ];
  if (state.journal) {
    lines.push(
      `  F&O journal:  ${state.journal.journalNumber}, ${state.journal.lineCount} lines, ` +
        (state.journal.posted ? 'posted' : 'not posted'),
    );
  }
  if (state.attention) {
    lines.push(
      `  Attention:    ${state.attention.reason} (in ${state.attention.stage} since ${state.attention.since})`,
    );
  }
  return lines.join('\n');
}

function registerDocumentCommands(parent: Command, kind: InventoryDocumentKind, loadConfig: () => Config) {
  const command = parent
    .command(kind)
    .description(`start, inspect and retry the workflows of Field Service inventory ${kind}s`);
  const reportRefusal = refusalReporter(kind, `fsfo inventory ${kind} start`);
  const handleOf = (client: Client, name: string): WorkflowHandle<typeof inventoryDocumentSync> =>
    client.workflow.getHandle(inventoryDocumentWorkflowId(kind, name));

  command
    .command('start <name>')
    .description(`start the ${kind}'s workflow, or tell the running one that it changed`)
    .action(
      withClient(loadConfig, async (client, config, name: string) => {
        await reportRefusal(name, async () => {
          const outcome = await startInventoryDocument(client, config, { kind, name });
          console.log(
            outcome === 'already-completed'
              ? `${kind} ${name} is already posted in F&O and recorded: its workflow completed, nothing started.`
              : `${kind} ${name}: workflow ${inventoryDocumentWorkflowId(kind, name)} started or signalled.`,
          );
        });
      }),
    );

  registerDecisionCommands(command, loadConfig, handleOf, messages, reportRefusal, {
    describe: describeDocument,
    descriptions: {
      status: `where the ${kind} is and what it waits for`,
      approve: `(not used: a Posted ${kind} needs no approval)`,
      reject: `(not used: a Posted ${kind} needs no approval)`,
      rejectReason: 'what must change in Field Service',
      retry: `retry the failed step of a ${kind} that needs attention, once its data is fixed`,
    },
    approved: (name) => `Approved ${kind} ${name}.`,
    rejected: (name) => `Rejected ${kind} ${name}.`,
    retrying: (name, state) => `Retrying ${kind} ${name}: ${state.stage} runs again.`,
    completed: (name, state) =>
      `${kind} ${name} is ${state.stage}: its workflow has completed, there is nothing to decide.`,
  });
}

export function registerInventoryCommands(program: Command, loadConfig: () => Config): void {
  const inventory = program
    .command('inventory')
    .description('warehouse stock: adjustments and transfers to F&O, on-hand from F&O, and the comparison');
  registerDocumentCommands(inventory, 'adjustment', loadConfig);
  registerDocumentCommands(inventory, 'transfer', loadConfig);

  inventory
    .command('compare')
    .description(
      'Field Service on-hand against F&O per product and warehouse: differences only (exit 1 if any)',
    )
    .action(async () => {
      const config = loadConfig();
      const { compared, differences } = await compareInventory(createConnectors(config));
      if (differences.length > 0) {
        console.log('warehouse  product          Field Service        F&O   difference');
        for (const { warehouse, item, fieldService, finance } of differences) {
          console.log(
            `${warehouse.padEnd(10)} ${item.padEnd(15)} ${String(fieldService).padStart(14)} ` +
              `${String(finance).padStart(10)} ${String(fieldService - finance).padStart(12)}`,
          );
        }
      }
      console.log(`${differences.length} of ${compared} levels differ`);
      if (differences.length > 0) process.exitCode = 1;
    });

  inventory
    .command('sync')
    .description('run the warehouses and on-hand syncs now (their schedules, see "fsfo schedules apply")')
    .action(
      withClient(loadConfig, async (client) => {
        for (const sync of INVENTORY_SYNCS) {
          const result = await runSyncNow(client, sync, {
            tick: (seconds) => {
              if (process.stdout.isTTY)
                process.stdout.write(`\r${sync}: ${'#'.repeat(seconds % 40).padEnd(40, '.')} ${seconds} s`);
            },
          });
          if (process.stdout.isTTY) process.stdout.write('\r\x1b[K');
          console.log(
            `${sync}: ${result.created} created, ${result.updated} updated, ${result.unchanged} unchanged, ` +
              `${result.failed.length} failed`,
          );
          for (const failure of result.failed) console.log(`  ${failure.key}: ${failure.reason}`);
        }
      }),
    );
}
