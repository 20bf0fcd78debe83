import type { Alliance } from '@tongban/config';
import { CONTRACT_ID_BY_TYPE, EnvelopeBody, SigningKey, signEnvelope } from '@tongban/envelope';
import { v7 as uuidv7 } from 'uuid';

/** Case number in the collecting hall's style: region, date, serial. Demo data only. */
export function demoCaseNumber(collecting: string, serial: number | string = Math.floor(Math.random() * 1e9)): string {
  const day = new Date().toISOString().slice(0, 10).replace(/-/g, '');
  return `${collecting}-${day}-${String(serial).padStart(9, '0')}-${uuidv7().slice(-6)}`;
}

/**
 * A realistic case-submission payload for an item covered between two districts: fictitious applicant
 * with a valid resident-ID check digit, the item's mandatory materials as digests.
 */
export function demoSubmissionPayload(
  alliance: Alliance,
  from: string,
  to: string,
  itemCode?: string,
  /** An uploaded material (POST /v1/materials) to attach as the first material's scan; without it the materials are paper copies. */
  file?: { digest: string; size: number; mediaType: string; name: string },
): Record<string, unknown> {
  const agreements = alliance.agreements.filter(
    (a) =>
      (a.collectingDistrict === from && a.approvingDistrict === to) ||
      (a.bidirectional && a.collectingDistrict === to && a.approvingDistrict === from),
  );
  const items = agreements.flatMap((a) => a.items);
  const item = (itemCode ? items.find((i) => i.implementationCode === itemCode || i.basicCode === itemCode) : items[0]) ?? undefined;
  if (!item) throw new Error(`No agreement lets ${from} collect ${itemCode ?? 'any item'} for ${to}`);
  const now = new Date().toISOString();
  const materials = item.materials.filter((m) => m.mandatory);
  return {
    item: { basicCode: item.basicCode, implementationCode: item.implementationCode, name: item.name },
    caseType: '2',
    mode: agreements[0].mode,
    applicant: { kind: 'NATURAL_PERSON', name: '张三', idType: '111', idNumber: '11010519491231002X', mobile: '13800138000' },
    source: 'WINDOW',
    appliedAt: now,
    collectedBy: { officer: 'desk-07', hallName: '跨域通办窗口', collectedAt: now },
    intakeReceipt: { number: `SJ-${Date.now()}` },
    // Referenced files must be uploaded first (the gateway refuses unknown digests), so the demo
    // materials are paper copies unless a real upload is passed in.
    materials: (materials.length ? materials : item.materials.slice(0, 1)).map((m, i) =>
      file && i === 0
        ? { code: m.code, name: m.name, form: 'ELECTRONIC', count: 1, receivedAt: now, file }
        : { code: m.code, name: m.name, form: 'COPY', count: 1, receivedAt: now },
    ),
  };
}

export interface SignedDemo {
  body: EnvelopeBody;
  envelope: string;
}

export async function signedMessage(
  key: SigningKey,
  fields: Omit<EnvelopeBody, 'messageId' | 'sentAt'> & { messageId?: string; sentAt?: string },
  contractVersion = '1.0.0',
): Promise<SignedDemo> {
  const body: EnvelopeBody = { messageId: uuidv7(), sentAt: new Date().toISOString(), ...fields } as EnvelopeBody;
  return { body, envelope: await signEnvelope(body, key, { id: CONTRACT_ID_BY_TYPE[body.messageType], version: contractVersion }) };
}
