import { CaseError, CaseErrorCode } from '../case-error';
import { MATERIAL_DIGEST_PATTERN } from './material-digest';

/** One file reference in a payload: `{ digest, size, mediaType, name }` at `pointer` (RFC 6901). */
export interface MaterialReference {
  pointer: string;
  digest: string;
  size: number;
  mediaType?: string;
  name?: string;
}

const escapePointer = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * A file reference is any object with a `digest` string in the `sha256:` form and a `size`, wherever
 * it sits in the payload (so every contract, present and future, is covered without a list of paths).
 * An object with a `sha256:` digest and a `size` that is not a whole number of bytes, or a digest not
 * in the exact form, is a broken reference: refused as MATERIAL_MISSING, since nothing stored matches it.
 */
export function findMaterialReferences(payload: unknown): MaterialReference[] {
  const found: MaterialReference[] = [];
  const broken: { pointer: string; reason: string }[] = [];
  const walk = (node: unknown, pointer: string): void => {
    if (Array.isArray(node)) {
      node.forEach((child, i) => walk(child, `${pointer}/${i}`));
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    if (typeof o.digest === 'string' && o.digest.startsWith('sha256:') && 'size' in o) {
      if (!MATERIAL_DIGEST_PATTERN.test(o.digest)) {
        broken.push({ pointer, reason: 'digest is not sha256:<64 lowercase hex>' });
      } else if (typeof o.size !== 'number' || !Number.isSafeInteger(o.size) || o.size < 0) {
        broken.push({ pointer, reason: 'size is not a whole number of bytes' });
      } else {
        found.push({
          pointer,
          digest: o.digest,
          size: o.size,
          ...(typeof o.mediaType === 'string' ? { mediaType: o.mediaType } : {}),
          ...(typeof o.name === 'string' ? { name: o.name } : {}),
        });
      }
    }
    for (const [key, child] of Object.entries(o)) walk(child, `${pointer}/${escapePointer(key)}`);
  };
  walk(payload, '');
  if (broken.length > 0) {
    throw new CaseError(CaseErrorCode.MATERIAL_MISSING, `The payload has ${broken.length} broken material reference(s): ${broken.map((b) => `${b.pointer || '/'} (${b.reason})`).join(', ')}.`, {
      materials: broken.map((b) => ({ pointer: b.pointer, reason: 'MALFORMED', detail: b.reason })),
    });
  }
  return found;
}

/**
 * The distinct digests (`sha256:<hex>`, in order of first appearance) of every file reference in a
 * payload; throws CaseError MATERIAL_MISSING on a broken reference. What accept-message links to the case.
 */
export function assertReferencedMaterials(payload: unknown): string[] {
  return [...new Set(findMaterialReferences(payload).map((r) => r.digest))];
}
