import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { PartnerApiModule, buildOpenApi } from '@tongban/app-gateway';
import { loadConfig } from '@tongban/config';
import { createRuntime } from '@tongban/runtime';
import { Command } from 'commander';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDevelopmentPki } from './dev-pki';

/** Writes the partner API's OpenAPI document (docs/openapi.json is committed; a test checks it is current). */
export function registerOpenApiCommand(program: Command): void {
  program
    .command('openapi')
    .description('Write the partner API OpenAPI document')
    .option('--out <file>', 'output file', 'docs/openapi.json')
    .action(async (opts: { out: string }) => {
      const dataDir = mkdtempSync(join(tmpdir(), 'tongban-openapi-'));
      const config = loadConfig({ env: { ...process.env, DATABASE_URL: undefined, AMQP_URL: undefined, DATA_DIR: dataDir } });
      await ensureDevelopmentPki(config, () => undefined);
      const runtime = await createRuntime(config, { rootDir: process.cwd(), logger: undefined });
      try {
        writeFileSync(opts.out, `${JSON.stringify(await openApiDocument(runtime), null, 2)}\n`);
        console.error(`wrote ${opts.out}`);
      } finally {
        await runtime.close();
        rmSync(dataDir, { recursive: true, force: true });
      }
    });
}

export async function openApiDocument(runtime: Parameters<typeof PartnerApiModule.forRoot>[0]): Promise<object> {
  const app = await NestFactory.create(PartnerApiModule.forRoot(runtime), new FastifyAdapter(), { logger: false });
  await app.init();
  const document = buildOpenApi(app);
  await app.close();
  return document;
}
