/**
 * TypeScript shape of contracts/case-submission/1.0.0/schema.json. Hand-written: keep in step
 * with the schema (the schema is the authority; validate before trusting a value of this type).
 */
export interface CaseSubmissionPayloadV1 {
  item: { basicCode: string; implementationCode: string; name: string };
  /** '1' 即办件, '2' 承诺件, '9' 其他 */
  caseType: '1' | '2' | '9';
  mode: 'REMOTE_COLLECTION' | 'FULLY_ONLINE';
  applicant: {
    kind: 'NATURAL_PERSON' | 'LEGAL_PERSON';
    name: string;
    /** e.g. '111' resident ID card, '001' unified social credit code */
    idType: string;
    idNumber: string;
    mobile?: string;
    legalRepresentative?: PersonV1;
  };
  agent?: { name: string; idType: string; idNumber: string; mobile?: string };
  contact?: { name: string; mobile: string };
  mailing?: { address: string; postcode: string };
  source: 'WINDOW' | 'ONLINE' | 'MOBILE' | 'SELF_SERVICE' | 'MAIL' | 'OTHER';
  appliedAt: string;
  collectedBy: { officer: string; hallName: string; collectedAt: string };
  intakeReceipt: { number: string; queryPasswordDigest?: string };
  materials: MaterialV1[];
  originalsMailed?: { waybillNumber: string; carrier: string };
}

export interface PersonV1 {
  name: string;
  idType?: string;
  idNumber?: string;
}

export interface MaterialV1 {
  code: string;
  name: string;
  form: 'ORIGINAL' | 'COPY' | 'ELECTRONIC' | 'E_CERTIFICATE';
  count: number;
  receivedAt: string;
  /** Required when form is ELECTRONIC. */
  file?: { digest: string; size: number; mediaType: string; name: string };
}
