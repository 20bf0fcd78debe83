import { Injectable } from '@nestjs/common';
import { CaseError, CaseErrorCode } from '../case-error';
import { MaterialsStore } from '../ports/materials.port';
import { findMaterialReferences } from './material-references';

export interface MissingMaterial {
  pointer: string;
  digest: string;
  reason: 'NOT_STORED' | 'SIZE_DIFFERS';
  /** The size the envelope declares. */
  size: number;
  /** The stored size (SIZE_DIFFERS only). */
  storedSize?: number;
}

/**
 * Before a message is accepted: every material its payload references must be stored, with the
 * declared size, and readable by the sender (uploaded by it, or part of a case of its own). A material
 * the sender may not read is reported as not stored, so a digest learned elsewhere reveals nothing and
 * cannot be used to pass someone else's file into a case. Returns the distinct digests, to link to the
 * case in the transaction that accepts the message (HandoffStore.commitAccepted).
 */
@Injectable()
export class CheckMaterialReferencesUseCase {
  constructor(private readonly materials: MaterialsStore) {}

  async execute(payload: unknown, sender: string): Promise<string[]> {
    const references = findMaterialReferences(payload);
    if (references.length === 0) return [];
    const digests = [...new Set(references.map((r) => r.digest))];
    const stored = await this.materials.availability(digests, sender);
    const missing: MissingMaterial[] = [];
    for (const r of references) {
      const found = stored.get(r.digest);
      if (!found || !found.readable) missing.push({ pointer: r.pointer, digest: r.digest, reason: 'NOT_STORED', size: r.size });
      else if (found.size !== r.size) missing.push({ pointer: r.pointer, digest: r.digest, reason: 'SIZE_DIFFERS', size: r.size, storedSize: found.size });
    }
    if (missing.length > 0) {
      const list = missing.map((m) => `${m.pointer} ${m.digest} (${m.reason === 'NOT_STORED' ? 'not stored, or not yours to use' : `size ${m.size}, stored ${m.storedSize}`})`);
      throw new CaseError(
        CaseErrorCode.MATERIAL_MISSING,
        `Upload every referenced material (POST /v1/materials) before sending the message; refused references: ${list.join('; ')}.`,
        { materials: missing },
      );
    }
    return digests;
  }
}
