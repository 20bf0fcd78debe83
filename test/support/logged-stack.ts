import pino, { Logger } from 'pino';
import { Stack, startStack } from './harness';

/** Every line a logger wrote, in memory: a test can assert what the logs do (not) contain. */
export interface CapturedLog {
  logger: Logger;
  /** Raw lines as pino wrote them (newline-delimited JSON). */
  lines: string[];
  text(): string;
}

export function captureLog(level: pino.LevelWithSilent = 'trace'): CapturedLog {
  const lines: string[] = [];
  const logger = pino({ level }, { write: (line: string) => void lines.push(line) });
  return { logger, lines, text: () => lines.join('') };
}

/** startStack (harness.ts) with the caller's logger instead of a quiet one. */
export function startStackWithLogger(opts: { logger: Logger; databaseUrl: string; amqpPrefix: string; worker?: boolean }): Promise<Stack> {
  return startStack(opts);
}
