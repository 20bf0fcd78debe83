import type { Artifact, Location, Log, Notification, ReportingDescriptor, Result } from 'sarif';
import { pathToFileURL } from 'node:url';
import { formatContract, where, type LocatedViolation, type ValidationRun } from './report.types';

const SRCROOT = '%SRCROOT%';

const RULE_TEXT: Record<string, string> = {
  syntax: 'The message is neither JSON nor a compact JWS.',
  envelope: 'The envelope (JWS structure or envelope body fields) is malformed.',
  header: 'The JWS protected header is not a Tongban envelope header (alg, kid, typ, ctr).',
  canonical: 'The JWS payload is not RFC 8785 canonical JSON.',
};

/** `contract/<keyword>` for schema keywords (required, pattern, …), `envelope/<keyword>` otherwise. */
function ruleId(v: LocatedViolation): string {
  return v.target === 'payload' ? `contract/${v.keyword}` : `envelope/${v.keyword}`;
}

function ruleFor(id: string): ReportingDescriptor {
  const [group, keyword] = id.split('/');
  const text = group === 'contract' ? `The payload breaks the contract schema's "${keyword}" keyword.` : (RULE_TEXT[keyword] ?? `Envelope check "${keyword}" failed.`);
  return { id, name: keyword, shortDescription: { text }, defaultConfiguration: { level: 'error' } };
}

/** A relative path as a URI reference (RFC 3986): each segment percent-encoded. */
function uriOf(file: string): string {
  return file.split('/').map(encodeURIComponent).join('/');
}

/**
 * SARIF 2.1.0 (OASIS): one run of the driver `tongban-contracts`, one `result` per violation with
 * the file as artifact location (relative to %SRCROOT%, the working directory) and the line of the
 * offending value; files that could not be validated are tool execution notifications and make
 * the invocation unsuccessful.
 */
export function formatSarif(run: ValidationRun): string {
  const artifacts: Artifact[] = [];
  const artifactIndex = new Map<string, number>();
  const rules: ReportingDescriptor[] = [];
  const ruleIndex = new Map<string, number>();
  const results: Result[] = [];
  const notifications: Notification[] = [];

  const artifact = (file: string): number => {
    let index = artifactIndex.get(file);
    if (index === undefined) {
      index = artifacts.length;
      artifacts.push({ location: { uri: uriOf(file), uriBaseId: SRCROOT } });
      artifactIndex.set(file, index);
    }
    return index;
  };
  const location = (file: string, line?: number, column?: number): Location => ({
    physicalLocation: {
      artifactLocation: { uri: uriOf(file), uriBaseId: SRCROOT, index: artifact(file) },
      region: { startLine: line ?? 1, ...(column !== undefined ? { startColumn: column } : {}) },
    },
  });

  for (const file of run.files) {
    const stdin = file.file === '<stdin>'; // no artifact to point at
    if (file.error !== undefined) {
      notifications.push({ level: 'error', message: { text: `${file.file}: ${file.error}` }, ...(stdin ? {} : { locations: [location(file.file)] }) });
      continue;
    }
    for (const v of file.violations) {
      const id = ruleId(v);
      let index = ruleIndex.get(id);
      if (index === undefined) {
        index = rules.length;
        rules.push(ruleFor(id));
        ruleIndex.set(id, index);
      }
      const loc: Location = stdin ? {} : location(file.file, v.line, file.kind === 'jws' ? undefined : v.column);
      loc.logicalLocations = [{ fullyQualifiedName: where(v), kind: 'member' }];
      results.push({
        ruleId: id,
        ruleIndex: index,
        level: 'error',
        message: { text: `${formatContract(file.contract)} ${where(v)}: ${v.message}` },
        locations: [loc],
        properties: { contract: formatContract(file.contract), target: v.target, pointer: v.pointer, keyword: v.keyword },
      });
    }
  }

  const log: Log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'tongban-contracts', version: run.toolVersion, semanticVersion: run.toolVersion, rules } },
        originalUriBaseIds: { [SRCROOT]: { uri: pathToFileURL(`${run.cwd.replace(/\/?$/, '/')}`).href } },
        artifacts,
        results,
        invocations: [{ executionSuccessful: notifications.length === 0, toolExecutionNotifications: notifications }],
        columnKind: 'utf16CodeUnits',
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
