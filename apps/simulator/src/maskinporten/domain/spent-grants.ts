/**
 * docs/upstream-contract.md §1: a `jti` is used once (MP-012 "Grant is used before"). Each is kept until its
 * grant's `exp`: after that the grant is refused as expired anyway. Unique across clients, the stricter
 * reading.
 */
export class SpentGrants {
  private readonly expiries = new Map<string, number>();

  /** Records `jti`; false when it was seen before and its grant has not expired yet. */
  spend(jti: string, exp: number, nowSeconds: number): boolean {
    this.forgetExpired(nowSeconds);
    if (this.expiries.has(jti)) return false;
    this.expiries.set(jti, exp);
    return true;
  }

  get size(): number {
    return this.expiries.size;
  }

  private forgetExpired(nowSeconds: number): void {
    for (const [jti, exp] of this.expiries) if (exp < nowSeconds) this.expiries.delete(jti);
  }
}
