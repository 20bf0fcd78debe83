export { MessagingError, MessagingErrorCode, PermanentDeliveryError } from './messaging.error';
export {
  type BusLogger,
  type BusMessage,
  type DeadLetterDelivery,
  type DeadLetterHandler,
  DeadLetterReason,
  type Delivery,
  type DeliveryHandler,
  type HandlerOutcome,
  type MessageBus,
} from './message-bus.port';
export { BusHeader, decideFailure, type FailureDecision, type RetryPolicy } from './delivery.policy';
export {
  amqpTopology,
  type AmqpTopology,
  type BindingSpec,
  DEAD_LETTER_QUEUE_DELIVERY_LIMIT,
  districtRoutingKey,
  type ExchangeSpec,
  type QueueSpec,
  type RetryStepSpec,
} from './amqp.topology';
export { AmqpMessageBus, type AmqpBusOptions } from './amqp.message-bus';
export { InProcessMessageBus, type InProcessBusOptions } from './in-process.message-bus';
export {
  assertHandlersCover,
  BUS_TRANSPORT,
  BusContext,
  BusExceptionFilter,
  BusTransportStrategy,
  type BusTransportOptions,
} from './bus.transport-strategy';
