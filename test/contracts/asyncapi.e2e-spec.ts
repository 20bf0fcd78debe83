// docs/asyncapi.json: regenerated from contracts/ and the alliance and compared with the committed
// file, then parsed with the official @asyncapi/parser. Needs no services.
import { Parser } from '@asyncapi/parser';
import { loadConfig } from '@tongban/config';
import { asyncApiFromDirectory, asyncApiMessageName, DRAFT_07_SCHEMA_FORMAT, readContractSources, serializeAsyncApi, toDraft07, asyncApiPayloadPointer } from '@tongban/contracts';
import { CONTRACT_ID_BY_TYPE } from '@tongban/envelope';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT_DIR = resolve(__dirname, '..', '..');
const CONTRACTS_DIR = join(ROOT_DIR, 'contracts');
const COMMITTED = join(ROOT_DIR, 'docs', 'asyncapi.json');
const REGENERATE = 'Regenerate it with `npm run tongban -- asyncapi` and commit docs/asyncapi.json.';
const MESSAGE_TYPE_BY_CONTRACT = new Map(Object.entries(CONTRACT_ID_BY_TYPE).map(([type, id]) => [id, type]));
const messageTypeOf = (id: string) => MESSAGE_TYPE_BY_CONTRACT.get(id);

// Severity as @stoplight/types DiagnosticSeverity: 0 error, 1 warning, 2 information, 3 hint.
const ERROR = 0;

describe('docs/asyncapi.json', () => {
  const contracts = readContractSources(CONTRACTS_DIR, messageTypeOf);
  let text: string;
  let committed: {
    components: { messages: Record<string, { contentType: string; payload: { schemaFormat: string; schema: Record<string, unknown> } }> };
    channels: Record<string, { parameters?: { districtId?: { enum: string[] } } }>;
  };

  beforeAll(() => {
    if (!existsSync(COMMITTED)) throw new Error(`docs/asyncapi.json is missing. ${REGENERATE}`);
    text = readFileSync(COMMITTED, 'utf8');
    committed = JSON.parse(text);
  });

  it('is what `tongban asyncapi` generates from contracts/ and the alliance', () => {
    // Same inputs as the command: the default config (no environment overrides) and the package version.
    const { version } = JSON.parse(readFileSync(join(ROOT_DIR, 'package.json'), 'utf8')) as { version: string };
    const districts = loadConfig({ env: {}, rootDir: ROOT_DIR }).alliance.districts;
    const expected = serializeAsyncApi(asyncApiFromDirectory(CONTRACTS_DIR, districts, { version, messageTypeOf }));
    if (text !== expected) {
      throw new Error(`docs/asyncapi.json differs from the document generated from contracts/ and the alliance. ${REGENERATE}`);
    }
    expect(committed.channels.districtQueue.parameters?.districtId?.enum).toEqual(districts.map((d) => d.id));
  });

  it('parses with @asyncapi/parser without an error diagnostic', async () => {
    const { document, diagnostics } = await new Parser().parse(text);
    const errors = diagnostics.filter((d) => d.severity === ERROR).map((d) => `${d.code}: ${d.message} at /${d.path.join('/')}`);
    expect(errors).toEqual([]);
    expect(document).toBeDefined();
    expect(document?.version()).toBe('3.0.0');
    expect(document?.operations().all().map((o) => `${o.id()} ${o.action()}`).sort()).toEqual([
      'acceptMessage receive',
      'consumeHandoff receive',
      'publishHandoff send',
      'pushToDistrict send',
    ]);
  }, 60_000);

  it('has one message per contract version, application/jose, whose payload is the contract schema (as draft-07)', async () => {
    expect(contracts.length).toBeGreaterThan(0);
    const { document } = await new Parser().parse(text);
    const parsed = new Map(document?.messages().all().map((m) => [m.id(), m]));
    expect([...parsed.keys()].sort()).toEqual(contracts.map((c) => asyncApiMessageName(c.id, c.version)).sort());
    for (const contract of contracts) {
      const name = asyncApiMessageName(contract.id, contract.version);
      const raw = committed.components.messages[name];
      expect(raw.contentType).toBe('application/jose');
      expect(raw.payload.schemaFormat).toBe(DRAFT_07_SCHEMA_FORMAT);
      expect(raw.payload.schema).toEqual(toDraft07(contract.schema, asyncApiPayloadPointer(name)));
      const message = parsed.get(name);
      expect(message?.contentType()).toBe('application/jose');
      expect(message?.correlationId()?.location()).toBe('$message.payload#/collaborationId');
      expect(message?.payload()?.type()).toBe('object');
    }
  }, 60_000);

  it('each payload, as the parser resolves it, accepts the valid examples and rejects the invalid ones', async () => {
    const { document } = await new Parser().parse(text);
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    for (const contract of contracts) {
      const name = asyncApiMessageName(contract.id, contract.version);
      // json() is the Multi Format Schema Object ({ schemaFormat, schema }) with every $ref resolved.
      const json = document?.messages().all().find((m) => m.id() === name)?.payload()?.json() as { schemaFormat?: string; schema?: Record<string, unknown> };
      expect(json.schemaFormat).toBe(DRAFT_07_SCHEMA_FORMAT);
      expect(JSON.stringify(json.schema)).not.toContain('"$ref"');
      const validate = ajv.compile(json.schema as Record<string, unknown>);
      const dir = join(CONTRACTS_DIR, contract.id, contract.version, 'examples');
      for (const file of readdirSync(join(dir, 'valid'))) {
        const payload = JSON.parse(readFileSync(join(dir, 'valid', file), 'utf8'));
        expect({ example: `${name} valid/${file}`, valid: validate(payload), errors: validate.errors ?? null }).toEqual({ example: `${name} valid/${file}`, valid: true, errors: null });
      }
      for (const file of readdirSync(join(dir, 'invalid'))) {
        const { payload, expectedPointer } = JSON.parse(readFileSync(join(dir, 'invalid', file), 'utf8')) as { payload: unknown; expectedPointer: string };
        const valid = validate(payload);
        // Rejected for the stated reason: some error names the example's expectedPointer.
        const pointers = (validate.errors ?? []).map((e) => {
          const missing = (e.params as { missingProperty?: string; additionalProperty?: string }).missingProperty ?? (e.params as { additionalProperty?: string }).additionalProperty;
          return missing === undefined ? e.instancePath : `${e.instancePath}/${missing}`;
        });
        expect({ example: `${name} invalid/${file}`, valid, namesExpectedPointer: pointers.includes(expectedPointer) }).toEqual({
          example: `${name} invalid/${file}`,
          valid: false,
          namesExpectedPointer: true,
        });
      }
    }
  }, 60_000);
});
