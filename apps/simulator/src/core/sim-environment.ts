import { Injectable } from '@nestjs/common';

/** Where the simulator is reachable; known only after it listens (tests use port 0). */
@Injectable()
export class SimEnvironment {
  baseUrl = 'http://127.0.0.1:3100';

  /** docs/upstream-contract.md §1: the issuer (and grant `aud`) is the base URL with a trailing slash. */
  get issuer(): string {
    return `${this.baseUrl}/`;
  }
}
