import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Global, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { REDIS_CONNECTION } from '@gw/queue';
import { SigningModule } from '@gw/signing';
import { MaskinportenModule } from './maskinporten.module';
import { MaskinportenTokenService } from './maskinporten-token.service';

/** Stands in for QueueModule, which provides the process's Redis connection globally. */
@Global()
@Module({ providers: [{ provide: REDIS_CONNECTION, useValue: {} }], exports: [REDIS_CONNECTION] })
class FakeRedisModule {}

describe('MaskinportenModule', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sgw-maskinporten-module-'));
  const keyFile = join(dir, 'key.pem');
  writeFileSync(
    keyFile,
    generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }),
  );
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const options = {
    issuer: 'https://test.maskinporten.no/',
    clientId: 'sgw-client',
    providerOrg: '310149942',
    cache: { keyPrefix: 'sgw:' },
  };

  it('wires the token service to the registered signer and the shared Redis connection', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        FakeRedisModule,
        SigningModule.register({ signer: 'local', environment: 'test', keyFile }),
        MaskinportenModule.registerAsync({ useFactory: () => options }),
      ],
    }).compile();
    expect(moduleRef.get(MaskinportenTokenService)).toBeInstanceOf(MaskinportenTokenService);
    await moduleRef.close();
  });

  it('refuses an issuer without the trailing slash Maskinporten uses as aud', async () => {
    await expect(
      Test.createTestingModule({
        imports: [
          FakeRedisModule,
          SigningModule.register({ signer: 'local', environment: 'test', keyFile }),
          MaskinportenModule.register({ ...options, issuer: 'https://test.maskinporten.no' }),
        ],
      }).compile(),
    ).rejects.toMatchObject({ code: 'maskinporten.invalid_configuration' });
  });
});
