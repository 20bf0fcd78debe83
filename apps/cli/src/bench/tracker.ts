import { performance } from 'node:perf_hooks';
import { LatencyRecorder, round, sleep } from './latency';

export interface PhaseResult {
  /** Hand-offs seen by a recipient's pull inside the measurement window, per second. */
  handoffsPerSec: number;
  /** Submissions answered 202 inside the window, per second. */
  acceptedPerSec: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Hand-offs (accepted after warm-up) whose latency was measured. */
  latencySamples: number;
  sent: number;
  accepted: number;
  delivered: number;
  errors: number;
  /** Accepted but never seen by the recipient, even after the drain. */
  undelivered: number;
  /** Returned by a pull again after its acknowledgement was confirmed (must be 0). */
  duplicates: number;
  errorSamples: string[];
  windowS: number;
}

/**
 * Book-keeping shared by the gateway run and the bare pipeline: when each message was handed over,
 * when its recipient saw it, and what went wrong. The measurement window starts after warm-up and
 * ends when the load stops; the latency of a message accepted in the window is still taken if its
 * delivery falls into the drain after it.
 */
export class HandoffTracker {
  private readonly pending = new Map<string, { t0: number; measured: boolean }>();
  private readonly acknowledged = new Set<string>();
  readonly latency = new LatencyRecorder();
  sent = 0;
  accepted = 0;
  delivered = 0;
  errors = 0;
  duplicates = 0;
  private windowStart = Number.POSITIVE_INFINITY;
  private windowEnd = Number.POSITIVE_INFINITY;
  private deliveredInWindow = 0;
  private acceptedInWindow = 0;
  private readonly errorSamples = new Map<string, number>();

  /** Call just before the message leaves the sender. */
  submitted(messageId: string): void {
    this.sent += 1;
    const t0 = performance.now();
    this.pending.set(messageId, { t0, measured: t0 >= this.windowStart && t0 < this.windowEnd });
  }

  acceptedOk(): void {
    this.accepted += 1;
    const now = performance.now();
    if (now >= this.windowStart && now < this.windowEnd) this.acceptedInWindow += 1;
  }

  failed(messageId: string | undefined, what: string): void {
    this.errors += 1;
    if (messageId) this.pending.delete(messageId);
    this.errorSamples.set(what, (this.errorSamples.get(what) ?? 0) + 1);
  }

  /** A recipient's pull returned this message. Returns false for one not sent by this run. */
  deliveredTo(messageId: string): boolean {
    const entry = this.pending.get(messageId);
    if (!entry) {
      if (this.acknowledged.has(messageId)) this.duplicates += 1;
      return false;
    }
    const now = performance.now();
    this.pending.delete(messageId);
    this.delivered += 1;
    if (entry.measured) this.latency.add(now - entry.t0);
    if (now >= this.windowStart && now < this.windowEnd) this.deliveredInWindow += 1;
    return true;
  }

  /** The recipient's acknowledgement of these was confirmed: a later pull must not return them. */
  acknowledgedOk(messageIds: Iterable<string>): void {
    for (const id of messageIds) this.acknowledged.add(id);
  }

  /** Idempotent; returns true the first time. */
  startWindow(): boolean {
    if (this.windowStart !== Number.POSITIVE_INFINITY) return false;
    this.windowStart = performance.now();
    return true;
  }

  /** Idempotent; returns true the first time. */
  endWindow(): boolean {
    if (this.windowEnd !== Number.POSITIVE_INFINITY) return false;
    this.windowEnd = performance.now();
    return true;
  }

  get outstanding(): number {
    return this.pending.size;
  }

  result(): PhaseResult {
    const windowS = (this.windowEnd - this.windowStart) / 1000;
    const l = this.latency.summary();
    return {
      handoffsPerSec: round(this.deliveredInWindow / windowS),
      acceptedPerSec: round(this.acceptedInWindow / windowS),
      p50Ms: round(l.p50),
      p90Ms: round(l.p90),
      p99Ms: round(l.p99),
      maxMs: round(l.max),
      latencySamples: l.count,
      sent: this.sent,
      accepted: this.accepted,
      delivered: this.delivered,
      errors: this.errors,
      undelivered: this.pending.size,
      duplicates: this.duplicates,
      errorSamples: [...this.errorSamples].map(([what, n]) => `${n}x ${what}`),
      windowS: round(windowS, 2),
    };
  }
}

/** One line per second on stderr while a phase runs. */
export function startProgress(label: string, tracker: HandoffTracker, extra?: () => string): () => void {
  const started = performance.now();
  let lastDelivered = 0;
  let lastAt = started;
  const timer = setInterval(() => {
    const now = performance.now();
    const rate = ((tracker.delivered - lastDelivered) * 1000) / (now - lastAt);
    lastDelivered = tracker.delivered;
    lastAt = now;
    process.stderr.write(
      `[${label}] ${((now - started) / 1000).toFixed(0).padStart(3)}s  sent ${tracker.sent}  accepted ${tracker.accepted}  ` +
        `delivered ${tracker.delivered}  rate ${Math.round(rate)}/s  backlog ${tracker.outstanding}  errors ${tracker.errors}${extra ? `  ${extra()}` : ''}\n`,
    );
  }, 1000);
  timer.unref();
  return () => clearInterval(timer);
}

export interface LoadSchedule {
  /** Progress label on stderr. */
  label: string;
  tracker: HandoffTracker;
  districts: string[];
  concurrency: number;
  warmupS: number;
  durationS: number;
  /** Longest wait after the load for accepted messages to reach their recipients. */
  drainS: number;
  /** Called when the measurement window opens and closes (CPU accounting). */
  onWindow?: (edge: 'start' | 'end') => void;
  /** Polled: true ends the load and the drain early. */
  stop?: () => boolean;
}

/** What the send and pull loops of a phase poll. */
export interface LoadClock {
  /** A sender keeps sending while this holds: before the load ends and nothing asked to stop. */
  sending(): boolean;
  /** A recipient keeps pulling while this holds: until the drain is over. */
  pulling(): boolean;
}

/**
 * The schedule both phases share: one pull loop per district from the start, `concurrency` send
 * loops until warm-up + duration are over, the measurement window in between (opened and closed by
 * timers, or at the latest when the senders stop), then at most `drainS` for the backlog to arrive.
 * Returns when every loop has ended; closing connections is the caller's business.
 */
export async function runLoadSchedule(
  s: LoadSchedule,
  send: (index: number, clock: LoadClock) => Promise<void>,
  pull: (district: string, clock: LoadClock) => Promise<void>,
): Promise<void> {
  const stopped = () => s.stop?.() ?? false;
  const t0 = performance.now();
  const windowStart = t0 + s.warmupS * 1000;
  const loadEnd = windowStart + s.durationS * 1000;
  let pulling = true;
  const clock: LoadClock = { sending: () => performance.now() < loadEnd && !stopped(), pulling: () => pulling };
  const stopProgress = startProgress(s.label, s.tracker);
  const pullers = s.districts.map((d) => pull(d, clock));
  const openWindow = () => s.tracker.startWindow() && s.onWindow?.('start');
  const closeWindow = () => s.tracker.endWindow() && s.onWindow?.('end');
  const windowTimers = [setTimeout(openWindow, windowStart - t0), setTimeout(closeWindow, loadEnd - t0)];
  try {
    await Promise.all(Array.from({ length: s.concurrency }, (_, i) => send(i, clock)));
    openWindow();
    closeWindow();
    const drainUntil = performance.now() + s.drainS * 1000;
    while (s.tracker.outstanding > 0 && performance.now() < drainUntil && !stopped()) await sleep(20);
  } finally {
    windowTimers.forEach(clearTimeout);
    pulling = false;
    await Promise.all(pullers);
    stopProgress();
  }
}
