import { MessageType } from '@tongban/envelope';
import { demoCaseNumber, demoSubmissionPayload, signedMessage } from '@tongban/partner-client';
import { Command } from 'commander';
import { v7 as uuidv7 } from 'uuid';
import { cliConfig, districtCredentials } from './client';
import { digestOf } from './receipt-digest';

/** A signed demo case submission from one district to another, and the sender's client. */
async function demoSubmission(opts: { from: string; to: string; item?: string }) {
  const config = cliConfig();
  const { key, client } = districtCredentials(config, opts.from);
  const signed = await signedMessage(key, {
    caseNumber: demoCaseNumber(opts.from),
    collaborationId: uuidv7(),
    sender: opts.from,
    recipient: opts.to,
    messageType: MessageType.CASE_SUBMISSION,
    payload: demoSubmissionPayload(config.alliance, opts.from, opts.to, opts.item),
  });
  return { ...signed, client };
}

/** Demo partner-side commands: sign, send, read the inbox. They use the development PKI's district keys. */
export function registerHandoffCommands(program: Command): void {
  program
    .command('sign')
    .description("Print a signed case-submission envelope (compact JWS) from one district to another, for use with curl")
    .requiredOption('--from <district>', 'collecting district id')
    .requiredOption('--to <district>', 'approving district id')
    .option('--item <code>', 'service item code (default: the first item of their agreement)')
    .action(async (opts: { from: string; to: string; item?: string }) => {
      const { envelope, client } = await demoSubmission(opts);
      await client.close();
      process.stdout.write(`${envelope}\n`);
    });

  program
    .command('send')
    .description('Sign and send a demo case submission from one district to another over mutual TLS; prints the receipt')
    .requiredOption('--from <district>', 'collecting district id')
    .requiredOption('--to <district>', 'approving district id')
    .option('--item <code>', 'service item code (default: the first item of their agreement)')
    .action(async (opts: { from: string; to: string; item?: string }) => {
      const { body, envelope, client } = await demoSubmission(opts);
      const response = await client.submit(envelope);
      await client.close();
      console.log(JSON.stringify({ status: response.status, caseNumber: body.caseNumber, ...(response.body as object) }, null, 2));
      process.exitCode = response.status < 300 ? 0 : 1;
    });

  program
    .command('inbox')
    .description("Pull a district's inbox; with --ack, acknowledge what was read and sign for (签收) every case submission")
    .requiredOption('--as <district>', 'the district reading its inbox')
    .option('--ack', 'acknowledge the messages and send a 签收 for each case submission', false)
    .option('--limit <n>', 'how many messages', '100')
    .action(async (opts: { as: string; ack: boolean; limit: string }) => {
      const config = cliConfig();
      const { key, client } = districtCredentials(config, opts.as);
      const page = await client.pull(null, Number(opts.limit));
      if (page.status !== 200) {
        console.error(JSON.stringify(page.body, null, 2));
        process.exitCode = 1;
        return client.close();
      }
      for (const item of page.body.items) {
        console.log(`${item.deliveredAt}  ${item.messageType.padEnd(22)} from ${item.sender.padEnd(12)} case ${item.caseNumber}  ${item.messageId}`);
      }
      if (page.body.items.length === 0) console.log('(inbox empty)');
      if (opts.ack && page.body.items.length > 0) {
        const ack = await client.ack(page.body.items.map((i) => i.messageId));
        console.log(`acknowledged ${ack.body.acknowledged.length} message(s)`);
        for (const item of page.body.items.filter((i) => i.messageType === MessageType.CASE_SUBMISSION)) {
          const signed = await signedMessage(key, {
            caseNumber: item.caseNumber,
            collaborationId: digestOf(item.envelope).collaborationId,
            sender: opts.as,
            recipient: item.sender,
            messageType: MessageType.CASE_ACKNOWLEDGEMENT,
            payload: {
              acknowledgedMessageId: item.messageId,
              acknowledgedEnvelopeDigest: digestOf(item.envelope).digest,
              signedBy: { officer: 'approver-01' },
              signedAt: new Date().toISOString(),
            },
          });
          const response = await client.submit(signed.envelope);
          console.log(`签收 case ${item.caseNumber}: HTTP ${response.status}`);
        }
      }
      await client.close();
    });
}
