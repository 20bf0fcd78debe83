import { Command } from 'commander';
import { resolveContract } from '../../catalogue';
import { ContractError, ContractErrorCode } from '../../contract.error';
import { CliExit, type CliIo } from '../io';

interface ExampleOptions {
  name?: string;
  envelope?: boolean;
  list?: boolean;
}

/** An envelope body around the payload, with placeholder routing fields that pass the envelope checks. */
function envelopeOf(messageType: string, payload: unknown, now: Date): Record<string, unknown> {
  return {
    messageId: '00000000-0000-4000-8000-000000000000',
    caseNumber: 'EXAMPLE-CASE-0001',
    collaborationId: 'EXAMPLE-COLLABORATION-0001',
    sender: 'SENDER-DISTRICT',
    recipient: 'RECIPIENT-DISTRICT',
    messageType,
    sentAt: now.toISOString(),
    payload,
  };
}

export function registerExampleCommand(program: Command, io: CliIo): void {
  program
    .command('example')
    .summary('print a valid example of a contract version')
    .description('Print a valid example payload (JSON) of TYPE, a message type (case.submission) or a contract id (case-submission), at VERSION (default: newest).')
    .argument('<type[@version]>', 'message type or contract id, optionally @version, e.g. case.submission@1.0.0')
    .option('-n, --name <example>', 'which valid example (default: the first by name); see --list')
    .option('-l, --list', 'list the names of the valid examples instead')
    .option('-e, --envelope', 'wrap the payload in an envelope body (messageType, placeholder ids, sentAt now), ready for `validate` or for signing')
    .action((ref: string, options: ExampleOptions) => {
      const { id, version, info, entry } = resolveContract(ref);
      if (options.list) {
        io.stdout.write(info.examples.map((e) => `${e.name}\n`).join(''));
        return;
      }
      const example = options.name === undefined ? info.examples[0] : info.examples.find((e) => e.name === options.name);
      if (!example) {
        const known = info.examples.map((e) => e.name).join(', ') || 'none';
        throw new ContractError(ContractErrorCode.UNKNOWN_VERSION, `${id}@${version} has no valid example${options.name ? ` named "${options.name}"` : ''}; examples: ${known}`);
      }
      const value = options.envelope ? envelopeOf(entry.messageType, example.payload, new Date()) : example.payload;
      io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
      throw new CliExit(0);
    });
}
