import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The worker's inbox: one row per message that reached its recipient's mailbox. The primary key is the
 * dedupe (a redelivered broker message finds its row and changes nothing); `seq` is the pull cursor.
 */
@Entity({ name: 'deliveries' })
export class DeliveryEntity {
  @PrimaryColumn({ name: 'message_id', type: 'uuid' }) messageId!: string;
  @Column({ type: 'bigint', generated: 'increment' }) seq!: string;
  @Column({ type: 'text' }) recipient!: string;
  @Column({ type: 'text' }) channel!: 'PULL' | 'PUSH';
  @Column({ name: 'delivered_at', type: 'timestamptz' }) deliveredAt!: Date;
  @Column({ name: 'acknowledged_at', type: 'timestamptz', nullable: true }) acknowledgedAt!: Date | null;
}
