import { Column, Entity, PrimaryColumn, VersionColumn } from 'typeorm';

/** The gateway's view of one cross-region case: who collects, who approves, where it stands. */
@Entity({ name: 'cases' })
export class CaseEntity {
  @PrimaryColumn({ name: 'case_number', type: 'text' }) caseNumber!: string;
  @Column({ name: 'collaboration_id', type: 'text' }) collaborationId!: string;
  @Column({ name: 'collecting_district', type: 'text' }) collectingDistrict!: string;
  @Column({ name: 'approving_district', type: 'text' }) approvingDistrict!: string;
  @Column({ name: 'agreement_id', type: 'text' }) agreementId!: string;
  @Column({ name: 'item_code', type: 'text' }) itemCode!: string;
  @Column({ name: 'item_name', type: 'text' }) itemName!: string;
  /** The contract version the case started on; it stays there unless both sides accept a newer one. */
  @Column({ name: 'contract_version', type: 'text' }) contractVersion!: string;
  @Column({ type: 'text' }) state!: string;
  @Column({ name: 'case_type', type: 'text' }) caseType!: string;
  @Column({ name: 'suspension_kind', type: 'text', nullable: true }) suspensionKind!: string | null;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
  @VersionColumn() version!: number;
}
