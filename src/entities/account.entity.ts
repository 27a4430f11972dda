import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { TimestampColumn } from './columns';

export type AccountMode = 'CLASSIC' | 'PORTFOLIO_MARGIN';

@Entity('account')
export class AccountEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'int' })
  vipLevel: number;

  @Column({ type: 'varchar', length: 20 })
  mode: AccountMode;

  @TimestampColumn()
  createdAt: Date;

  @TimestampColumn({ nullable: true })
  activatedAt: Date | null;
}
