import { ProvisionDemoStaffUseCase, type ProvisionedAccount } from '@tongban/cases';
import { residentIdCheckCharacter } from '@tongban/config';
import { decodeEnvelope } from '@tongban/envelope';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Agent, fetch } from 'undici';
import { consoleSession } from '../support/console';
import { Stack, createTestDatabase, eventually, startStack, uniquePrefix } from '../support/harness';

/** 收件 in the console on PostgreSQL and RabbitMQ: scans uploaded, checks at the window, the signed submission, the receipt. */
describe('desk console: collecting a case for a partner (收件)', () => {
  let stack: Stack;
  let db: { url: string; drop(): Promise<void> };
  let accounts: ProvisionedAccount[];
  let dispatcher: Agent;
  const sessions = new Map<string, { cookie: string; csrf: string }>();
  const query = (sql: string, params: unknown[] = []) => stack.runtime.database.dataSource.query(sql, params);

  beforeAll(async () => {
    db = await createTestDatabase();
    stack = await startStack({ databaseUrl: db.url, amqpPrefix: uniquePrefix('intake') });
    accounts = await stack.gateway.partnerApp.get(ProvisionDemoStaffUseCase).execute();
    dispatcher = new Agent({ connect: { ca: readFileSync(stack.config.pki.caCert) } });
  });
  afterAll(async () => {
    await dispatcher?.close();
    await stack?.stop();
    await db?.drop();
  });

  async function session(district: string) {
    const known = sessions.get(district);
    if (known) return known;
    const s = await consoleSession(stack.gateway.consoleUrl, dispatcher, accounts.find((x) => x.district === district)!);
    sessions.set(district, s);
    return s;
  }

  async function post(district: string, path: string, body: unknown) {
    const s = await session(district);
    const response = await fetch(`${stack.gateway.consoleUrl}${path}`, {
      method: 'POST',
      dispatcher,
      headers: { 'content-type': 'application/json', cookie: s.cookie, 'x-csrf-token': s.csrf },
      body: JSON.stringify(body),
    });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- problem+json and receipts, read field by field below
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  }

  /** A valid GB 11643 number for a fictitious person born 1990-03-07 in Huizhou. */
  const residentId = (() => {
    const first17 = '44130219900307123';
    return first17 + residentIdCheckCharacter(first17);
  })();
  const application = (overrides: Record<string, unknown> = {}) => ({
    partner: '440303',
    itemCode: '440000-GA-000120017000', // 无犯罪记录证明
    applicant: { kind: 'NATURAL_PERSON', familyName: '李', givenName: '小明', idType: '111', idNumber: residentId, mobile: '13912345678' },
    materials: [{ code: 'NCR-01', form: 'COPY', count: 1 }],
    ...overrides,
  });

  let scan: { digest: string; size: number; mediaType: string; name: string };

  it('uploads a scan with the CSRF token, as the district', async () => {
    const s = await session('HZ-ZHONGKAI');
    const bytes = Buffer.from('%PDF-1.4 scanned application form\n');
    const upload = (csrf?: string) =>
      fetch(`${stack.gateway.consoleUrl}/console/api/materials`, {
        method: 'POST',
        dispatcher,
        headers: { cookie: s.cookie, 'content-type': 'application/pdf', 'x-tongban-file-name': encodeURIComponent('申请表.pdf'), ...(csrf ? { 'x-csrf-token': csrf } : {}) },
        body: bytes,
      });
    expect((await upload()).status).toBe(403);
    const response = await upload(s.csrf);
    expect(response.status).toBe(201);
    scan = (await response.json()) as typeof scan;
    expect(scan).toEqual({
      digest: `sha256:${createHash('sha256').update(bytes).digest('hex')}`,
      size: bytes.length,
      mediaType: 'application/pdf',
      name: '申请表.pdf',
    });
  });

  it('refuses an application the window must not send, naming each field, and keeps nothing', async () => {
    const before = await query(`SELECT count(*)::int AS n FROM cases`);
    const badId = residentId.slice(0, 17) + (residentId[17] === '0' ? '1' : '0');
    const refused = await post('HZ-ZHONGKAI', '/console/api/cases', application({
      applicant: { kind: 'NATURAL_PERSON', familyName: '李', givenName: '小明', idType: '111', idNumber: badId },
      materials: [{ code: 'NCR-03', form: 'ORIGINAL', count: 1 }],
    }));
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('INTAKE_INVALID');
    expect(refused.body.problems.map((p: { field: string }) => p.field).sort()).toEqual(['applicant.idNumber', 'materials.NCR-01', 'originalsMailed.waybillNumber']);
    const uscc = await post('HZ-ZHONGKAI', '/console/api/cases', application({
      itemCode: '440000-SJ-000101002000',
      applicant: { kind: 'LEGAL_PERSON', organizationName: '惠州某科技有限公司', legalRepresentative: { name: '王五' }, idType: '001', idNumber: '91441300MA4UXXXX0X' },
    }));
    expect(uscc.status).toBe(422);
    expect(uscc.body.problems).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'applicant.idNumber', message: expect.stringContaining('GB 32100') })]));
    // Not a partner of this item: refused before anything is numbered.
    expect((await post('HZ-ZHONGKAI', '/console/api/cases', application({ partner: '440306' }))).body.code).toBe('NOT_IN_AGREEMENT');
    // What the contract itself refuses is found before numbering too, at the field it names.
    const contract = await post('HZ-ZHONGKAI', '/console/api/cases', application({
      applicant: { kind: 'NATURAL_PERSON', familyName: '李', givenName: ' ', idType: '111', idNumber: residentId, mobile: '12345' },
      mailing: { address: '深圳市罗湖区某路1号', postcode: '51800' },
    }));
    expect(contract.status).toBe(422);
    expect(contract.body.problems.map((p: { field: string }) => p.field).sort()).toEqual(['applicant.givenName', 'applicant.mobile', 'mailing.postcode']);
    expect(await query(`SELECT count(*)::int AS n FROM cases`)).toEqual(before);
    expect(await query(`SELECT count(*)::int AS n FROM intake_serials`)).toEqual([{ n: 0 }]); // no case number used up
    const audited = await query(`SELECT result FROM staff_audit WHERE action = 'case.collect' ORDER BY id`);
    expect(audited.map((r: { result: string }) => r.result)).toEqual(['INTAKE_INVALID', 'INTAKE_INVALID', 'NOT_IN_AGREEMENT', 'INTAKE_INVALID']);
  });

  it('numbers the case, sends the signed submission, gives the receipt and the query password; the partner receives it', async () => {
    const collected = await post('HZ-ZHONGKAI', '/console/api/cases', application({
      materials: [
        { code: 'NCR-01', form: 'ELECTRONIC', count: 1, file: scan },
        { code: 'NCR-03', form: 'ORIGINAL', count: 1 },
      ],
      originalsMailed: { waybillNumber: 'EMS1234567890', carrier: 'EMS' },
      mailing: { address: '深圳市罗湖区某路1号', postcode: '518000' },
    }));
    expect(collected.status).toBe(201);
    const day = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10).replace(/-/g, '');
    const { caseNumber, queryPassword, receipt, intake } = collected.body;
    expect(caseNumber).toMatch(new RegExp(`^HZ-ZHONGKAI-${day}-\\d{6}$`));
    expect(queryPassword).toMatch(/^\d{6}$/);
    expect(receipt).toMatch(/^ey[\w-]+\.[\w-]+\.[\w-]+$/); // the gateway's signed receipt (compact JWS)
    expect(intake).toMatchObject({
      caseNumber,
      partner: { id: '440303' },
      item: { code: '440000-GA-000120017000' },
      materials: [expect.objectContaining({ code: 'NCR-01', form: 'ELECTRONIC', scanned: true }), expect.objectContaining({ code: 'NCR-03', form: 'ORIGINAL' })],
      originalsMailed: { waybillNumber: 'EMS1234567890', carrier: 'EMS' },
      resultByMail: true,
    });
    expect(new Date(intake.expectedBy).getTime()).toBeGreaterThan(Date.now());

    // Luohu's system pulls the submission signed by Zhongkai: only the password's digest travels.
    const arrived = await eventually(async () => (await stack.client('440303').pull()).body.items.find((i) => i.caseNumber === caseNumber));
    expect(arrived).toMatchObject({ sender: 'HZ-ZHONGKAI', messageType: 'case.submission', messageId: collected.body.messageId });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the submission payload, read field by field below
    const payload = decodeEnvelope(arrived.envelope).body.payload as Record<string, any>;
    expect(arrived.envelope + (arrived.conversion ?? '')).not.toContain(queryPassword);
    expect(payload.intakeReceipt).toEqual({ number: caseNumber, queryPasswordDigest: `sha256:${createHash('sha256').update(`${caseNumber}:${queryPassword}`).digest('hex')}` });
    expect(payload.applicant).toMatchObject({ idNumber: residentId });
    expect(payload.materials[0].file).toEqual(scan);
    // The partner may download the scan now that the case references it.
    const download = await stack.client('440303').downloadMaterial(scan.digest, caseNumber);
    expect(download.status).toBe(200);
    download.body.resume();
    // The case page names who collected it, the receipt's digest, and its ledger entry once a checkpoint covers it.
    const s = await session('HZ-ZHONGKAI');
    const timeline = await eventually(async () => {
      const view = await fetch(`${stack.gateway.consoleUrl}/console/api/cases/${caseNumber}`, { dispatcher, headers: { cookie: s.cookie } });
      const body = (await view.json()) as { timeline: Array<{ messageType: string; officer: string; receiptDigest: string; ledger: { status: string; leafIndex: number } }> };
      return body.timeline[0].ledger?.status === 'CHECKPOINTED' ? body.timeline : undefined;
    });
    expect(timeline[0]).toMatchObject({ messageType: 'case.submission', officer: intake.officer, receiptDigest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/), ledger: { leafIndex: expect.any(Number) } });
    const next = await post('HZ-ZHONGKAI', '/console/api/cases', application());
    expect(next.body.caseNumber).toBe(caseNumber.replace(/\d{6}$/, (n: string) => String(Number(n) + 1).padStart(6, '0')));
    const audited = await query(`SELECT target, result FROM staff_audit WHERE action = 'case.collect' AND result = 'OK' ORDER BY id`);
    expect(audited).toEqual([{ target: caseNumber, result: 'OK' }, { target: next.body.caseNumber, result: 'OK' }]);
  });
});
