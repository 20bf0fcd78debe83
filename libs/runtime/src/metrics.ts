import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The gateway's Prometheus metrics, one registry per process. */
export class ExchangeMetrics {
  readonly registry = new Registry();
  readonly accepted = new Counter({ name: 'tongban_messages_accepted_total', help: 'Messages accepted, by type', labelNames: ['type', 'duplicate'], registers: [this.registry] });
  readonly rejected = new Counter({ name: 'tongban_messages_rejected_total', help: 'Messages refused, by stable error code', labelNames: ['code'], registers: [this.registry] });
  readonly acceptSeconds = new Histogram({
    name: 'tongban_accept_duration_seconds',
    help: 'Time to verify, validate and commit one message',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [this.registry],
  });
  readonly published = new Counter({ name: 'tongban_outbox_published_total', help: 'Messages confirmed by the broker', registers: [this.registry] });
  readonly deliveries = new Counter({ name: 'tongban_deliveries_total', help: 'Worker deliveries by outcome', labelNames: ['outcome'], registers: [this.registry] });
  readonly deadLettered = new Counter({ name: 'tongban_dead_lettered_total', help: 'Messages dead-lettered', registers: [this.registry] });

  constructor(defaults = true) {
    if (defaults) collectDefaultMetrics({ register: this.registry, prefix: 'tongban_' });
  }
}
