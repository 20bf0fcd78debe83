import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { CaseError, CaseErrorCode } from '../case-error';
import { Clock } from '../ports/clock.port';
import { MaterialAvailability, MaterialContentStore, MaterialRecord, MaterialsStore, StagedMaterial } from '../ports/materials.port';
import { CheckMaterialReferencesUseCase } from './check-material-references.usecase';
import { DownloadMaterialUseCase } from './download-material.usecase';
import { normaliseMaterialDigest } from './material-digest';
import { assertReferencedMaterials, findMaterialReferences } from './material-references';
import { UploadMaterialUseCase } from './upload-material.usecase';

const sha = (bytes: string | Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
const D1 = `sha256:${'a'.repeat(64)}`;
const D2 = `sha256:${'b'.repeat(64)}`;

class MemoryContent extends MaterialContentStore {
  readonly kind = 'directory' as const;
  readonly files = new Map<string, Buffer>();
  staged = 0;
  async stage(): Promise<StagedMaterial> {
    const parts: Buffer[] = [];
    this.staged += 1;
    return {
      write: async (chunk) => void parts.push(Buffer.from(chunk)),
      commit: async (digest) => {
        if (!this.files.has(digest)) this.files.set(digest, Buffer.concat(parts));
        this.staged -= 1;
      },
      discard: async () => void (this.staged -= 1),
    };
  }
  async open(digest: string) {
    const bytes = this.files.get(digest);
    return bytes ? Readable.from([bytes]) : null;
  }
  async has(digest: string) {
    return this.files.has(digest);
  }
}

class MemoryMaterials extends MaterialsStore {
  readonly records = new Map<string, MaterialRecord>();
  readonly uploaders = new Set<string>();
  readonly links = new Map<string, { caseNumber: string; parties: string[] }[]>();
  async record(m: MaterialRecord) {
    if (!this.records.has(m.digest)) this.records.set(m.digest, m);
    this.uploaders.add(`${m.digest}|${m.uploadedBy}`);
  }
  async find(digest: string) {
    return this.records.get(digest) ?? null;
  }
  async availability(digests: readonly string[], district: string) {
    const out = new Map<string, MaterialAvailability>();
    for (const d of digests) {
      const r = this.records.get(d);
      if (r) out.set(d, { size: r.size, readable: await this.mayRead(d, district, null) });
    }
    return out;
  }
  async mayRead(digest: string, district: string, caseNumber: string | null) {
    if (this.uploaders.has(`${digest}|${district}`)) return true;
    return (this.links.get(digest) ?? []).some((l) => (caseNumber === null || l.caseNumber === caseNumber) && l.parties.includes(district));
  }
  async linkToCase(digest: string, caseNumber: string) {
    if (!this.records.has(digest)) return false;
    this.links.set(digest, [...(this.links.get(digest) ?? []), { caseNumber, parties: ['A', 'B'] }]);
    return true;
  }
}

const clock: Clock = { now: () => new Date('2026-03-02T01:00:00Z') };

async function refusal(run: () => Promise<unknown>): Promise<CaseError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof CaseError) return error;
    throw error;
  }
  throw new Error('expected a CaseError');
}

async function* chunksOf(bytes: Buffer, size = 7): AsyncGenerator<Buffer> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

describe('material references in a payload', () => {
  it('finds every object with a sha256 digest and a size, anywhere, with its JSON pointer', () => {
    const payload = {
      intakeReceipt: { queryPasswordDigest: D2 },
      materials: [
        { code: 'M001', file: { digest: D1, size: 10, mediaType: 'application/pdf', name: 'a.pdf' } },
        { code: 'M002' },
        { code: 'M/3', extra: { 'we~ird': { digest: D2, size: 0 } } },
      ],
      result: { file: { digest: D1, size: 10, mediaType: 'application/pdf', name: 'again.pdf' } },
      notAReference: { digest: 'sha1:abc', size: 3 },
    };
    expect(findMaterialReferences(payload)).toEqual([
      { pointer: '/materials/0/file', digest: D1, size: 10, mediaType: 'application/pdf', name: 'a.pdf' },
      { pointer: '/materials/2/extra/we~0ird', digest: D2, size: 0 },
      { pointer: '/result/file', digest: D1, size: 10, mediaType: 'application/pdf', name: 'again.pdf' },
    ]);
    expect(assertReferencedMaterials(payload)).toEqual([D1, D2]);
    expect(assertReferencedMaterials({ applicant: { name: '张三' } })).toEqual([]);
  });

  it.each([
    ['upper-case hex', { digest: `sha256:${'A'.repeat(64)}`, size: 1 }],
    ['short digest', { digest: 'sha256:abc', size: 1 }],
    ['fractional size', { digest: D1, size: 1.5 }],
    ['negative size', { digest: D1, size: -1 }],
    ['size as text', { digest: D1, size: '10' }],
  ])('refuses a broken reference (%s) as MATERIAL_MISSING with its pointer', async (_what, file) => {
    const error = await refusal(async () => assertReferencedMaterials({ materials: [{ file }] }));
    expect(error.code).toBe(CaseErrorCode.MATERIAL_MISSING);
    expect(error.detail).toMatchObject({ materials: [{ pointer: '/materials/0/file', reason: 'MALFORMED' }] });
  });
});

describe('materials use cases', () => {
  let content: MemoryContent;
  let materials: MemoryMaterials;
  let upload: UploadMaterialUseCase;
  const base = { uploader: 'A', mediaType: 'application/pdf', name: '申请书.pdf', expectedDigest: null, declaredBytes: null };

  beforeEach(() => {
    content = new MemoryContent();
    materials = new MemoryMaterials();
    upload = new UploadMaterialUseCase({ maxBytes: 100 }, content, materials, clock);
  });

  it('hashes while streaming, stores once, and answers the reference', async () => {
    const bytes = Buffer.from('x'.repeat(64));
    const first = await upload.execute({ ...base, content: chunksOf(bytes) });
    expect(first).toEqual({ digest: sha(bytes), size: 64, mediaType: 'application/pdf', name: '申请书.pdf' });
    const again = await upload.execute({ ...base, uploader: 'C', name: 'copy.pdf', content: chunksOf(bytes, 5) });
    expect(again.digest).toBe(first.digest);
    expect(content.files.size).toBe(1);
    expect(content.staged).toBe(0);
    expect(materials.records.get(first.digest)).toMatchObject({ uploadedBy: 'A', name: '申请书.pdf', uploadedAt: clock.now() });
    expect(await materials.mayRead(first.digest, 'C', null)).toBe(true);
  });

  it('refuses past maxBytes as soon as the stream passes it, reading no further, and keeps nothing', async () => {
    let read = 0;
    async function* endless() {
      for (;;) {
        read += 1;
        yield Buffer.alloc(30);
      }
    }
    const error = await refusal(() => upload.execute({ ...base, content: endless() }));
    expect(error.code).toBe(CaseErrorCode.PAYLOAD_TOO_LARGE);
    expect(error.detail).toEqual({ maxBytes: 100 });
    expect(read).toBe(4);
    expect(content.files.size + content.staged + materials.records.size).toBe(0);
  });

  it('refuses a declared Content-Length over the limit before reading anything', async () => {
    const error = await refusal(() => upload.execute({ ...base, declaredBytes: 101, content: chunksOf(Buffer.alloc(1)) }));
    expect(error.code).toBe(CaseErrorCode.PAYLOAD_TOO_LARGE);
    expect(content.staged).toBe(0);
  });

  it('refuses bytes that do not hash to the declared digest and keeps nothing', async () => {
    const error = await refusal(() => upload.execute({ ...base, expectedDigest: D1, content: chunksOf(Buffer.from('hello')) }));
    expect(error.code).toBe(CaseErrorCode.MATERIAL_DIGEST_MISMATCH);
    expect(error.detail).toMatchObject({ declared: D1, received: sha('hello'), size: 5 });
    expect(content.files.size + content.staged + materials.records.size).toBe(0);
  });

  it('checks references: stored, same size, readable by the sender; else MATERIAL_MISSING listing each', async () => {
    const stored = await upload.execute({ ...base, content: chunksOf(Buffer.from('scan')) });
    const check = new CheckMaterialReferencesUseCase(materials);
    const ref = (digest: string, size: number) => ({ file: { digest, size, mediaType: 'application/pdf', name: 'x.pdf' } });
    expect(await check.execute({ materials: [ref(stored.digest, 4), ref(stored.digest, 4)] }, 'A')).toEqual([stored.digest]);
    expect(await check.execute({ none: true }, 'A')).toEqual([]);

    const error = await refusal(() => check.execute({ materials: [ref(stored.digest, 5), ref(D2, 1)] }, 'A'));
    expect(error.code).toBe(CaseErrorCode.MATERIAL_MISSING);
    expect(error.detail).toEqual({
      materials: [
        { pointer: '/materials/0/file', digest: stored.digest, reason: 'SIZE_DIFFERS', size: 5, storedSize: 4 },
        { pointer: '/materials/1/file', digest: D2, reason: 'NOT_STORED', size: 1 },
      ],
    });
    // Someone else's material is "not stored" for a district that may not read it, whatever the size says.
    const foreign = await refusal(() => check.execute(ref(stored.digest, 5), 'C'));
    expect(foreign.detail).toEqual({ materials: [{ pointer: '/file', digest: stored.digest, reason: 'NOT_STORED', size: 5 }] });
    // Once linked to a case, its parties may reference it.
    await materials.linkToCase(stored.digest, 'CASE-1');
    expect(await check.execute(ref(stored.digest, 4), 'B')).toEqual([stored.digest]);
  });

  it('downloads for the uploader and the parties of a linked case only; 404 for an unknown digest', async () => {
    const stored = await upload.execute({ ...base, content: chunksOf(Buffer.from('scan')) });
    const download = new DownloadMaterialUseCase(materials, content);
    const hex = stored.digest.slice(7);
    const got = await download.execute('A', hex.toUpperCase(), null);
    expect(got.material.digest).toBe(stored.digest);
    expect(Buffer.concat(await got.content.toArray()).toString()).toBe('scan');
    expect((await refusal(() => download.execute('B', stored.digest, null))).code).toBe(CaseErrorCode.NOT_A_PARTY);
    await materials.linkToCase(stored.digest, 'CASE-1');
    expect((await download.execute('B', stored.digest, 'CASE-1')).material.size).toBe(4);
    expect((await refusal(() => download.execute('B', stored.digest, 'CASE-2'))).code).toBe(CaseErrorCode.NOT_A_PARTY);
    expect((await refusal(() => download.execute('A', D2, null))).code).toBe(CaseErrorCode.MATERIAL_NOT_FOUND);
    expect((await refusal(() => download.execute('A', 'not-a-digest', null))).code).toBe(CaseErrorCode.MATERIAL_NOT_FOUND);
  });

  it('normalises digests typed by people', () => {
    expect(normaliseMaterialDigest(` SHA256:${'A'.repeat(64)} `)).toBe(D1);
    expect(normaliseMaterialDigest('a'.repeat(63))).toBeNull();
  });
});
