import { EndpointGate } from './endpoint-slots';

describe('EndpointGate', () => {
  it('lets `limit` deliveries in at once and the next ones in arrival order as places free up', async () => {
    const gate = new EndpointGate(10);
    const order: number[] = [];
    const first = await gate.enter('e1', 2);
    const second = await gate.enter('e1', 2);
    expect(first).not.toBeNull();
    expect(second).not.toBeNull();
    const waiting = [3, 4].map((n) => gate.enter('e1', 2).then((leave) => (order.push(n), leave)));
    await Promise.resolve();
    expect(order).toEqual([]);
    first?.();
    await waiting[0];
    expect(order).toEqual([3]);
    second?.();
    await waiting[1];
    expect(order).toEqual([3, 4]);
  });

  it('keeps endpoints apart', async () => {
    const gate = new EndpointGate(10);
    await gate.enter('e1', 1);
    await expect(gate.enter('e2', 1)).resolves.not.toBeNull();
  });

  it('refuses to queue more than `maxWaiting` behind one endpoint', async () => {
    const gate = new EndpointGate(1);
    await gate.enter('e1', 1);
    void gate.enter('e1', 1);
    await expect(gate.enter('e1', 1)).resolves.toBeNull();
  });

  it('counts a place given back twice only once', async () => {
    const gate = new EndpointGate(5);
    const leave = await gate.enter('e1', 1);
    leave?.();
    leave?.();
    const a = await gate.enter('e1', 1);
    expect(a).not.toBeNull();
    let entered = false;
    void gate.enter('e1', 1).then(() => (entered = true));
    await Promise.resolve();
    expect(entered).toBe(false);
  });

  it('follows a lower limit at once (an endpoint that starts failing gets one attempt at a time)', async () => {
    const gate = new EndpointGate(5);
    const a = await gate.enter('e1', 4);
    const b = await gate.enter('e1', 4);
    let entered = false;
    void gate.enter('e1', 1).then(() => (entered = true));
    a?.();
    await Promise.resolve();
    expect(entered).toBe(false);
    b?.();
    await new Promise((resolve) => setImmediate(resolve));
    expect(entered).toBe(true);
  });
});
