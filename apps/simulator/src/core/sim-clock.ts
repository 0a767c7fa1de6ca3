import { Injectable } from '@nestjs/common';

/** The simulator's wall clock, shiftable through `PUT /_sim/clock` to test expiry. */
@Injectable()
export class SimClock {
  offsetSeconds = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetSeconds * 1000);
  }

  nowSeconds(): number {
    return Math.floor(this.now().getTime() / 1000);
  }
}
