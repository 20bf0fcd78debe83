import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { DeliverMessageUseCase, UndeliverableError } from '@tongban/cases';
import { EnvelopeError, MessageType } from '@tongban/envelope';
import { Delivery, PermanentDeliveryError } from '@tongban/messaging';
import { ExchangeMetrics } from '@tongban/runtime';

/**
 * Every message type is delivered the same way, so one method serves them all; the transport still
 * refuses to start unless each type has exactly one handler. A type that needs more gets its own
 * method (and leaves this list).
 */
@Controller()
export class DeliveryController {
  constructor(
    private readonly deliverMessage: DeliverMessageUseCase,
    private readonly metrics: ExchangeMetrics,
  ) {}

  @EventPattern(Object.values(MessageType))
  async deliver(@Payload() delivery: Delivery): Promise<void> {
    try {
      const outcome = await this.deliverMessage.execute({ messageId: delivery.messageId, recipient: delivery.recipient, envelope: delivery.body.toString('utf8') });
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
