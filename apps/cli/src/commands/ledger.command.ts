import { BundleFormatError, verifyBundle } from '@tongban/ledger';
import { SingleBar } from 'cli-progress';
import { Command } from 'commander';
import { readFileSync, writeFileSync } from 'node:fs';
import { partnerClientFor } from './client';
import { verifyArchiveChain } from './ledger-archive.verifier';

/** Exit codes of `ledger verify`: what an auditor's script branches on. */
export const VERIFY_EXIT = { VERIFIED: 0, FAILED: 1, UNUSABLE: 2 } as const;

/** `tongban ledger …`: the auditor's tools. `verify` needs nothing but the bundle file. */
export function registerLedgerCommand(program: Command): void {
  const ledger = program.command('ledger').description('The exchange ledger: verify evidence bundles offline, fetch them from a gateway');

  ledger
    .command('verify')
    .description(
      'Verify an evidence bundle offline: recompute the Merkle tree (RFC 9162), check every checkpoint signature and co-signature, ' +
        'every inclusion and consistency proof, every envelope signature and digest, every receipt. Exit 0 verified, 1 failed, 2 unusable input.',
    )
    .argument('<bundle>', 'evidence bundle file (JSON, format tongban-evidence-bundle/1)')
    .option('--json', 'print the verdict as JSON instead of text')
    .option('--no-progress', 'no progress bar (it is drawn on stderr when stderr is a terminal)')
    .action(async (file: string, opts: { json?: boolean; progress: boolean }) => {
      process.exitCode = await verifyFile(file, opts);
    });

  ledger
    .command('verify-archive')
    .description('Verify a chain of ledger archive files (oldest first): digests chain, leaves are consecutive and rebuild each signed checkpoint. Exit 0 verified, 1 failed, 2 unusable input.')
    .argument('<files...>', 'archive files, oldest first (var/ledger-archive/ledger-*.jsonl)')
    .action(async (files: string[]) => {
      let contents;
      try {
        contents = files.map((name) => ({ name, content: readFileSync(name) }));
      } catch (error) {
        console.error(`Cannot read: ${(error as Error).message}`);
        process.exitCode = VERIFY_EXIT.UNUSABLE;
        return;
      }
      const verdict = await verifyArchiveChain(contents);
      console.log(verdict.ok ? `VERIFIED ${verdict.files} archive file(s), ${verdict.entries} entries` : `FAILED ${verdict.failure}`);
      process.exitCode = verdict.ok ? VERIFY_EXIT.VERIFIED : VERIFY_EXIT.FAILED;
    });

  ledger
    .command('bundle')
    .description('Download an evidence bundle from a gateway with an auditor certificate (mutual TLS)')
    .option('--gateway <url>', 'partner API base URL', 'https://127.0.0.1:8443')
    .option('--auditor <name>', 'auditor whose development certificate (var/pki/auditors/<name>) to use', 'auditor')
    .option('--case <caseNumber>', 'one case')
    .option('--district <id>', 'one district')
    .option('--from <time>', 'entries at or after this RFC 3339 time')
    .option('--to <time>', 'entries before this RFC 3339 time')
    .option('--out <file>', 'where to write the bundle', 'evidence.json')
    .action(async (opts: { gateway: string; auditor: string; case?: string; district?: string; from?: string; to?: string; out: string }) => {
      const client = partnerClientFor({ gateway: opts.gateway, auditor: opts.auditor });
      const query = new URLSearchParams();
      if (opts.case) query.set('caseNumber', opts.case);
      if (opts.district) query.set('district', opts.district);
      if (opts.from) query.set('from', opts.from);
      if (opts.to) query.set('to', opts.to);
      const response = await client.get(`/v1/audit/bundle?${query}`);
      if (response.status !== 200) {
        console.error(`The gateway refused (${response.status}): ${JSON.stringify(response.body)}`);
        process.exitCode = 1;
        return;
      }
      writeFileSync(opts.out, JSON.stringify(response.body));
      const bundle = response.body as { entries: unknown[]; envelopes: unknown[] };
      console.error(`wrote ${opts.out}: ${bundle.entries.length} entries, ${bundle.envelopes.length} envelopes. Verify with: tongban ledger verify ${opts.out}`);
    });
}

export async function verifyFile(file: string, opts: { json?: boolean; progress: boolean }): Promise<number> {
  let bundle: unknown;
  try {
    bundle = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    console.error(`Cannot read ${file} as JSON: ${(error as Error).message}`);
    return VERIFY_EXIT.UNUSABLE;
  }
  const bar = opts.progress && process.stderr.isTTY ? new SingleBar({ stream: process.stderr, format: 'verifying [{bar}] {percentage}% {value}/{total} entries {eta}s left', hideCursor: true }) : undefined;
  let started = false;
  try {
    const verdict = await verifyBundle(bundle, {
      onProgress: (done, total) => {
        if (!bar) return;
        if (!started) bar.start(total, 0);
        started = true;
        bar.update(done);
      },
    });
    bar?.stop();
    if (opts.json) console.log(JSON.stringify(verdict, null, 2));
    else if (verdict.ok) console.log(`VERIFIED ${file}: ${describeStats(verdict.stats)}`);
    else {
      const f = verdict.failure;
      const where = [f.entryIndex !== undefined ? `entry ${f.entryIndex}` : '', f.entryId ? `(${f.entryId})` : '', f.messageId ? `message ${f.messageId}` : ''].filter(Boolean).join(' ');
      console.log(`FAILED ${file}: ${f.code}${where ? ` at ${where}` : ''}\n  ${f.reason}`);
    }
    return verdict.ok ? VERIFY_EXIT.VERIFIED : VERIFY_EXIT.FAILED;
  } catch (error) {
    bar?.stop();
    if (error instanceof BundleFormatError) {
      console.error(`UNUSABLE ${file}: ${error.message}`);
      return VERIFY_EXIT.UNUSABLE;
    }
    throw error;
  }
}

function describeStats(stats: Record<string, number>): string {
  const { treeSize, ...counts } = stats;
  return `tree size ${treeSize}; checked ${Object.entries(counts)
    .map(([k, v]) => `${v} ${k.replace(/[A-Z]/g, (c) => ` ${c.toLowerCase()}`)}`)
    .join(', ')}`;
}
