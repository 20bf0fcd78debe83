import { Parser } from '@asyncapi/parser';
import { asyncApiMessageName, asyncApiPayloadPointer, generateAsyncApi, type AsyncApiContract, type AsyncApiDistrict } from './asyncapi.generator';
import { DRAFT_07_SCHEMA_FORMAT, toDraft07 } from './draft07.converter';

const schema = (title: string, extra: Record<string, unknown> = {}) => ({
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title,
  type: 'object',
  additionalProperties: false,
  required: ['code'],
  properties: { code: { description: 'code', $ref: '#/$defs/code' }, ...extra },
  $defs: { code: { type: 'string', pattern: '^[0-9]{12}$' } },
});

const CONTRACTS: AsyncApiContract[] = [
  { id: 'case-submission', messageType: 'case.submission', version: '1.10.0', schema: schema('Submission', { note: { type: 'string' } }) },
  { id: 'case-submission', messageType: 'case.submission', version: '1.2.0', schema: schema('Submission') },
  { id: 'case-acknowledgement', messageType: 'case.acknowledgement', version: '1.0.0', schema: schema('Ack'), examples: [{ name: 'minimal', payload: { code: '000000000001' } }] },
];
const DISTRICTS: AsyncApiDistrict[] = [
  { id: 'HZ-ZHONGKAI', name: '惠州仲恺', nameEn: 'Zhongkai' },
  { id: '440303', name: '罗湖区', push: { url: 'https://push.luohu.example:9443/tongban/inbox' } },
  { id: '440304', name: '福田区', push: { url: 'https://push.futian.example/hook' } },
];

type Doc = {
  channels: Record<string, { parameters?: Record<string, { enum?: string[] }>; messages: Record<string, unknown>; 'x-tongban-push-urls'?: Record<string, string> }>;
  servers: Record<string, { variables: Record<string, { enum?: string[]; default?: string; examples?: string[] }> }>;
  components: { messages: Record<string, { contentType: string; payload: { schemaFormat: string; schema: unknown }; examples?: unknown[] }> };
  operations: Record<string, { action: string }>;
};

describe('generateAsyncApi', () => {
  const doc = generateAsyncApi(CONTRACTS, DISTRICTS, { version: '1.2.3' }) as unknown as Doc;

  it('names messages <camelCaseId>_<version> and orders them by contract id, then SemVer', () => {
    expect(asyncApiMessageName('case-submission', '2.0.0-rc.1')).toBe('caseSubmission_2_0_0_rc_1');
    expect(Object.keys(doc.components.messages)).toEqual(['caseAcknowledgement_1_0_0', 'caseSubmission_1_2_0', 'caseSubmission_1_10_0']);
    for (const channel of Object.values(doc.channels)) expect(Object.keys(channel.messages)).toEqual(Object.keys(doc.components.messages));
  });

  it('embeds each contract schema as a draft-07 payload of an application/jose message, with its valid examples', () => {
    const ack = doc.components.messages.caseAcknowledgement_1_0_0;
    expect(ack.contentType).toBe('application/jose');
    expect(ack.payload).toEqual({ schemaFormat: DRAFT_07_SCHEMA_FORMAT, schema: toDraft07(CONTRACTS[2].schema, asyncApiPayloadPointer('caseAcknowledgement_1_0_0')) });
    expect(ack.examples).toEqual([expect.objectContaining({ name: 'minimal', payload: { code: '000000000001' } })]);
    expect(doc.components.messages.caseSubmission_1_2_0.examples).toBeUndefined();
  });

  it('parameterises the district queue with the alliance district ids and lists the push endpoints', () => {
    expect(doc.channels.districtQueue.parameters?.districtId.enum).toEqual(['HZ-ZHONGKAI', '440303', '440304']);
    expect(doc.channels.districtWebhook['x-tongban-push-urls']).toEqual({
      '440303': 'https://push.luohu.example:9443/tongban/inbox',
      '440304': 'https://push.futian.example/hook',
    });
    expect(doc.servers.districtPush.variables.pushHost).toMatchObject({ enum: ['push.luohu.example:9443', 'push.futian.example'], default: 'push.luohu.example:9443' });
    const pullOnly = generateAsyncApi(CONTRACTS, [DISTRICTS[0]]) as unknown as Doc;
    expect(pullOnly.servers.districtPush.variables.pushHost.enum).toBeUndefined();
    expect(pullOnly.channels.districtWebhook['x-tongban-push-urls']).toEqual({});
  });

  it('is deterministic and independent of input order', () => {
    expect(generateAsyncApi([...CONTRACTS].reverse(), DISTRICTS, { version: '1.2.3' })).toEqual(doc);
  });

  it('refuses a contract version listed twice, and empty inputs', () => {
    expect(() => generateAsyncApi([...CONTRACTS, CONTRACTS[0]], DISTRICTS)).toThrow(/listed twice/);
    expect(() => generateAsyncApi([], DISTRICTS)).toThrow(/no contracts/);
    expect(() => generateAsyncApi(CONTRACTS, [])).toThrow(/no districts/);
  });

  it('produces a document @asyncapi/parser accepts without errors (push districts included)', async () => {
    const { document, diagnostics } = await new Parser().parse(JSON.stringify(doc));
    expect(diagnostics.filter((d) => d.severity === 0).map((d) => `${d.code}: ${d.message} at /${d.path.join('/')}`)).toEqual([]);
    expect(document?.messages().all().map((m) => m.id()).sort()).toEqual(Object.keys(doc.components.messages).sort());
    expect(document?.servers().all().map((s) => s.id()).sort()).toEqual(['districtPush', 'gateway', 'rabbitmq']);
  }, 60_000);
});
