import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Test } from '@nestjs/testing';
import { JwtSigner } from './jwt-signer';
import { KmsJwtSigner } from './kms-jwt-signer';
import { LocalJwtSigner } from './local-jwt-signer';
import { SigningModule } from './signing.module';

describe('SigningModule', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sgw-signing-module-'));
  const keyFile = join(dir, 'key.pem');
  writeFileSync(
    keyFile,
    generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }),
  );
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('provides the local signer under the JwtSigner token', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [SigningModule.register({ signer: 'local', environment: 'development', keyFile })],
    }).compile();
    expect(moduleRef.get(JwtSigner)).toBeInstanceOf(LocalJwtSigner);
    await moduleRef.close();
  });

  it('provides the KMS signer when the options name KMS', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        SigningModule.register({
          signer: 'kms',
          region: 'eu-north-1',
          endpoint: 'http://127.0.0.1:1',
          credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
          activeKeyId: 'alias/sgw-maskinporten',
        }),
      ],
    }).compile();
    expect(moduleRef.get(JwtSigner)).toBeInstanceOf(KmsJwtSigner);
    await moduleRef.close();
  });
});
