import type { Readable } from 'node:stream';

/** What the gateway knows of a stored material (the bytes are in the MaterialContentStore). */
export interface MaterialRecord {
  /** `sha256:<64 lowercase hex>`, as envelopes reference it. */
  digest: string;
  size: number;
  /** Media type given by the first uploader. */
  mediaType: string;
  /** File name given by the first uploader. */
  name: string;
  /** District of the first upload. */
  uploadedBy: string;
  uploadedAt: Date;
}

/** Size of a stored material, and whether a given district may read it. */
export interface MaterialAvailability {
  size: number;
  readable: boolean;
}

/**
 * Metadata of materials and who may read them: every district that uploaded the bytes, and the
 * two districts of every case whose accepted messages reference them. Digests are `sha256:<hex>`.
 */
export abstract class MaterialsStore {
  /** Records a completed upload: the material (first upload wins its media type and name) and this uploader. Idempotent. */
  abstract record(upload: MaterialRecord): Promise<void>;
  abstract find(digest: string): Promise<MaterialRecord | null>;
  /** The stored ones among `digests`, each with whether `district` may read it (uploader, or party to a linked case). */
  abstract availability(digests: readonly string[], district: string): Promise<Map<string, MaterialAvailability>>;
  /**
   * Whether `district` uploaded the material or is a party to a case linked to it (to `caseNumber`
   * only, when given).
   */
  abstract mayRead(digest: string, district: string, caseNumber: string | null): Promise<boolean>;
}

/** An upload being written: nothing is visible under a digest until commit(). */
export interface StagedMaterial {
  /** Resolves once the chunk is handed on (backpressure: the next chunk is read only then). */
  write(chunk: Uint8Array): Promise<void>;
  /**
   * Makes the staged bytes the content of `digest` (computed by the caller over exactly the
   * written bytes). When that content is stored already, the staged copy is dropped: stored once.
   */
  commit(digest: string): Promise<void>;
  /** Drops the staged bytes. Safe to call after a failed write or twice. */
  discard(): Promise<void>;
}

/** Where the bytes live, content-addressed by SHA-256: a directory, or PostgreSQL (config `materials.store`). */
export abstract class MaterialContentStore {
  abstract readonly kind: 'directory' | 'postgres';
  abstract stage(): Promise<StagedMaterial>;
  /** The content as a stream, read as it is sent; null when the store holds no such content. */
  abstract open(digest: string): Promise<Readable | null>;
  abstract has(digest: string): Promise<boolean>;
}

/** The configured limits of uploads; provided once at boot. */
export abstract class MaterialsPolicy {
  abstract readonly maxBytes: number;
}
