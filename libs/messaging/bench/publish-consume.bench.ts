/**
 * Confirmed-publish and consume rates of AmqpMessageBus against a real RabbitMQ.
 *
 *   npx swc libs/messaging --config-file .swcrc -d /tmp/mb --quiet
 *   node /tmp/mb/bench/publish-consume.bench.js [amqp-url] [messages] [batch] [prefetch]
 *
 * Declares its own prefixed topology and deletes it afterwards.
 */
import { randomBytes } from 'node:crypto';
import * as amqp from 'amqplib';
import { AmqpMessageBus } from '../src/amqp.message-bus';
import { amqpTopology } from '../src/amqp.topology';
import type { BusMessage } from '../src/message-bus.port';

async function main(): Promise<void> {
  const [url = 'amqp://guest:guest@127.0.0.1:5672', countArg = '10000', batchArg = '1000', prefetchArg = '200'] = process.argv.slice(2);
  const count = Number(countArg);
  const batchSize = Number(batchArg);
  const prefetch = Number(prefetchArg);
  const districtIds = ['d1', 'd2', 'd3'];
  const prefix = `tbbench.${randomBytes(4).toString('hex')}`;
  const topologyOpts = { deliveryLimit: 5, backoffSeconds: [1, 10] };
  const quiet = { info: () => undefined, warn: (o: object, m: string) => console.warn(m, o), error: (o: object, m: string) => console.error(m, o) };
  const bus = new AmqpMessageBus({ url, prefix, districtIds, prefetch, maxAttempts: 3, ...topologyOpts, logger: quiet });
  await bus.start();

  // ~1 KB, the size of a compact JWS carrying a small case message.
  const body = Buffer.from(randomBytes(760).toString('base64url'));
  const messages: BusMessage[] = Array.from({ length: count }, (_, i) => ({
    messageId: `bench-${i}`,
    recipient: districtIds[i % districtIds.length],
    type: 'case.submission',
    body,
  }));

  try {
    let t0 = process.hrtime.bigint();
    for (let i = 0; i < count; i += batchSize) await bus.publish(messages.slice(i, i + batchSize));
    const publishMs = Number(process.hrtime.bigint() - t0) / 1e6;
    console.log(`publish: ${count} confirmed in ${publishMs.toFixed(0)} ms = ${Math.round((count / publishMs) * 1000)} msg/s (batches of ${batchSize}, ~${body.length} B bodies)`);

    let consumed = 0;
    let resolveDone: () => void = () => undefined;
    const done = new Promise<void>((r) => (resolveDone = r));
    t0 = process.hrtime.bigint();
    await bus.consume(districtIds, async () => {
      if (++consumed === count) resolveDone();
    });
    await done;
    const consumeMs = Number(process.hrtime.bigint() - t0) / 1e6;
    console.log(`consume: ${count} acked in ${consumeMs.toFixed(0)} ms = ${Math.round((count / consumeMs) * 1000)} msg/s (prefetch ${prefetch} per district queue, no-op handler)`);

    // Both at once, as in the running system: relay publishing while the worker consumes.
    consumed = 0;
    const again = new Promise<void>((r) => (resolveDone = r));
    t0 = process.hrtime.bigint();
    for (let i = 0; i < count; i += batchSize) await bus.publish(messages.slice(i, i + batchSize));
    await again;
    const bothMs = Number(process.hrtime.bigint() - t0) / 1e6;
    console.log(`publish+consume concurrently: ${count} end to end in ${bothMs.toFixed(0)} ms = ${Math.round((count / bothMs) * 1000)} msg/s`);
  } finally {
    await bus.close();
    const t = amqpTopology(prefix, districtIds, topologyOpts);
    const conn = await amqp.connect(url);
    const ch = await conn.createChannel();
    for (const q of t.queues) await ch.deleteQueue(q.name);
    for (const e of t.exchanges) await ch.deleteExchange(e.name);
    await conn.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
