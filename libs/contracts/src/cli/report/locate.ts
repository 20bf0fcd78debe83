import { parseTree, type Node } from 'jsonc-parser';
import type { MessageValidation } from '../../validate';
import type { LocatedViolation } from './report.types';

function unescape(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** The node at a JSON pointer, or the nearest ancestor that exists (a missing required property → its object). */
function nodeAt(root: Node, pointer: string): Node {
  let node = root;
  if (pointer === '') return node;
  for (const token of pointer.slice(1).split('/').map(unescape)) {
    let next: Node | undefined;
    if (node.type === 'object') {
      next = node.children?.find((property) => property.children?.[0]?.value === token)?.children?.[1];
    } else if (node.type === 'array' && /^(0|[1-9]\d*)$/.test(token)) {
      next = node.children?.[Number(token)];
    }
    if (!next) return node;
    node = next;
  }
  // Point at the property's key ("idNumber": …) rather than at its value.
  return node.parent?.type === 'property' ? node.parent : node;
}

/** Adds line/column (1-based) to each violation of a JSON document; a JWS is one line. */
export function locateViolations(text: string, result: MessageValidation): LocatedViolation[] {
  if (result.violations.length === 0) return [];
  if (result.kind === 'jws' || result.payloadPointer === null) return result.violations.map((v) => ({ ...v, line: 1, column: 1 }));
  const root = parseTree(text, [], { allowTrailingComma: false, disallowComments: true });
  if (!root) return result.violations.map((v) => ({ ...v, line: 1, column: 1 }));
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const position = (offset: number): { line: number; column: number } => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - lineStarts[lo] + 1 };
  };
  return result.violations.map((v) => {
    const documentPointer = v.target === 'payload' ? `${result.payloadPointer}${v.pointer}` : v.target === 'envelope' ? v.pointer : '';
    return { ...v, ...position(nodeAt(root, documentPointer).offset) };
  });
}
