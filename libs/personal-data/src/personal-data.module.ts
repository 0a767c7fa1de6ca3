import { type DynamicModule, Module } from '@nestjs/common';
import { unwrapDataKeys } from './kms-data-keys';
import { PersonalDataCipher } from './personal-data-cipher';
import { PersonalDataError } from './personal-data.errors';
import { type PersonalDataOptions } from './personal-data.options';

/** The cipher the options describe; wrapped keys are unwrapped through KMS first, so a bad key stops the start. */
export async function createPersonalDataCipher(options: PersonalDataOptions): Promise<PersonalDataCipher> {
  if (options.wrappedKeys.length > 0 && !options.kms) {
    throw new PersonalDataError(
      'personal_data.invalid_keys',
      'Wrapped data keys need KMS options to unwrap them',
    );
  }
  const unwrapped = options.kms ? await unwrapDataKeys(options.wrappedKeys, options.kms) : [];
  return PersonalDataCipher.create([...options.keys, ...unwrapped], options.activeKeyId);
}

/** Provides `PersonalDataCipher` to the module that imports it (the consent modules). */
@Module({})
export class PersonalDataModule {
  static register(options: PersonalDataOptions): DynamicModule {
    return {
      module: PersonalDataModule,
      providers: [{ provide: PersonalDataCipher, useFactory: () => createPersonalDataCipher(options) }],
      exports: [PersonalDataCipher],
    };
  }
}
