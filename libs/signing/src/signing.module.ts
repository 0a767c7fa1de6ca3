import { type DynamicModule, Module } from '@nestjs/common';
import { JwtSigner } from './jwt-signer';
import { KmsJwtSigner, type KmsJwtSignerOptions } from './kms-jwt-signer';
import { LocalJwtSigner, type LocalJwtSignerOptions } from './local-jwt-signer';

/** Which signer the process uses (WORKER config `SIGNER`). */
export type SigningModuleOptions =
  ({ signer: 'kms' } & KmsJwtSignerOptions) | ({ signer: 'local' } & LocalJwtSignerOptions);

/** Builds the signer the options name. */
export async function createJwtSigner(options: SigningModuleOptions): Promise<JwtSigner> {
  switch (options.signer) {
    case 'kms':
      return new KmsJwtSigner(options);
    case 'local':
      return LocalJwtSigner.create(options);
  }
}

/**
 * Provides `JwtSigner` process-wide: the provider has one Maskinporten client, so one signer serves
 * every module that signs.
 */
@Module({})
export class SigningModule {
  static register(options: SigningModuleOptions): DynamicModule {
    return {
      module: SigningModule,
      global: true,
      providers: [{ provide: JwtSigner, useFactory: () => createJwtSigner(options) }],
      exports: [JwtSigner],
    };
  }
}
