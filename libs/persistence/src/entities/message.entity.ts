import { MessageStatus } from '@tongban/cases';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One accepted envelope, kept byte for byte: its digest binds it to receipts (and later the ledger). */
@Entity({ name: 'messages' })
export class MessageEntity {
  @PrimaryColumn({ name: 'message_id', type: 'uuid' }) messageId!: string;
  @Column({ name: 'case_number', type: 'text' }) caseNumber!: string;
  @Column({ name: 'collaboration_id', type: 'text' }) collaborationId!: string;
  @Column({ type: 'text' }) sender!: string;
  @Column({ type: 'text' }) recipient!: string;
  @Column({ name: 'message_type', type: 'text' }) messageType!: string;
  @Column({ name: 'contract_id', type: 'text' }) contractId!: string;
  @Column({ name: 'contract_version', type: 'text' }) contractVersion!: string;
  @Column({ type: 'text' }) envelope!: string;
  @Column({ name: 'envelope_digest', type: 'text' }) envelopeDigest!: string;
  /** Digest of the canonical body: a client re-signing the same body gets its original receipt back. */
  @Column({ name: 'body_digest', type: 'text' }) bodyDigest!: string;
  @Column({ name: 'sent_at', type: 'timestamptz' }) sentAt!: Date;
  @Column({ name: 'accepted_at', type: 'timestamptz' }) acceptedAt!: Date;
  @Column({ name: 'receipt_id', type: 'uuid' }) receiptId!: string;
  @Column({ type: 'text' }) receipt!: string;
  @Column({ type: 'text' }) status!: MessageStatus;
  @Column({ name: 'queued_at', type: 'timestamptz', nullable: true }) queuedAt!: Date | null;
  @Column({ name: 'delivered_at', type: 'timestamptz', nullable: true }) deliveredAt!: Date | null;
  @Column({ name: 'acknowledged_at', type: 'timestamptz', nullable: true }) acknowledgedAt!: Date | null;
  @Column({ name: 'dead_lettered_at', type: 'timestamptz', nullable: true }) deadLetteredAt!: Date | null;
  @Column({ name: 'dead_letter_reason', type: 'text', nullable: true }) deadLetterReason!: string | null;
  @Column({ name: 'replay_count', type: 'int', default: 0 }) replayCount!: number;
  @Column({ name: 'delivered_contract_version', type: 'text' }) deliveredContractVersion!: string;
  @Column({ type: 'text', nullable: true }) conversion!: string | null;
}
