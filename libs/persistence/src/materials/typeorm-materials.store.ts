import { MaterialAvailability, MaterialRecord, MaterialsStore, digestHex } from '@tongban/cases';
import { DataSource } from 'typeorm';

type Row = Record<string, unknown>;

/** Metadata of materials and who may read them, on PostgreSQL (plain SQL, like the HandoffStore). */
export class TypeOrmMaterialsStore extends MaterialsStore {
  constructor(private readonly db: DataSource) {
    super();
  }

  /** Material and uploader in one statement (the uploader row's foreign key is checked at its end, when the material row exists). */
  async record(m: MaterialRecord): Promise<void> {
    await this.db.query(
      `WITH material AS (
         INSERT INTO materials (sha256, size, media_type, name, uploaded_by, uploaded_at) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (sha256) DO NOTHING)
       INSERT INTO material_uploaders (sha256, district, first_uploaded_at) VALUES ($1, $5, $6) ON CONFLICT DO NOTHING`,
      [digestHex(m.digest), m.size, m.mediaType, m.name, m.uploadedBy, m.uploadedAt],
    );
  }

  async find(digest: string): Promise<MaterialRecord | null> {
    const rows: Row[] = await this.db.query(`SELECT * FROM materials WHERE sha256 = $1`, [digestHex(digest)]);
    return rows.length ? toRecord(rows[0]) : null;
  }

  async availability(digests: readonly string[], district: string): Promise<Map<string, MaterialAvailability>> {
    if (digests.length === 0) return new Map();
    const rows: Row[] = await this.db.query(
      `SELECT m.sha256, m.size,
              EXISTS (SELECT 1 FROM material_uploaders u WHERE u.sha256 = m.sha256 AND u.district = $2)
              OR EXISTS (SELECT 1 FROM material_cases mc JOIN cases c USING (case_number)
                         WHERE mc.sha256 = m.sha256 AND $2 IN (c.collecting_district, c.approving_district)) AS readable
       FROM materials m WHERE m.sha256 = ANY($1::text[])`,
      [digests.map(digestHex), district],
    );
    return new Map(rows.map((r) => [`sha256:${r.sha256 as string}`, { size: Number(r.size), readable: r.readable === true }]));
  }

  async mayRead(digest: string, district: string, caseNumber: string | null): Promise<boolean> {
    const [{ allowed }] = await this.db.query(
      `SELECT EXISTS (SELECT 1 FROM material_uploaders WHERE sha256 = $1 AND district = $2)
              OR EXISTS (SELECT 1 FROM material_cases mc JOIN cases c USING (case_number)
                         WHERE mc.sha256 = $1 AND ($3::text IS NULL OR mc.case_number = $3)
                           AND $2 IN (c.collecting_district, c.approving_district)) AS allowed`,
      [digestHex(digest), district, caseNumber],
    );
    return allowed === true;
  }
}

function toRecord(r: Row): MaterialRecord {
  return {
    digest: `sha256:${r.sha256 as string}`,
    size: Number(r.size),
    mediaType: r.media_type as string,
    name: r.name as string,
    uploadedBy: r.uploaded_by as string,
    uploadedAt: r.uploaded_at as Date,
  };
}
