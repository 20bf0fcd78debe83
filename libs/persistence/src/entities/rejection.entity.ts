import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Every refused partner message, by digest and code only: the raw bytes may hold personal data. */
@Entity({ name: 'rejections' })
export class RejectionEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id!: string;
  @Column({ name: 'received_at', type: 'timestamptz' }) receivedAt!: Date;
  @Column({ type: 'text' }) peer!: string;
  @Column({ type: 'text' }) code!: string;
  @Column({ name: 'message_id', type: 'text', nullable: true }) messageId!: string | null;
  @Column({ name: 'envelope_digest', type: 'text', nullable: true }) envelopeDigest!: string | null;
  @Column({ name: 'size_bytes', type: 'int' }) sizeBytes!: number;
  @Column({ type: 'text' }) detail!: string;
}
