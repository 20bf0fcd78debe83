import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Log } from 'sarif';
import { canonicalJson } from '../envelope.decode';
import type { CliIo } from './io';
import { main } from './main';
import type { FileReport } from './report/report.types';

const CONTRACTS_DIR = resolve(__dirname, '../../../../contracts');
const readJson = (path: string): Record<string, unknown> => JSON.parse(readFileSync(resolve(CONTRACTS_DIR, path), 'utf8')) as Record<string, unknown>;
const ACK = readJson('case-acknowledgement/1.0.0/examples/valid/minimal.json');
// The newest version: envelope JSON without --contract is checked against it, and `example` prints it.
const SUBMISSION = readJson('case-submission/2.0.0/examples/valid/natural-person-remote-collection.json');

function envelope(messageType: string, payload: unknown): Record<string, unknown> {
  return {
    messageId: '0192f5c4-8e7a-7c3e-9b1d-4a2f6e8c0d13',
    caseNumber: 'LH-2026-000123',
    collaborationId: 'XT-440303-440106-2026-0001',
    sender: '440303',
    recipient: '440106',
    messageType,
    sentAt: '2026-03-02T09:15:00+08:00',
    payload,
  };
}
const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64url');
const jws = (ctr: string, body: unknown): string =>
  `${b64(JSON.stringify({ alg: 'ES256', kid: 'k1', typ: 'tongban-envelope+jws', ctr }))}.${b64(canonicalJson(body))}.${Buffer.alloc(64, 1).toString('base64url')}\n`;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

let dir: string;

async function cli(argv: string[], options: { stdin?: string; tty?: boolean; env?: Record<string, string> } = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: { write: (s: string) => (stdout += s), isTTY: options.tty },
    stderr: { write: (s: string) => (stderr += s), isTTY: options.tty },
    readStdin: async () => options.stdin ?? '',
    cwd: dir,
    env: options.env ?? {},
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tongban-contracts-cli-'));
  const write = (name: string, content: string): void => {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), content);
  };
  write('payloads/ack.payload.json', JSON.stringify(ACK, null, 2));
  write('ok/submission.envelope.json', JSON.stringify(envelope('case.submission', SUBMISSION), null, 2));
  write('ok/ack.jws', jws('case-acknowledgement@1.0.0', envelope('case.acknowledgement', ACK)));
  // Invalid: one rule each. The digest is on line 3 of the pretty-printed envelope's payload.
  write('bad/ack-digest.envelope.json', JSON.stringify(envelope('case.acknowledgement', { ...ACK, acknowledgedEnvelopeDigest: 'md5:0' }), null, 2));
  write('bad/ack-remark.jws', jws('case-acknowledgement@1.0.0', envelope('case.acknowledgement', { ...ACK, remark: 1 })));
  write('bad/not-json.json', '{ "messageType": ');
  write('unknown/version.jws', jws('case-acknowledgement@9.9.9', envelope('case.acknowledgement', ACK)));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tongban-contracts', () => {
  describe('exit codes', () => {
    it.each([
      ['all valid', ['validate', 'ok/submission.envelope.json', 'ok/ack.jws'], 0],
      ['a bare payload with --contract', ['validate', '--contract', 'case.acknowledgement@1.0.0', 'payloads/ack.payload.json'], 0],
      ['a directory of valid messages (its *.json and *.jws)', ['validate', 'ok'], 0],
      ['any invalid', ['validate', 'ok/ack.jws', 'bad/ack-remark.jws'], 1],
      ['a file that is not JSON', ['validate', 'bad/not-json.json'], 1],
      ['an unreadable file', ['validate', 'ok/ack.jws', 'missing.json'], 2],
      ['a glob that matches nothing', ['validate', 'nothing/*.json'], 2],
      ['an unknown contract version in a message', ['validate', 'unknown/version.jws'], 2],
      ['an unknown --contract', ['validate', '--contract', 'case-nothing@1.0.0', 'ok/ack.jws'], 2],
      ['a bare payload without --contract', ['validate', 'payloads/ack.payload.json'], 2],
      ['no file', ['validate'], 2],
      ['an unknown format', ['validate', '--format', 'xml', 'ok/ack.jws'], 2],
      ['an unknown option', ['validate', '--nope', 'ok/ack.jws'], 2],
      ['an unknown command', ['check'], 2],
      ['no command', [], 2],
      ['an unknown example type', ['example', 'case.nothing'], 2],
      ['an unknown example version', ['example', 'case.submission@0.1.0'], 2],
    ])('%s: %j → %d', async (_name, argv, code) => {
      expect((await cli(argv)).code).toBe(code);
    });

    it('an invalid file still makes 2 when another file cannot be read', async () => {
      expect((await cli(['validate', 'bad/ack-remark.jws', 'missing.json'])).code).toBe(2);
    });

    it.each([[[]], [['validate']], [['example']], [['list']], [['diff']], [['help']]])('--help %j → 0 with usage', async (command) => {
      const run = await cli([...command, '--help']);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('Usage: tongban-contracts');
    });

    it('leaves process.exitCode as it found it', async () => {
      await cli(['validate', 'bad/ack-remark.jws']);
      expect(process.exitCode).toBeUndefined();
    });
  });

  describe('validate', () => {
    it('reads one message from stdin with -', async () => {
      expect((await cli(['validate', '-'], { stdin: jws('case-acknowledgement@1.0.0', envelope('case.acknowledgement', ACK)) })).code).toBe(0);
      const run = await cli(['validate', '--contract', 'case-acknowledgement@1.0.0', '--format', 'json', '-'], { stdin: '{}' });
      expect(run.code).toBe(1);
      expect((JSON.parse(run.stdout) as FileReport[])[0]).toMatchObject({ file: '<stdin>', kind: 'payload', valid: false });
    });

    it('expands quoted globs itself, sorted', async () => {
      const run = await cli(['validate', '--format', 'json', '{ok,bad}/*.jws']);
      expect((JSON.parse(run.stdout) as FileReport[]).map((f) => f.file)).toEqual(['bad/ack-remark.jws', 'ok/ack.jws']);
    });

    it('json: one entry per file with contract, kind, and violations located in the file', async () => {
      const run = await cli(['validate', '--format', 'json', 'ok/ack.jws', 'bad/ack-digest.envelope.json', 'missing.json']);
      const reports = JSON.parse(run.stdout) as FileReport[];
      expect(reports).toEqual([
        { file: 'ok/ack.jws', kind: 'jws', contract: { id: 'case-acknowledgement', version: '1.0.0' }, versionSource: 'ctr', valid: true, violations: [] },
        {
          file: 'bad/ack-digest.envelope.json',
          kind: 'envelope-json',
          contract: { id: 'case-acknowledgement', version: '1.0.0' },
          versionSource: 'newest',
          valid: false,
          violations: [
            {
              target: 'payload',
              pointer: '/acknowledgedEnvelopeDigest',
              keyword: 'pattern',
              message: expect.stringContaining('SHA-256'),
              line: 11,
              column: 5,
            },
          ],
        },
        { file: 'missing.json', contract: null, valid: false, violations: [], error: 'cannot read: ENOENT' },
      ]);
      const text = readFileSync(join(dir, 'bad/ack-digest.envelope.json'), 'utf8').split('\n');
      expect(text[10].trimStart()).toMatch(/^"acknowledgedEnvelopeDigest"/);
    });

    it('human: a line per file, violations with pointers; colour only on a terminal', async () => {
      const plain = await cli(['validate', 'ok/ack.jws', 'bad/ack-remark.jws']);
      expect(plain.stdout.split('\n')).toEqual([
        '✓ ok/ack.jws  case-acknowledgement@1.0.0 (JWS)',
        '✗ bad/ack-remark.jws  case-acknowledgement@1.0.0 (JWS)  1 violation',
        expect.stringMatching(/^ {4}\/remark {2}备注 \/ Remark \(\/remark\) must be string \[type\]$/),
        expect.stringMatching(/^2 files: 1 valid, 1 invalid in \d+ ms$/),
        '',
      ]);
      const ansi = /\u001b\[/;
      expect(plain.stdout).not.toMatch(ansi);
      expect((await cli(['validate', 'bad/ack-remark.jws'], { tty: true })).stdout).toMatch(ansi);
      expect((await cli(['validate', 'bad/ack-remark.jws'], { tty: true, env: { NO_COLOR: '1' } })).stdout).not.toMatch(ansi);
      expect((await cli(['validate', '--quiet', 'ok/ack.jws', 'bad/ack-remark.jws'])).stdout).not.toContain('ok/ack.jws');
    });

    it('junit: well-formed XML, one testcase per file, failures and errors counted', async () => {
      const run = await cli(['validate', '--format', 'junit', 'ok/ack.jws', 'bad/ack-remark.jws', 'bad/ack-digest.envelope.json', 'missing.json']);
      expect(XMLValidator.validate(run.stdout)).toBe(true);
      const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => name === 'testcase' }).parse(run.stdout);
      expect(xml.testsuites).toMatchObject({ name: 'tongban-contracts', tests: '4', failures: '2', errors: '1' });
      const cases = xml.testsuites.testsuite.testcase as Array<Record<string, unknown>>;
      expect(cases.map((c) => [c.name, c.classname, c.file])).toEqual([
        ['ok/ack.jws', 'case-acknowledgement@1.0.0', 'ok/ack.jws'],
        ['bad/ack-remark.jws', 'case-acknowledgement@1.0.0', 'bad/ack-remark.jws'],
        ['bad/ack-digest.envelope.json', 'case-acknowledgement@1.0.0', 'bad/ack-digest.envelope.json'],
        ['missing.json', 'unknown contract', 'missing.json'],
      ]);
      expect(cases[0].failure).toBeUndefined();
      expect(cases[1].failure).toMatchObject({ message: '1 violation of case-acknowledgement@1.0.0', type: 'ContractViolation', '#text': expect.stringContaining('/remark') });
      expect(cases[2].failure).toMatchObject({ '#text': expect.stringContaining('line 11: /acknowledgedEnvelopeDigest') });
      expect(cases[3].error).toMatchObject({ type: 'ToolError', message: 'cannot read: ENOENT' });
    });

    it('sarif: a SARIF 2.1.0 log with one result per violation, located in its file', async () => {
      const run = await cli(['validate', '--format', 'sarif', 'ok/ack.jws', 'bad/ack-remark.jws', 'bad/ack-digest.envelope.json', 'bad/not-json.json']);
      const log = JSON.parse(run.stdout) as Log;
      const ajv = new Ajv2020({ allErrors: true, strict: false });
      addFormats(ajv);
      expect(ajv.validate(SARIF_REQUIRED, log) ? [] : ajv.errors).toEqual([]);
      const [sarifRun] = log.runs;
      expect(sarifRun.tool.driver.name).toBe('tongban-contracts');
      expect(sarifRun.results?.map((r) => [r.ruleId, r.locations?.[0].physicalLocation?.artifactLocation?.uri, r.locations?.[0].physicalLocation?.region?.startLine])).toEqual([
        ['contract/type', 'bad/ack-remark.jws', 1],
        ['contract/pattern', 'bad/ack-digest.envelope.json', 11],
        ['envelope/syntax', 'bad/not-json.json', 1],
      ]);
      for (const result of sarifRun.results ?? []) {
        expect(sarifRun.tool.driver.rules?.[result.ruleIndex as number].id).toBe(result.ruleId);
        const location = result.locations?.[0].physicalLocation?.artifactLocation;
        expect(sarifRun.artifacts?.[location?.index as number].location?.uri).toBe(location?.uri);
      }
      expect(sarifRun.invocations?.[0].executionSuccessful).toBe(true);
      const failed = JSON.parse((await cli(['validate', '--format', 'sarif', 'missing.json'])).stdout) as Log;
      expect(failed.runs[0].invocations?.[0]).toMatchObject({ executionSuccessful: false, toolExecutionNotifications: [{ level: 'error' }] });
    });

    it('github: an ::error annotation per violation, with file, line and escaped text', async () => {
      const run = await cli(['validate', '--format', 'github', 'ok/ack.jws', 'bad/ack-digest.envelope.json', 'missing.json']);
      const lines = run.stdout.trimEnd().split('\n');
      expect(lines).toEqual([
        expect.stringMatching(/^::error file=bad\/ack-digest\.envelope\.json,line=11,col=5,title=case-acknowledgement@1\.0\.0 \/acknowledgedEnvelopeDigest::.*SHA-256.*\[pattern\]$/),
        '::error file=missing.json,title=tongban-contracts%3A not validated::cannot read: ENOENT',
      ]);
    });

    it('shows progress on a terminal for more than 1000 files, and not otherwise', async () => {
      const many = join(dir, 'many');
      mkdirSync(many);
      const text = JSON.stringify(ACK);
      for (let i = 0; i < 1001; i++) writeFileSync(join(many, `${i}.json`), text);
      const tty = await cli(['validate', '--contract', 'case-acknowledgement', '--quiet', 'many'], { tty: true });
      expect(tty.code).toBe(0);
      expect(tty.stderr).toContain('\rvalidated 1001/1001\n');
      expect((await cli(['validate', '--contract', 'case-acknowledgement', '--quiet', 'many'])).stderr).toBe('');
    });
  });

  describe('example', () => {
    it('prints the first valid example of the newest version, by message type or contract id', async () => {
      for (const ref of ['case.acknowledgement', 'case-acknowledgement@1.0.0']) {
        const run = await cli(['example', ref]);
        expect(run.code).toBe(0);
        expect(JSON.parse(run.stdout)).toEqual(ACK);
      }
      expect((await cli(['example', 'case.submission', '--list'])).stdout).toBe('legal-person-fully-online\nnatural-person-minority-name\nnatural-person-remote-collection\n');
      expect(JSON.parse((await cli(['example', 'case.submission', '--name', 'natural-person-remote-collection'])).stdout)).toEqual(SUBMISSION);
    });

    it('--envelope prints an envelope body that validates', async () => {
      const { stdout } = await cli(['example', 'case.submission', '--envelope']);
      expect(JSON.parse(stdout)).toMatchObject({ messageType: 'case.submission', payload: expect.any(Object) });
      expect((await cli(['validate', '-'], { stdin: stdout })).code).toBe(0);
    });
  });

  describe('list', () => {
    it('prints the catalogue as a table and as JSON', async () => {
      const table = await cli(['list']);
      expect(table.stdout.split('\n')[0]).toMatch(/^ID\s+MESSAGE TYPE\s+VERSIONS\s+TITLE$/);
      expect(table.stdout).toMatch(/case-submission\s+case\.submission\s+1\.0\.0, 2\.0\.0\s+办件流转 \/ Case submission/);
      const json = JSON.parse((await cli(['list', '--format', 'json'])).stdout) as unknown[];
      expect(json).toContainEqual({ id: 'case-acknowledgement', messageType: 'case.acknowledgement', versions: expect.arrayContaining(['1.0.0']), title: '办件签收 / Case acknowledgement' });
    });
  });
});

/**
 * The required properties and value constraints of SARIF 2.1.0 (OASIS Standard, §3) for the
 * objects this CLI writes: sarifLog, run, tool, toolComponent, reportingDescriptor, artifact,
 * result, message, location, physicalLocation, artifactLocation, region, invocation, notification.
 */
const message = { type: 'object', anyOf: [{ required: ['text'] }, { required: ['id'] }], properties: { text: { type: 'string' } } };
const artifactLocation = { type: 'object', properties: { uri: { type: 'string', format: 'uri-reference' }, uriBaseId: { type: 'string' }, index: { type: 'integer', minimum: -1 } } };
const region = {
  type: 'object',
  properties: { startLine: { type: 'integer', minimum: 1 }, startColumn: { type: 'integer', minimum: 1 } },
};
const location = {
  type: 'object',
  properties: {
    physicalLocation: { type: 'object', anyOf: [{ required: ['artifactLocation'] }, { required: ['address'] }], properties: { artifactLocation, region } },
    logicalLocations: { type: 'array', items: { type: 'object', properties: { fullyQualifiedName: { type: 'string' }, kind: { type: 'string' } } } },
  },
};
const level = { enum: ['none', 'note', 'warning', 'error'] };
const SARIF_REQUIRED = {
  type: 'object',
  required: ['version', 'runs'],
  properties: {
    $schema: { type: 'string', format: 'uri' },
    version: { const: '2.1.0' },
    runs: {
      type: 'array',
      items: {
        type: 'object',
        required: ['tool'],
        properties: {
          tool: {
            type: 'object',
            required: ['driver'],
            properties: {
              driver: {
                type: 'object',
                required: ['name'],
                properties: {
                  name: { type: 'string' },
                  version: { type: 'string' },
                  rules: { type: 'array', items: { type: 'object', required: ['id'], properties: { id: { type: 'string' }, shortDescription: message } } },
                },
              },
            },
          },
          artifacts: { type: 'array', items: { type: 'object', properties: { location: artifactLocation } } },
          results: {
            type: 'array',
            items: {
              type: 'object',
              required: ['message'],
              properties: { message, ruleId: { type: 'string' }, ruleIndex: { type: 'integer', minimum: -1 }, level, locations: { type: 'array', items: location } },
            },
          },
          invocations: {
            type: 'array',
            items: {
              type: 'object',
              required: ['executionSuccessful'],
              properties: {
                executionSuccessful: { type: 'boolean' },
                toolExecutionNotifications: { type: 'array', items: { type: 'object', required: ['message'], properties: { message, level, locations: { type: 'array', items: location } } } },
              },
            },
          },
          originalUriBaseIds: { type: 'object', additionalProperties: { type: 'object', properties: { uri: { type: 'string', format: 'uri' } } } },
          columnKind: { enum: ['utf16CodeUnits', 'unicodeCodePoints'] },
        },
      },
    },
  },
};
