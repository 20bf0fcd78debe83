/**
 * Sign/decode/verify throughput of @tongban/envelope, outside jest (whose transform and
 * instrumentation would distort the numbers). Run from the repository root:
 *   npx swc libs/envelope --config-file .swcrc --out-dir dist/envelope-bench --strip-leading-paths
 *   node dist/envelope-bench/envelope/bench/envelope.bench.js [seconds per measurement, default 3]
 */
import { generateKeyPairSync } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import {
  KeyRing,
  MessageType,
  decodeEnvelope,
  signEnvelope,
  verifyEnvelope,
  type EnvelopeBody,
  type SignatureAlgorithm,
  type SigningKey,
} from '@tongban/envelope';

const SECONDS = Number(process.argv[2] ?? 3);

function body(i: number): EnvelopeBody {
  return {
    messageId: `0192f5c4-8e7a-7c3e-9b1d-${i.toString(16).padStart(12, '0')}`,
    caseNumber: `LH-2026-${i}`,
    collaborationId: 'XT-440303-440106-2026-0001',
    sender: '440303',
    recipient: '440106',
    messageType: MessageType.CASE_SUBMISSION,
    sentAt: '2026-03-02T09:15:00+08:00',
    // About 1 KB, like a case-submission with a few materials.
    payload: {
      caseType: '2',
      materials: Array.from({ length: 6 }, (_, n) => ({ code: `M00${n}`, name: '经营场所使用证明', form: 'COPY', count: 1, receivedAt: '2026-03-02T09:12:00+08:00' })),
    },
  };
}

async function rate(label: string, run: (i: number) => Promise<unknown>, concurrency: number): Promise<void> {
  for (let i = 0; i < 200; i++) await run(i); // warm-up: key import, JIT
  let done = 0;
  const end = performance.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) await run(done++);
    }),
  );
  console.log(`${label.padEnd(36)} ${Math.round(done / SECONDS).toString().padStart(7)} /s`);
}

async function main(): Promise<void> {
  for (const alg of ['ES256', 'EdDSA'] as SignatureAlgorithm[]) {
    const pair = alg === 'ES256' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('ed25519');
    const key: SigningKey = { kid: `bench-${alg}`, alg, privateJwk: pair.privateKey.export({ format: 'jwk' }) };
    const ring = new KeyRing([{ owner: '440303', jwks: { keys: [{ ...pair.publicKey.export({ format: 'jwk' }), kid: key.kid }] } }]);
    const contract = { id: 'case-submission', version: '1.0.0' };
    const samples = await Promise.all(Array.from({ length: 256 }, (_, i) => signEnvelope(body(i), key, contract)));
    for (const concurrency of [1, 32]) {
      await rate(`${alg} sign (concurrency ${concurrency})`, (i) => signEnvelope(body(i), key, contract), concurrency);
      await rate(`${alg} decode+verify (concurrency ${concurrency})`, (i) => verifyEnvelope(decodeEnvelope(samples[i % samples.length]), ring), concurrency);
    }
    await rate(`${alg} decode only`, async (i) => decodeEnvelope(samples[i % samples.length]), 1);
  }
}

void main();
