import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { DeliverMessageUseCase, UndeliverableError } from '@tongban/cases';
import { EnvelopeError, MessageType } from '@tongban/envelope';
import { Delivery, PermanentDeliveryError } from '@tongban/messaging';
import { ExchangeMetrics } from '@tongban/runtime';

/**
 * One handler per message type (the transport refuses to start if a type has none). Today every type
 * is delivered the same way; a type that needs more (e.g. timers) gets its own use case here.
 */
@Controller()
export class DeliveryController {
  constructor(
    private readonly deliver: DeliverMessageUseCase,
    private readonly metrics: ExchangeMetrics,
  ) {}

  @EventPattern(MessageType.CASE_SUBMISSION)
  caseSubmission(@Payload() delivery: Delivery): Promise<void> {
    return this.handle(delivery);
  }

  @EventPattern(MessageType.CASE_ACKNOWLEDGEMENT)
  caseAcknowledgement(@Payload() delivery: Delivery): Promise<void> {
    return this.handle(delivery);
  }

  private async handle(delivery: Delivery): Promise<void> {
    try {
      const outcome = await this.deliver.execute({ messageId: delivery.messageId, recipient: delivery.recipient, envelope: delivery.body.toString('utf8') });
      this.metrics.deliveries.inc({ outcome });
    } catch (error) {
      this.metrics.deliveries.inc({ outcome: 'failed' });
      // Classified failures: what can never succeed goes to the dead-letter queue at once; the rest is retried.
      if (error instanceof UndeliverableError) throw new PermanentDeliveryError(error.code, error.message);
      if (error instanceof EnvelopeError) throw new PermanentDeliveryError(error.code, error.message);
      throw error;
    }
  }
}
