import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from './columns';

/**
 * One row (id 1): raised in the transaction of every change of assets, symbols or risk parameters, so an
 * instance that sees a higher number than it loaded reloads the catalogue.
 */
@Entity('catalog_version')
export class CatalogVersionEntity {
  @PrimaryColumn({ type: 'int' })
  id: number;

  @Column({ type: 'int' })
  version: number;

  @TimestampColumn()
  updatedAt: Date;
}
