import { type ChildProcess, spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { Logger } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import Redis from 'ioredis';
import { checkEvictionPolicy, QueueModule } from '@gw/queue';
import { freePort } from '@test/resources';

/** A throwaway redis-server of our own (never the shared one: its settings are not ours to change). */
async function startRedis(...args: string[]): Promise<{ url: string; stop(): Promise<void> }> {
  const portIndex = args.indexOf('--port');
  const port = portIndex >= 0 ? Number(args.splice(portIndex, 2)[1]) : await freePort();
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...args],
    { stdio: 'ignore' },
  );
  const url = `redis://127.0.0.1:${port}`;
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  for (let tries = 0; ; tries += 1) {
    try {
      await probe.connect();
      await probe.ping();
      probe.disconnect();
      break;
    } catch (error) {
      if (tries > 100) throw error;
      await sleep(50);
    }
  }
  return {
    url,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    },
  };
}

function recordingLogger() {
  const lines: { level: 'warn' | 'log'; message: string }[] = [];
  return {
    lines,
    warn: (message: string) => lines.push({ level: 'warn', message }),
    log: (message: string) => lines.push({ level: 'log', message }),
  };
}

describe('Redis eviction policy check', () => {
  const servers: { stop(): Promise<void> }[] = [];
  const clients: Redis[] = [];
  afterAll(async () => {
    for (const client of clients) client.disconnect();
    await Promise.all(servers.map((server) => server.stop()));
  });

  async function redisWith(...args: string[]): Promise<{ url: string; client: Redis }> {
    const server = await startRedis(...args);
    servers.push(server);
    const client = new Redis(server.url);
    clients.push(client);
    return { url: server.url, client };
  }

  it('stays quiet on noeviction', async () => {
    const { client } = await redisWith('--maxmemory-policy', 'noeviction');
    const logger = recordingLogger();
    expect(await checkEvictionPolicy(client, logger)).toEqual({ kind: 'ok', policy: 'noeviction' });
    expect(logger.lines).toEqual([]);
  });

  it('warns, naming the policy, when Redis may evict keys', async () => {
    const { client } = await redisWith('--maxmemory-policy', 'allkeys-lru');
    const logger = recordingLogger();
    expect(await checkEvictionPolicy(client, logger)).toEqual({ kind: 'evicting', policy: 'allkeys-lru' });
    expect(logger.lines).toHaveLength(1);
    expect(logger.lines[0].level).toBe('warn');
    expect(logger.lines[0].message).toContain('allkeys-lru');
    expect(logger.lines[0].message).toContain('noeviction');
  });

  it('tolerates a Redis that refuses CONFIG (as managed services do)', async () => {
    const { client } = await redisWith(
      '--maxmemory-policy',
      'volatile-lru',
      '--rename-command',
      'CONFIG',
      '',
    );
    const logger = recordingLogger();
    const result = await checkEvictionPolicy(client, logger);
    expect(result.kind).toBe('unknown');
    expect(logger.lines.map((line) => line.level)).toEqual(['log']);
  });

  it('runs from QueueModule at bootstrap and warns through the Nest logger', async () => {
    const { url } = await redisWith('--maxmemory-policy', 'volatile-ttl');
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      const moduleRef = await Test.createTestingModule({
        imports: [QueueModule.forRoot({ redisUrl: url, prefix: 'sgw-eviction-test' })],
      }).compile();
      await moduleRef.init();
      const deadline = Date.now() + 10_000;
      while (!warn.mock.calls.some(([message]) => String(message).includes('volatile-ttl'))) {
        if (Date.now() > deadline) throw new Error('no eviction policy warning within 10 s');
        await sleep(20);
      }
      await moduleRef.close();
    } finally {
      warn.mockRestore();
    }
  });

  it('never holds up start-up while Redis is down, and checks once Redis comes up', async () => {
    const port = await freePort(); // nothing listens there yet
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      const moduleRef = await Test.createTestingModule({
        imports: [
          QueueModule.forRoot({ redisUrl: `redis://127.0.0.1:${port}`, prefix: 'sgw-eviction-test' }),
        ],
      }).compile();
      // init() runs the bootstrap hooks; it must come back although Redis cannot answer.
      await moduleRef.init();
      servers.push(await startRedis('--port', String(port), '--maxmemory-policy', 'allkeys-random'));
      const deadline = Date.now() + 15_000;
      while (!warn.mock.calls.some(([message]) => String(message).includes('allkeys-random'))) {
        if (Date.now() > deadline) throw new Error('no eviction policy warning after Redis came up');
        await sleep(20);
      }
      await moduleRef.close();
    } finally {
      warn.mockRestore();
    }
  });

  it('shuts down cleanly while Redis is still down', async () => {
    const port = await freePort();
    const moduleRef = await Test.createTestingModule({
      imports: [QueueModule.forRoot({ redisUrl: `redis://127.0.0.1:${port}`, prefix: 'sgw-eviction-test' })],
    }).compile();
    await moduleRef.init();
    // close() must come back: no command may sit in ioredis's offline queue in front of QUIT.
    await moduleRef.close();
  });
});
