import { Command, InvalidArgumentError, Option } from 'commander';
import { LedgerMode, ledgerOption } from '../bench/ledger';
import { runBench } from '../bench/run-bench';

const DEFAULT_POSTGRES_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const DEFAULT_AMQP_URL = 'amqp://guest:guest@127.0.0.1:5672';

function positive(what: string, { integer = true, allowZero = false } = {}) {
  return (raw: string): number => {
    const n = Number(raw);
    if (!Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < 0 || (!allowZero && n === 0)) {
      throw new InvalidArgumentError(`${what} must be a ${integer ? 'whole ' : ''}number ${allowZero ? '>= 0' : '> 0'}`);
    }
    return n;
  };
}

/**
 * `tongban bench`: end-to-end hand-offs per second through the real mutual-TLS partner API on real
 * PostgreSQL and RabbitMQ, then the same work as a bare pipeline, and their ratio. The last line of
 * stdout is one JSON object; progress goes to stderr.
 */
export function registerBenchCommand(program: Command): void {
  program
    .command('bench')
    .description(
      'Benchmark hand-offs end to end (submit over mutual TLS -> PostgreSQL -> RabbitMQ -> worker -> recipient pull) against a bare pipeline. ' +
        'Uses DATABASE_URL (an admin URL: the bench creates and drops its own database) and AMQP_URL (its own queue prefix, deleted afterwards). ' +
        'The last line of stdout is a JSON summary.',
    )
    .option('--duration <s>', 'measured seconds of each phase', positive('--duration', { integer: false }), 20)
    .option('--warmup <s>', 'unmeasured seconds before each phase', positive('--warmup', { integer: false, allowZero: true }), 3)
    .option('--concurrency <n>', 'submissions in flight', positive('--concurrency'), 64)
    .option('--districts <n>', 'districts that send to each other (at least 2; agreements decide the directions)', positive('--districts'), 4)
    .option('--skip-bare', 'measure the gateway only', false)
    .addOption(
      new Option('--topology <kind>', 'processes: gateway and worker as child processes (production layout); in-process: everything in the bench process')
        .choices(['processes', 'in-process'])
        .default('processes'),
    )
    .option('--drain <s>', 'longest wait after the load for accepted messages to be delivered', positive('--drain', { integer: false, allowZero: true }), 30)
    .option('--pull-limit <n>', 'inbox page size of a recipient pull (the API allows up to 500)', positive('--pull-limit'), 500)
    .option('--idle-poll <ms>', 'pause of a recipient after an empty inbox page', positive('--idle-poll', { allowZero: true }), 10)
    .addOption(ledgerOption())
    .option('--pki-dir <dir>', 'use this development PKI instead of issuing a temporary one')
    .option('--profile <dir>', 'write `node --cpu-prof` profiles of the gateway and worker processes here')
    .action(
      async (opts: {
        duration: number;
        warmup: number;
        concurrency: number;
        districts: number;
        skipBare: boolean;
        topology: 'processes' | 'in-process';
        drain: number;
        pullLimit: number;
        idlePoll: number;
        ledger: LedgerMode;
        pkiDir?: string;
        profile?: string;
      }) => {
        if (opts.districts < 2) throw new InvalidArgumentError('--districts must be at least 2');
        if (opts.profile && opts.topology !== 'processes') throw new InvalidArgumentError('--profile needs --topology processes');
        const code = await runBench({
          durationS: opts.duration,
          warmupS: opts.warmup,
          concurrency: opts.concurrency,
          districts: opts.districts,
          skipBare: opts.skipBare,
          topology: opts.topology,
          drainS: opts.drain,
          pullLimit: Math.min(opts.pullLimit, 500),
          idlePollMs: opts.idlePoll,
          ledger: opts.ledger,
          postgresAdminUrl: process.env.DATABASE_URL || DEFAULT_POSTGRES_ADMIN_URL,
          amqpUrl: process.env.AMQP_URL || DEFAULT_AMQP_URL,
          pkiDir: opts.pkiDir,
          profileDir: opts.profile,
        });
        // Everything the bench opened is closed by now; exit explicitly so a stray handle in a
        // library cannot keep a finished benchmark alive. Flush stdout (the JSON line) first.
        await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
        process.exit(code);
      },
    );
}
