import { Inject, Injectable, Logger } from '@nestjs/common';
import { KmsKeyStore } from '../core/kms-key-store';
import { SIM_CONFIG, type SimulatorConfig } from '../core/sim-config';
import { SimRegistry } from '../core/sim-registry';

/** The seeds' actors (the ones docs/api-guide.md "Seeds" names). */
export const SEED = {
  providerOrg: '310149942',
  tenantOrg: '313876144',
  persons: ['03867199348', '01025161013'],
  consentScopes: ['altinn:consentrequests.write', 'altinn:consentrequests.read'],
  resources: [
    { id: 'enkelt-samtykke', metadataKeys: ['simpletag'], template: 'default_v1', oneTime: false },
    { id: 'ttd_inntektsopplysninger', metadataKeys: ['INNTEKTSAAR'], template: 'default_v1', oneTime: false },
  ],
} as const;

@Injectable()
export class SeedService {
  private readonly logger = new Logger(SeedService.name);

  constructor(
    @Inject(SIM_CONFIG) private readonly config: SimulatorConfig,
    private readonly registry: SimRegistry,
    private readonly keys: KmsKeyStore,
  ) {}

  /** Idempotent: the KMS key survives restarts, so an existing alias is reused. */
  seed(): Promise<void> {
    const alias = this.config.SIMULATOR_SEED_KMS_ALIAS;
    let key = this.keys.resolve(alias);
    if (!key) {
      key = this.keys.create('RSA_2048', 'samtykke-gateway provider Maskinporten client key (simulated)');
      this.keys.createAlias(alias, key.keyId);
    }
    const personalDataAlias = this.config.SIMULATOR_SEED_PERSONAL_DATA_KMS_ALIAS;
    if (!this.keys.resolve(personalDataAlias)) {
      const wrappingKey = this.keys.create(
        'SYMMETRIC_DEFAULT',
        'samtykke-gateway personal-data keys (simulated)',
      );
      this.keys.createAlias(personalDataAlias, wrappingKey.keyId);
    }
    this.registry.upsertClient({
      clientId: this.config.SIMULATOR_SEED_CLIENT_ID,
      orgNumber: SEED.providerOrg,
      scopes: [...SEED.consentScopes],
      kmsKeyId: key.keyId,
    });
    this.registry.delegate(SEED.tenantOrg, SEED.providerOrg, [...SEED.consentScopes]);
    SEED.resources.forEach((resource) =>
      this.registry.upsertResource({ ...resource, metadataKeys: [...resource.metadataKeys] }),
    );
    this.logger.log(
      `Seeded client ${this.config.SIMULATOR_SEED_CLIENT_ID} (KMS ${alias}) for ${SEED.providerOrg}; KMS ${personalDataAlias}`,
    );
    return Promise.resolve();
  }
}
