import { MessageType, sha256Digest } from '@tongban/envelope';
import { PartnerClient, demoCaseNumber, demoLifecyclePayload, demoSubmissionPayload, signedMessage } from '@tongban/partner-client';
import { Command } from 'commander';
import { v7 as uuidv7 } from 'uuid';
import { cliConfig, districtCredentials } from './client';

const STEPS: Array<{ by: 'collecting' | 'approving'; type: MessageType; variant?: string; label: string }> = [
  { by: 'approving', type: MessageType.CASE_ACKNOWLEDGEMENT, label: '签收 acknowledge' },
  { by: 'approving', type: MessageType.SUPPLEMENT_REQUEST, label: '补正通知 request supplements' },
  { by: 'collecting', type: MessageType.SUPPLEMENT, label: '补正 send supplements' },
  { by: 'approving', type: MessageType.ACCEPTANCE, label: '受理 accept' },
  { by: 'collecting', type: MessageType.ORIGINALS_MAILED, label: '原件寄递 mail originals' },
  { by: 'approving', type: MessageType.PROCESSING_STEP, variant: 'undertake', label: '承办 undertake' },
  { by: 'approving', type: MessageType.PROCESSING_STEP, variant: 'review', label: '审核 review' },
  { by: 'approving', type: MessageType.PROCESSING_STEP, variant: 'approve', label: '批准 approve' },
  { by: 'approving', type: MessageType.CONCLUSION, variant: 'mail', label: '办结 conclude (准予)' },
  { by: 'approving', type: MessageType.RESULT_RETURN, variant: 'mail', label: '结果寄递 return the result by mail' },
  { by: 'collecting', type: MessageType.DELIVERY_CONFIRMATION, label: '出件 hand over to the applicant' },
  { by: 'collecting', type: MessageType.EVALUATION, label: '好差评 rate' },
  { by: 'collecting', type: MessageType.EVALUATION, variant: 'round-2', label: '二次评价 re-rate' },
];

/** `tongban demo`: one whole 异地代收代办 case between two districts, against a running gateway. */
export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('Walk one whole cross-region case between two districts against a running gateway, printing each step')
    .option('--collecting <district>', 'collecting hall (收件地)', 'HZ-ZHONGKAI')
    .option('--approving <district>', 'approving jurisdiction (办理地)', '440303')
    .action(async (opts: { collecting: string; approving: string }) => {
      const config = cliConfig();
      const a = districtCredentials(config, opts.collecting);
      const b = districtCredentials(config, opts.approving);
      const caseNumber = demoCaseNumber(opts.collecting);
      const collaborationId = uuidv7();
      const party = { collecting: { id: opts.collecting, ...a }, approving: { id: opts.approving, ...b } };
      try {
        console.log(`case ${caseNumber}: ${opts.collecting} collects for ${opts.approving}`);
        const submission = await signedMessage(a.key, {
          caseNumber,
          collaborationId,
          sender: opts.collecting,
          recipient: opts.approving,
          messageType: MessageType.CASE_SUBMISSION,
          payload: demoSubmissionPayload(config.alliance, opts.collecting, opts.approving),
        });
        await deliver(a.client, b.client, submission, '流转 submit', caseNumber);
        for (const step of STEPS) {
          const from = party[step.by];
          const to = step.by === 'collecting' ? party.approving : party.collecting;
          const payload =
            step.type === MessageType.CASE_ACKNOWLEDGEMENT
              ? {
                  acknowledgedMessageId: submission.body.messageId,
                  acknowledgedEnvelopeDigest: sha256Digest(submission.envelope),
                  signedBy: { officer: 'approver-01' },
                  signedAt: new Date().toISOString(),
                }
              : demoLifecyclePayload(step.type, step.variant);
          const signed = await signedMessage(from.key, { caseNumber, collaborationId, sender: from.id, recipient: to.id, messageType: step.type, payload });
          await deliver(from.client, to.client, signed, step.label, caseNumber);
        }
        console.log('done: the case went from the window to the decision and back to the applicant.');
      } finally {
        await a.client.close();
        await b.client.close();
      }
    });
}

async function deliver(sender: PartnerClient, recipient: PartnerClient, signed: { body: { messageId: string; messageType: string }; envelope: string }, label: string, caseNumber: string): Promise<void> {
  const started = Date.now();
  const response = await sender.submit(signed.envelope);
  if (response.status !== 202) throw new Error(`${label}: HTTP ${response.status} ${JSON.stringify(response.body)}`);
  for (let tries = 0; ; tries++) {
    const page = await recipient.pull(null, 100);
    const item = page.body.items.find((i) => i.messageId === signed.body.messageId);
    if (item) {
      await recipient.ack([item.messageId]);
      break;
    }
    if (tries > 100) throw new Error(`${label}: not delivered within 10 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const view = (await sender.getCase(caseNumber)).body as { state: string };
  console.log(`  ${label.padEnd(38)} ${signed.body.messageType.padEnd(28)} → ${view.state.padEnd(18)} delivered in ${Date.now() - started} ms`);
}
