import { formatContract, summary, where, type ValidationRun } from './report.types';

// XML 1.0 allows only these characters; anything else (C0 controls, lone surrogates) is dropped.
const NOT_XML_CHAR = /[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Text or attribute value: XML-escaped, with newlines and tabs kept as character references in attributes. */
function xml(text: string, attribute = false): string {
  const escaped = text.replace(NOT_XML_CHAR, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return attribute ? escaped.replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;') : escaped;
}

const seconds = (ms: number): string => (ms / 1000).toFixed(3);

/**
 * JUnit XML as Jenkins, GitLab, Azure DevOps and the common GitHub test-report actions read it
 * (testsuites > testsuite > testcase, with failure/error children): one testcase per file,
 * a `failure` listing its violations, an `error` when it could not be validated.
 */
export function formatJunit(run: ValidationRun, timestamp = new Date()): string {
  const s = summary(run);
  const time = seconds(run.durationMs);
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="tongban-contracts" tests="${s.total}" failures="${s.invalid}" errors="${s.errors}" time="${time}">`,
    `  <testsuite name="tongban-contracts validate" tests="${s.total}" failures="${s.invalid}" errors="${s.errors}" skipped="0" time="${time}" timestamp="${timestamp.toISOString().slice(0, 19)}">`,
  ];
  for (const file of run.files) {
    const open = `    <testcase name="${xml(file.file, true)}" classname="${xml(formatContract(file.contract), true)}" file="${xml(file.file, true)}" time="0">`;
    if (file.error !== undefined) {
      out.push(open, `      <error message="${xml(file.error, true)}" type="ToolError">${xml(file.error)}</error>`, '    </testcase>');
    } else if (!file.valid) {
      const count = file.violations.length;
      const message = `${count} violation${count === 1 ? '' : 's'} of ${formatContract(file.contract)}`;
      const body = file.violations.map((v) => `${v.line !== undefined && file.kind !== 'jws' ? `line ${v.line}: ` : ''}${where(v)}: ${v.message} [${v.keyword}]`).join('\n');
      out.push(open, `      <failure message="${xml(message, true)}" type="ContractViolation">${xml(body)}</failure>`, '    </testcase>');
    } else {
      out.push(open.replace(/>$/, ' />'));
    }
  }
  out.push('  </testsuite>', '</testsuites>', '');
  return out.join('\n');
}
