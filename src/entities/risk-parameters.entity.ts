import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Decimal } from '../lib/decimal';
import { MoneyColumn } from './columns';

/** A status band as stored: `above` a decimal string, null for the last band. */
export interface StoredBand {
  status: string;
  above: string | null;
}

/** The operator's risk parameters: one row (id 1), seeded from the reference data on an empty database. */
@Entity('risk_parameters')
export class RiskParametersEntity {
  @PrimaryColumn({ type: 'int' })
  id: number;

  @Column({ type: 'simple-json' })
  bands: StoredBand[];

  @MoneyColumn()
  eligibilityThresholdUsd: Decimal;

  @MoneyColumn()
  maxWithdrawMmMultiple: Decimal;
}
