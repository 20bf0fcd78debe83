import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A message committed but not yet confirmed by the broker. The relay deletes the row once confirmed. */
@Entity({ name: 'outbox' })
export class OutboxEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id!: string;
  @Column({ name: 'message_id', type: 'uuid' }) messageId!: string;
  @Column({ type: 'text' }) recipient!: string;
  @Column({ name: 'message_type', type: 'text' }) messageType!: string;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column({ name: 'claimed_until', type: 'timestamptz', nullable: true }) claimedUntil!: Date | null;
}
