import { Command, Option } from 'commander';
import { listContracts } from '../../catalogue';
import type { CliIo } from '../io';

/** Plain-text table: columns padded by their widest cell (code points; CJK titles come last). */
function table(rows: string[][]): string {
  const widths = rows[0].map((_, col) => Math.max(...rows.map((row) => [...row[col]].length)));
  return rows.map((row) => row.map((cell, col) => (col === row.length - 1 ? cell : cell.padEnd(widths[col]))).join('  ')).join('\n');
}

export function registerListCommand(program: Command, io: CliIo): void {
  program
    .command('list')
    .summary('print the catalogue: contract ids, message types, versions, titles')
    .description('Print every contract this package knows: id, message type, versions (oldest first) and title of the newest version.')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['human', 'json']).default('human'))
    .action((options: { format: 'human' | 'json' }) => {
      const contracts = listContracts();
      if (options.format === 'json') {
        const rows = contracts.map(({ id, messageType, versions }) => ({
          id,
          messageType,
          versions: versions.map((v) => v.version),
          title: versions[versions.length - 1]?.title ?? null,
        }));
        io.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
        return;
      }
      const rows = [['ID', 'MESSAGE TYPE', 'VERSIONS', 'TITLE']];
      for (const { id, messageType, versions } of contracts) {
        rows.push([id, messageType, versions.map((v) => v.version).join(', '), versions[versions.length - 1]?.title ?? '']);
      }
      io.stdout.write(`${table(rows)}\n`);
    });
}
