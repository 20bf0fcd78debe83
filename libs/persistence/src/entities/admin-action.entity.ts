import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Who did what administrative thing, when, and whether it worked (等级保护 audit record). */
@Entity({ name: 'admin_actions' })
export class AdminActionEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id!: string;
  @Column({ type: 'timestamptz' }) at!: Date;
  @Column({ type: 'text' }) actor!: string;
  @Column({ type: 'text' }) action!: string;
  @Column({ type: 'text' }) target!: string;
  @Column({ type: 'text' }) outcome!: string;
}
