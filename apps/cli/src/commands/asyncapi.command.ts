import { loadConfig } from '@tongban/config';
import { asyncApiFromDirectory, serializeAsyncApi } from '@tongban/contracts';
import { CONTRACT_ID_BY_TYPE } from '@tongban/envelope';
import { Command } from 'commander';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

const MESSAGE_TYPE_BY_CONTRACT = new Map(Object.entries(CONTRACT_ID_BY_TYPE).map(([type, id]) => [id, type]));

/**
 * The AsyncAPI 3.0 document of the hand-off, generated from contracts/ and the alliance's districts.
 * docs/asyncapi.json is committed; test/contracts/asyncapi.e2e-spec.ts checks it is current and
 * that @asyncapi/parser accepts it.
 */
export function asyncApiDocument(rootDir: string, districts: ReadonlyArray<{ id: string; name: string; nameEn?: string; push?: { url: string } }>): Record<string, unknown> {
  const { version } = JSON.parse(readFileSync(resolve(rootDir, 'package.json'), 'utf8')) as { version: string };
  return asyncApiFromDirectory(resolve(rootDir, 'contracts'), districts, {
    version,
    messageTypeOf: (contractId) => MESSAGE_TYPE_BY_CONTRACT.get(contractId),
  });
}

export function registerAsyncApiCommand(program: Command): void {
  program
    .command('asyncapi')
    .description('Write the AsyncAPI 3.0 document: channels (district queues, push webhooks) and one message per contract version')
    .option('--out <file>', 'output file', 'docs/asyncapi.json')
    .option('--check', 'write nothing; exit 1 if the file is not what would be written')
    .action((opts: { out: string; check?: boolean }) => {
      const rootDir = process.cwd();
      const text = serializeAsyncApi(asyncApiDocument(rootDir, loadConfig({ rootDir }).alliance.districts));
      if (opts.check) {
        const current = existsSync(opts.out) ? readFileSync(opts.out, 'utf8') : undefined;
        if (current !== text) {
          console.error(`${opts.out} is not current; regenerate it with \`npm run tongban -- asyncapi --out ${opts.out}\``);
          process.exitCode = 1;
          return;
        }
        console.error(`${opts.out} is current`);
        return;
      }
      writeFileSync(opts.out, text);
      console.error(`wrote ${opts.out}`);
    });
}
