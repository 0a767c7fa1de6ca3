import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { LocalJwtSigner } from './local-jwt-signer';

describe('LocalJwtSigner', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sgw-signing-'));
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const next = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pemFile = join(dir, 'key.pem');
  const jwkFile = join(dir, 'key.jwk.json');
  const nextPublicFile = join(dir, 'next.pub.pem');
  writeFileSync(pemFile, privateKey.export({ type: 'pkcs8', format: 'pem' }));
  writeFileSync(jwkFile, JSON.stringify(privateKey.export({ format: 'jwk' })));
  writeFileSync(nextPublicFile, next.publicKey.export({ type: 'spki', format: 'pem' }));
  writeFileSync(join(dir, 'garbage.pem'), 'not a key');

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses to exist when NODE_ENV=production', async () => {
    await expect(
      LocalJwtSigner.create({ environment: 'production', keyFile: pemFile }),
    ).rejects.toMatchObject({
      code: 'signing.local_signer_refused',
    });
  });

  it.each([
    ['a PEM file', pemFile],
    ['a JWK file', jwkFile],
  ])('signs with the key from %s, verifiable against its JWKS', async (_label, keyFile) => {
    const signer = await LocalJwtSigner.create({ environment: 'development', keyFile });
    const jwt = await signer.sign({ typ: 'JWT' }, { scope: 'x' });
    const { payload } = await jwtVerify(jwt, createLocalJWKSet(await signer.publicJwks()));
    expect(payload).toEqual({ scope: 'x' });
    expect(decodeProtectedHeader(jwt)).toEqual({ typ: 'JWT', alg: 'RS256', kid: await signer.activeKid() });
  });

  it('gives the same kid for the same key whatever the file format', async () => {
    const fromPem = await LocalJwtSigner.create({ environment: 'test', keyFile: pemFile });
    const fromJwk = await LocalJwtSigner.create({ environment: 'test', keyFile: jwkFile });
    expect(await fromPem.activeKid()).toBe(await fromJwk.activeKid());
  });

  it('publishes further keys after the active one and never a private part', async () => {
    const signer = await LocalJwtSigner.create({
      environment: 'development',
      keyFile: pemFile,
      publishedKeyFiles: [nextPublicFile],
      kid: 'dev-1',
    });
    const { keys } = await signer.publicJwks();
    expect(keys.map((key) => key.kid)).toEqual(['dev-1', expect.any(String)]);
    expect(keys.some((key) => 'd' in key)).toBe(false);
  });

  it.each([
    ['a missing file', 'does-not-exist.pem'],
    ['a file without a key', 'garbage.pem'],
    ['a public key only', 'next.pub.pem'],
  ])('refuses %s as invalid configuration', async (_label, file) => {
    await expect(
      LocalJwtSigner.create({ environment: 'development', keyFile: join(dir, file) }),
    ).rejects.toMatchObject({ code: 'signing.invalid_configuration' });
  });
});
