import { Controller, Get, Header, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { VerifyLedgerUseCase } from '@tongban/cases';
import { RUNTIME, Runtime } from '@tongban/runtime';
import type { FastifyReply } from 'fastify';

/** Liveness, readiness and Prometheus metrics, on the operations port (no client certificate). */
@ApiTags('operations')
@Controller()
export class OpsController {
  constructor(
    @Inject(RUNTIME) private readonly runtime: Runtime,
    private readonly verifyLedger: VerifyLedgerUseCase,
  ) {}

  @Get('health/live')
  @ApiOperation({ summary: 'The process is up' })
  live() {
    return { status: 'up' };
  }

  @Get('health/ready')
  @ApiOperation({ summary: 'Database and broker reachable (503 otherwise)' })
  async ready(@Res({ passthrough: true }) reply: FastifyReply) {
    const database = await this.runtime.database.dataSource
      .query('SELECT 1')
      .then(() => ({ up: true, detail: this.runtime.database.description }))
      .catch((error: Error) => ({ up: false, detail: error.message }));
    const broker = await this.runtime.bus.health().catch((error: Error) => ({ up: false, detail: error.message }));
    const up = database.up && broker.up;
    reply.status(up ? 200 : 503);
    return { status: up ? 'up' : 'down', checks: { database, broker: { ...broker, kind: this.runtime.bus.kind } } };
  }

  @Get('ledger/verify')
  @ApiOperation({
    summary: 'Self-check of the exchange ledger: entries still hash to their leaves, leaves make the signed root, envelopes and receipts match (409 with the first divergence)',
  })
  async ledger(@Res({ passthrough: true }) reply: FastifyReply) {
    const result = await this.verifyLedger.execute();
    reply.status(result.ok ? 200 : 409);
    return result;
  }

  @Get('metrics')
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiOperation({ summary: 'Prometheus metrics' })
  metrics(): Promise<string> {
    return this.runtime.metrics.registry.metrics();
  }
}
