import { LoggerService } from '@nestjs/common';
import pino, { Logger } from 'pino';

/**
 * Structured JSON logs. Payloads never reach a log line (we log ids, codes and digests only); the
 * redact list is the second line of defence for fields that carry personal data (ID and phone numbers).
 */
export function createLogger(level: string, name = 'tongban'): Logger {
  return pino({
    name,
    level,
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: ['*.idNumber', '*.mobile', '*.applicant', '*.payload', '*.envelope', 'payload', 'envelope', 'applicant'],
      censor: '[redacted]',
    },
  });
}

/** Lets NestJS write through pino so framework messages are JSON too. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}
  // Nest's own 'log' lines (route mapping, module init) are start-up noise: keep them at debug.
  log(message: unknown, context?: string): void {
    this.logger.debug({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string): void {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string): void {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string): void {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string): void {
    this.logger.trace({ context }, String(message));
  }
}
