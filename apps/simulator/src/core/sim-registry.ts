import { Injectable } from '@nestjs/common';
import { type JWK } from 'jose';

/** A Maskinporten client: grants are verified against `jwks` or the public key of the KMS key `kmsKeyId`. */
export interface SimClient {
  clientId: string;
  orgNumber: string;
  scopes: string[];
  jwks?: JWK[];
  kmsKeyId?: string;
}

/** A Resource Registry entry of type Consent (docs/upstream-contract.md §2). */
export interface SimResource {
  id: string;
  metadataKeys: string[];
  template: string;
  oneTime: boolean;
}

/** Clients, Altinn API delegations, consent resources and the parties the register does not know. */
@Injectable()
export class SimRegistry {
  private readonly clients = new Map<string, SimClient>();
  private readonly delegations = new Map<string, Set<string>>();
  private readonly resources = new Map<string, SimResource>();
  private readonly unknownParties = new Set<string>();

  upsertClient(client: SimClient): SimClient {
    this.clients.set(client.clientId, client);
    return client;
  }

  client(clientId: string): SimClient | undefined {
    return this.clients.get(clientId);
  }

  /** Adds scopes to the delegation consumer → supplier (Altinn "API delegation"). */
  delegate(consumerOrg: string, supplierOrg: string, scopes: string[]): string[] {
    const key = `${consumerOrg}>${supplierOrg}`;
    const existing = this.delegations.get(key) ?? new Set<string>();
    scopes.forEach((scope) => existing.add(scope));
    this.delegations.set(key, existing);
    return [...existing].sort();
  }

  /** Removes scopes from a delegation; with no scopes, the whole delegation. */
  revokeDelegation(consumerOrg: string, supplierOrg: string, scopes?: string[]): void {
    const key = `${consumerOrg}>${supplierOrg}`;
    if (!scopes || scopes.length === 0) {
      this.delegations.delete(key);
      return;
    }
    scopes.forEach((scope) => this.delegations.get(key)?.delete(scope));
  }

  isDelegated(consumerOrg: string, supplierOrg: string, scope: string): boolean {
    return this.delegations.get(`${consumerOrg}>${supplierOrg}`)?.has(scope) ?? false;
  }

  upsertResource(resource: SimResource): SimResource {
    this.resources.set(resource.id, resource);
    return resource;
  }

  resource(id: string): SimResource | undefined {
    return this.resources.get(id);
  }

  /** Everything with a valid checksum is known to the register unless marked unknown here. */
  markUnknown(identifier: string): void {
    this.unknownParties.add(identifier);
  }

  isKnownParty(identifier: string): boolean {
    return !this.unknownParties.has(identifier);
  }
}
