import { AccountEntity } from './account.entity';
import { AccountOutboxEntity } from './account-outbox.entity';
import { ApiKeyEntity } from './api-key.entity';
import { AssetEntity } from './asset.entity';
import { CatalogVersionEntity } from './catalog-version.entity';
import { FillEntity } from './fill.entity';
import { FuturesSymbolEntity } from './futures-symbol.entity';
import { IdempotencyRecordEntity } from './idempotency-record.entity';
import { InterestChargeEntity } from './interest-charge.entity';
import { LeaseEntity } from './lease.entity';
import { LedgerEntryEntity } from './ledger-entry.entity';
import { LoanSegmentEntity } from './loan-segment.entity';
import { PositionEntity } from './position.entity';
import { PriceEntity } from './price.entity';
import { RiskParametersEntity } from './risk-parameters.entity';
import { TransferEntity } from './transfer.entity';
import { WalletBalanceEntity } from './wallet-balance.entity';

export {
  AccountEntity,
  AccountOutboxEntity,
  ApiKeyEntity,
  AssetEntity,
  CatalogVersionEntity,
  FillEntity,
  FuturesSymbolEntity,
  IdempotencyRecordEntity,
  InterestChargeEntity,
  LeaseEntity,
  LedgerEntryEntity,
  LoanSegmentEntity,
  PositionEntity,
  PriceEntity,
  RiskParametersEntity,
  TransferEntity,
  WalletBalanceEntity,
};

export const ENTITIES = [
  AccountEntity,
  AccountOutboxEntity,
  ApiKeyEntity,
  AssetEntity,
  CatalogVersionEntity,
  FillEntity,
  FuturesSymbolEntity,
  IdempotencyRecordEntity,
  InterestChargeEntity,
  LeaseEntity,
  LedgerEntryEntity,
  LoanSegmentEntity,
  PositionEntity,
  PriceEntity,
  RiskParametersEntity,
  TransferEntity,
  WalletBalanceEntity,
];
