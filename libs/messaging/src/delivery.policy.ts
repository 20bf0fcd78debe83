import { DeadLetterReason } from './message-bus.port';
import { MessagingError, MessagingErrorCode, PermanentDeliveryError } from './messaging.error';

/** Our headers on the wire. `x-` keeps them out of headers-exchange matching and marks them as transport data. */
export const BusHeader = {
  ATTEMPT: 'x-tongban-attempt',
  RECIPIENT: 'x-tongban-recipient',
  REASON: 'x-tongban-reason',
  ERROR: 'x-tongban-error',
  DEAD_LETTERED_AT: 'x-tongban-dead-lettered-at',
} as const;

/** Broker-owned dead-letter bookkeeping: stripped from the copies we republish so every trip starts clean. */
export const BROKER_DEATH_HEADERS = [
  'x-death',
  'x-first-death-reason',
  'x-first-death-queue',
  'x-first-death-exchange',
  'x-last-death-reason',
  'x-last-death-queue',
  'x-last-death-exchange',
] as const;

export interface RetryPolicy {
  maxAttempts: number;
  backoffSeconds: number[];
}

export type FailureDecision =
  | { kind: 'retry'; nextAttempt: number; step: number; delaySeconds: number; error: string }
  | { kind: 'dead-letter'; reason: string; error: string };

// A district id becomes part of a routing key and a queue name: '.', '*' and '#' would change what
// a topic binding matches, so only a conservative alphabet is allowed.
const DISTRICT_ID = /^[A-Za-z0-9_-]{1,64}$/;

export function validateDistrictIds(ids: readonly string[]): void {
  if (ids.length === 0) throw new MessagingError(MessagingErrorCode.INVALID_CONFIG, 'districtIds must not be empty');
  for (const id of ids) {
    if (!DISTRICT_ID.test(id)) {
      throw new MessagingError(MessagingErrorCode.INVALID_CONFIG, `districtIds: '${id}' is not a valid district id (A-Z a-z 0-9 _ -)`);
    }
  }
}

export function validateRetryPolicy(policy: RetryPolicy): void {
  if (!Number.isInteger(policy.maxAttempts) || policy.maxAttempts < 1) {
    throw new MessagingError(MessagingErrorCode.INVALID_CONFIG, 'maxAttempts must be an integer >= 1');
  }
  if (policy.backoffSeconds.length === 0) {
    throw new MessagingError(MessagingErrorCode.INVALID_CONFIG, 'backoffSeconds must name at least one step');
  }
  for (const s of policy.backoffSeconds) {
    // Below 1 ms the TTL rounds to 0, which RabbitMQ treats as "expire unless a consumer is ready".
    if (!Number.isFinite(s) || s < 0.001) {
      throw new MessagingError(MessagingErrorCode.INVALID_CONFIG, `backoffSeconds: ${s} is not a positive number of seconds`);
    }
  }
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'object' && err !== null && 'message' in err) return String((err as { message: unknown }).message);
  return String(err);
}

// Duck-typed as well as instanceof: jest module registries and duplicated installs can give two copies
// of the class, and misreading a permanent error as transient would only waste retries, but still.
export function isPermanent(err: unknown): err is PermanentDeliveryError {
  if (err instanceof PermanentDeliveryError) return true;
  return (
    err instanceof Error && err.name === 'PermanentDeliveryError' && typeof (err as { code?: unknown }).code === 'string'
  );
}

/** What to do with a message whose handler threw on `attempt` (1-based). */
export function decideFailure(err: unknown, attempt: number, policy: RetryPolicy): FailureDecision {
  const error = errorMessage(err);
  if (isPermanent(err)) return { kind: 'dead-letter', reason: err.code, error };
  if (attempt >= policy.maxAttempts) return { kind: 'dead-letter', reason: DeadLetterReason.ATTEMPTS_EXHAUSTED, error };
  const steps = policy.backoffSeconds.length;
  const step = Math.min(Math.max(attempt, 1), steps) - 1;
  return { kind: 'retry', nextAttempt: attempt + 1, step, delaySeconds: policy.backoffSeconds[step], error };
}

export function attemptOf(headers: Record<string, unknown>): number {
  const raw = headers[BusHeader.ATTEMPT];
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number.parseInt(raw, 10) : NaN;
  return Number.isInteger(n) && n >= 1 ? n : 1;
}

/**
 * Reason and time for a dead-lettered message. Our own dead-letters carry x-tongban-*; the broker's
 * (delivery limit) carry x-death, whose first entry is the most recent death.
 */
export function deadLetterInfo(
  headers: Record<string, unknown>,
  now: () => Date,
): { reason: string; deadLetteredAt: string; error?: string } {
  const ours = headers[BusHeader.REASON];
  if (typeof ours === 'string' && ours.length > 0) {
    const at = headers[BusHeader.DEAD_LETTERED_AT];
    const error = headers[BusHeader.ERROR];
    return {
      reason: ours,
      deadLetteredAt: typeof at === 'string' ? at : now().toISOString(),
      ...(typeof error === 'string' ? { error } : {}),
    };
  }
  const deaths = headers['x-death'];
  const last = Array.isArray(deaths) && deaths.length > 0 ? (deaths[0] as Record<string, unknown>) : undefined;
  const brokerReason = typeof last?.reason === 'string' ? last.reason : headers['x-first-death-reason'];
  return {
    reason: typeof brokerReason === 'string' ? brokerReason.toUpperCase() : 'UNKNOWN',
    deadLetteredAt: amqpTime(last?.time) ?? now().toISOString(),
  };
}

// AMQP timestamps are whole seconds; amqplib decodes them as a number (or Date in some paths).
function amqpTime(value: unknown): string | undefined {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number' && Number.isFinite(value)) return new Date(value * 1000).toISOString();
  if (typeof value === 'object' && value !== null && 'value' in value) return amqpTime((value as { value: unknown }).value);
  return undefined;
}
