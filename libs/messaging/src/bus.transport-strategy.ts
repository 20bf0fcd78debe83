import { type ArgumentsHost, Catch, type RpcExceptionFilter } from '@nestjs/common';
import { BaseRpcContext, type CustomTransportStrategy, Server } from '@nestjs/microservices';
import { lastValueFrom, type Observable, throwError } from 'rxjs';
import { errorMessage } from './delivery.policy';
import { DeadLetterReason, type Delivery, type MessageBus } from './message-bus.port';
import { MessagingError, MessagingErrorCode, PermanentDeliveryError } from './messaging.error';

/** `@Ctx() ctx: BusContext` in an @EventPattern handler. */
export class BusContext extends BaseRpcContext<[Delivery]> {
  getDelivery(): Delivery {
    return this.args[0];
  }
}

export const BUS_TRANSPORT = Symbol('tongban-bus');

export interface BusTransportOptions {
  districtIds: string[];
  /** When given, listen() fails unless every type has exactly one @EventPattern handler and no handler serves another pattern. */
  messageTypes?: readonly string[];
}

/**
 * Nest's default RPC exception filter turns every error into `{ status: 'error', message:
 * 'Internal server error' }`, which would erase the permanent/transient distinction. Register this
 * filter (app.useGlobalFilters(new BusExceptionFilter())) so the strategy sees the original error.
 */
@Catch()
export class BusExceptionFilter implements RpcExceptionFilter<unknown> {
  catch(exception: unknown, _host: ArgumentsHost): Observable<never> {
    return throwError(() => exception);
  }
}

/**
 * Serves a MessageBus to @EventPattern handlers: the pattern is the message type, the payload is
 * the Delivery. The handler's Promise/Observable decides the outcome exactly as with a plain bus
 * handler: complete -> ack, PermanentDeliveryError -> dead-letter, anything else -> retry.
 * Unlike Nest's own RMQ transport, there is no auto-ack and an unknown type is dead-lettered with
 * reason NO_HANDLER instead of blocking the consumer or being dropped.
 */
export class BusTransportStrategy extends Server implements CustomTransportStrategy {
  override transportId = BUS_TRANSPORT;
  private warnedUnfiltered = false;

  constructor(
    private readonly bus: MessageBus,
    private readonly options: BusTransportOptions,
  ) {
    super();
  }

  async listen(callback: (err?: unknown, ...rest: unknown[]) => void): Promise<void> {
    try {
      if (this.options.messageTypes) assertHandlersCover(this, this.options.messageTypes);
      await this.bus.start();
      await this.bus.consume(this.options.districtIds, (d) => this.dispatch(d));
      this._status$.next('connected');
      callback();
    } catch (err) {
      callback(err);
    }
  }

  async close(): Promise<void> {
    await this.bus.close();
    this._status$.next('disconnected');
  }

  on(): never {
    throw new Error('BusTransportStrategy has no events; use the MessageBus directly');
  }

  unwrap<T>(): T {
    return this.bus as T;
  }

  /** The bus handler: resolves when the Nest handler completed, throws what it threw. */
  async dispatch(delivery: Delivery): Promise<void> {
    const handler = this.messageHandlers.get(this.normalizePattern(delivery.type));
    if (!handler) {
      throw new PermanentDeliveryError(DeadLetterReason.NO_HANDLER, `no @EventPattern handler for message type '${delivery.type}'`);
    }
    try {
      const result: unknown = await handler(delivery, new BusContext([delivery]));
      await lastValueFrom(this.transformToObservable(result as Observable<unknown>), { defaultValue: undefined });
    } catch (err) {
      if (err instanceof Error) throw err;
      // Not an Error: Nest's default filter replaced it, so whether it was permanent is lost.
      // Retrying is the safe reading; maxAttempts still bounds it.
      if (!this.warnedUnfiltered) {
        this.warnedUnfiltered = true;
        this.logger.warn?.('handler errors reach the bus without their class: register BusExceptionFilter globally');
      }
      throw new Error(`handler failed: ${errorMessage(err)}`);
    }
  }
}

/**
 * Start-up check: every message type has exactly one event handler, and no handler listens for a
 * pattern that is not a message type (a typo there would otherwise surface as NO_HANDLER at runtime).
 */
export function assertHandlersCover(strategy: Server, messageTypes: readonly string[]): void {
  const problems: string[] = [];
  const handlers = strategy.getHandlers();
  const expected = new Set(messageTypes);
  for (const type of expected) {
    const head = handlers.get(type);
    let count = 0;
    for (let h: { next?: unknown } | undefined = head; h; h = h.next as { next?: unknown } | undefined) count++;
    if (count === 0) problems.push(`'${type}' has no handler`);
    else if (count > 1) problems.push(`'${type}' has ${count} handlers`);
    else if (head && !head.isEventHandler) problems.push(`'${type}' is a @MessagePattern; use @EventPattern`);
  }
  for (const pattern of handlers.keys()) {
    if (!expected.has(pattern)) problems.push(`handler for '${pattern}', which is not a message type`);
  }
  if (problems.length > 0) {
    throw new MessagingError(MessagingErrorCode.HANDLER_COVERAGE, `message handlers do not match the catalogue: ${problems.join('; ')}`);
  }
}
