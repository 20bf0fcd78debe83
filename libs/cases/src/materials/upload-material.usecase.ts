import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { CaseError, CaseErrorCode } from '../case-error';
import { Clock } from '../ports/clock.port';
import { MaterialContentStore, MaterialsPolicy, MaterialsStore, StagedMaterial } from '../ports/materials.port';

export interface UploadMaterialCommand {
  uploader: string;
  /** The bytes as they arrive; read once, one chunk at a time. */
  content: AsyncIterable<Uint8Array>;
  /** Content-Length when the client sent one: refused at once when over the limit. */
  declaredBytes: number | null;
  mediaType: string;
  name: string;
  /** `sha256:<hex>` the uploader expects (x-tongban-sha256); the upload is refused when the bytes differ. */
  expectedDigest: string | null;
}

/** What to put in an envelope's file reference. */
export interface MaterialReferenceView {
  digest: string;
  size: number;
  mediaType: string;
  name: string;
}

/**
 * Streams an upload into the content store while hashing it: never more than a chunk in memory.
 * Past `materials.maxBytes`, or when the bytes do not hash to the declared digest, the staged copy is
 * dropped and nothing is kept. The same bytes uploaded again (by anyone) land on the same digest and
 * are stored once; the answer does not tell whether they were stored before.
 */
@Injectable()
export class UploadMaterialUseCase {
  constructor(
    private readonly policy: MaterialsPolicy,
    private readonly content: MaterialContentStore,
    private readonly materials: MaterialsStore,
    private readonly clock: Clock,
  ) {}

  async execute(cmd: UploadMaterialCommand): Promise<MaterialReferenceView> {
    const max = this.policy.maxBytes;
    if (cmd.declaredBytes !== null && cmd.declaredBytes > max) throw tooLarge(max, cmd.declaredBytes);
    const staged = await this.content.stage();
    let digest: string;
    let size = 0;
    try {
      const hash = createHash('sha256');
      for await (const chunk of cmd.content) {
        size += chunk.byteLength;
        if (size > max) throw tooLarge(max, null);
        hash.update(chunk);
        await staged.write(chunk);
      }
      digest = `sha256:${hash.digest('hex')}`;
      if (cmd.expectedDigest !== null && cmd.expectedDigest !== digest) {
        throw new CaseError(CaseErrorCode.MATERIAL_DIGEST_MISMATCH, `The ${size} bytes received hash to ${digest}, not to the declared ${cmd.expectedDigest}; nothing was kept. Send the file again.`, {
          declared: cmd.expectedDigest,
          received: digest,
          size,
        });
      }
      await staged.commit(digest);
    } catch (error) {
      await discardQuietly(staged);
      throw error;
    }
    await this.materials.record({ digest, size, mediaType: cmd.mediaType, name: cmd.name, uploadedBy: cmd.uploader, uploadedAt: this.clock.now() });
    return { digest, size, mediaType: cmd.mediaType, name: cmd.name };
  }
}

function tooLarge(max: number, declared: number | null): CaseError {
  return new CaseError(
    CaseErrorCode.PAYLOAD_TOO_LARGE,
    `${declared === null ? 'The material exceeds' : `The material's declared ${declared} bytes exceed`} the limit of ${max} bytes (materials.maxBytes); nothing was kept.`,
    { maxBytes: max },
  );
}

async function discardQuietly(staged: StagedMaterial): Promise<void> {
  try {
    await staged.discard();
  } catch {
    // the original error matters more; a leftover staged copy is never visible under a digest
  }
}
