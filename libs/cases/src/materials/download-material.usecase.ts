import { Injectable } from '@nestjs/common';
import type { Readable } from 'node:stream';
import { CaseError, CaseErrorCode } from '../case-error';
import { MaterialContentStore, MaterialRecord, MaterialsStore } from '../ports/materials.port';
import { normaliseMaterialDigest } from './material-digest';

/**
 * A material's bytes for a district that may read them: one that uploaded them, or a party to a case
 * whose accepted messages reference them (that case, when `caseNumber` is given).
 */
@Injectable()
export class DownloadMaterialUseCase {
  constructor(
    private readonly materials: MaterialsStore,
    private readonly content: MaterialContentStore,
  ) {}

  async execute(district: string, digestParam: string, caseNumber: string | null): Promise<{ material: MaterialRecord; content: Readable }> {
    const digest = normaliseMaterialDigest(digestParam);
    const material = digest ? await this.materials.find(digest) : null;
    if (!digest || !material) throw new CaseError(CaseErrorCode.MATERIAL_NOT_FOUND, `No material ${digestParam}.`);
    if (!(await this.materials.mayRead(digest, district, caseNumber))) {
      throw new CaseError(
        CaseErrorCode.NOT_A_PARTY,
        caseNumber === null
          ? `Only the uploader of material ${digest} and the districts of a case whose messages reference it may download it.`
          : `Material ${digest} is not referenced by a message of case ${caseNumber}, or you are not a party to that case.`,
      );
    }
    const content = await this.content.open(digest);
    if (!content) {
      throw new CaseError(CaseErrorCode.MATERIAL_NOT_FOUND, `Material ${digest} is recorded but its content is not in the ${this.content.kind} store; upload it again.`);
    }
    return { material, content };
  }
}
