// Renders every Kustomize overlay with `kubectl kustomize` (no cluster needed) and checks what the cluster
// would get: the kinds per overlay, probes, resources, scaling targets, disruption budgets, and that no
// secret value is inlined. kubectl must be on PATH (.ci/run installs it when it is missing).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import {
  ConfigError,
  gatewayConfigSchema,
  loadConfig,
  migrateConfigSchema,
  workerConfigSchema,
} from '@gw/config';
import { QueueName } from '@gw/queue';

const ROOT = path.resolve(__dirname, '..', '..');
const K8S = path.join(ROOT, 'deploy', 'k8s');
const OVERLAYS = ['dev', 'test', 'prod'] as const;
type Overlay = (typeof OVERLAYS)[number];

const SECRET_NAME = 'samtykke-gateway-secrets';
const CONFIG_NAME = /^samtykke-gateway-config(-[a-z0-9]+)?$/;
const SIMULATOR_URL = 'http://samtykke-gateway-simulator:3100';

/**
 * Queues that get no KEDA trigger, each with its reason. A queue added to QueueName must either get a
 * trigger in deploy/k8s/base/worker-scaledobject.yaml or be listed here; the test below fails otherwise.
 */
const NOT_SCALED_ON: Record<string, string> = {
  // A repeatable job, one run at a time: its wait list never holds more than the next run. The relay's
  // backlog is the outbox, and what it fans out lands in webhook-delivery, which is scaled on.
  'webhook-relay': 'scheduler',
};
/** Every BullMQ queue whose wait list scales the worker: the code's table plus those the brief names. */
const QUEUES = [
  ...new Set([
    ...Object.values(QueueName),
    'consent-create',
    'consent-status',
    'consent-token',
    'delegation-check',
    'webhook-delivery',
  ]),
].filter((queue) => !(queue in NOT_SCALED_ON));

/**
 * Names that look like they hold a secret. Their value must come from the Secret (secretKeyRef), never
 * inline nor from the ConfigMap.
 */
const SECRET_LIKE = /KEY|SECRET|PASSWORD|TOKEN|DATABASE_URL|REDIS_URL/;
/**
 * Names that match SECRET_LIKE but hold no secret:
 * - KMS_KEY_ID, KMS_PUBLISHED_KEY_IDS name a KMS key (id, ARN or alias). The private key never leaves KMS
 *   and only the pods' IAM role may sign with it, so knowing the name grants nothing.
 * - MASKINPORTEN_TOKEN_ENDPOINT/_TIMEOUT_MS/_MAX_ATTEMPTS, TOKEN_CACHE_MARGIN_SECONDS: a public URL and
 *   numbers about tokens, not tokens.
 * - API_KEY_ENVIRONMENT: the `<env>` label inside tenant key prefixes (`sgw_live_…`).
 * KMS_ACCESS_KEY_ID is deliberately not here: an AWS access key id is half of a credential.
 */
const NOT_SECRET = new Set([
  'KMS_KEY_ID',
  'KMS_PUBLISHED_KEY_IDS',
  'MASKINPORTEN_TOKEN_ENDPOINT',
  'MASKINPORTEN_TOKEN_TIMEOUT_MS',
  'MASKINPORTEN_TOKEN_MAX_ATTEMPTS',
  'TOKEN_CACHE_MARGIN_SECONDS',
  'API_KEY_ENVIRONMENT',
]);
const looksSecret = (name: string) => SECRET_LIKE.test(name) && !NOT_SECRET.has(name);
/** user:password@ in a URL. */
const CREDENTIALS_IN_URL = /\/\/[^/@\s]*:[^/@\s]+@/;

interface Metadata {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: Metadata;
  spec?: unknown;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}
interface Probe {
  httpGet?: { path: string; port: string | number };
}
interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    secretKeyRef?: { name: string; key: string };
    configMapKeyRef?: { name: string; key: string };
  };
}
interface Container {
  name: string;
  image: string;
  args?: string[];
  command?: string[];
  ports?: { name?: string; containerPort: number }[];
  env?: EnvVar[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  startupProbe?: Probe;
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  lifecycle?: { preStop?: { exec?: { command: string[] }; sleep?: { seconds: number } } };
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: {
    allowPrivilegeEscalation?: boolean;
    readOnlyRootFilesystem?: boolean;
    capabilities?: { drop?: string[] };
  };
}
interface PodTemplate {
  metadata: { labels: Record<string, string> };
  spec: {
    serviceAccountName?: string;
    terminationGracePeriodSeconds?: number;
    restartPolicy?: string;
    securityContext?: { runAsNonRoot?: boolean };
    containers: Container[];
    initContainers?: Container[];
  };
}
interface WorkloadSpec {
  replicas?: number;
  selector?: { matchLabels: Record<string, string> };
  template: PodTemplate;
  backoffLimit?: number;
}
interface ScaleTargetRef {
  apiVersion?: string;
  kind?: string;
  name: string;
}
interface HpaSpec {
  scaleTargetRef: ScaleTargetRef;
  minReplicas?: number;
  maxReplicas: number;
  metrics?: { type: string; resource?: { name: string } }[];
}
interface ScaledObjectSpec {
  scaleTargetRef: ScaleTargetRef;
  minReplicaCount?: number;
  maxReplicaCount?: number;
  triggers: { type: string; metadata: Record<string, string>; authenticationRef?: { name: string } }[];
}
interface TriggerAuthenticationSpec {
  secretTargetRef?: { parameter: string; name: string; key: string }[];
}
interface PdbSpec {
  selector: { matchLabels: Record<string, string> };
  minAvailable?: number | string;
  maxUnavailable?: number | string;
}
interface ServiceSpec {
  selector: Record<string, string>;
  ports: { port: number; targetPort: string | number }[];
}
interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}
interface NetworkPolicySpec {
  podSelector: LabelSelector;
  policyTypes?: string[];
  ingress?: {
    from?: { namespaceSelector?: LabelSelector; podSelector?: LabelSelector; ipBlock?: unknown }[];
    ports?: { protocol?: string; port?: number | string }[];
  }[];
}

function render(dir: string): Manifest[] {
  let output: string;
  try {
    output = execFileSync('kubectl', ['kustomize', dir], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    throw new Error(
      `kubectl kustomize ${path.relative(ROOT, dir)} failed (kubectl must be installed; .ci/run installs it): ${String(error)}`,
    );
  }
  return parseAllDocuments(output).map((document) => {
    if (document.errors.length > 0) throw document.errors[0];
    return document.toJS() as Manifest;
  });
}

/** Stand-ins for the Secret that test and prod expect to exist (dev generates its own). */
const FAKE_SECRETS: Record<string, string> = {
  DATABASE_URL: 'postgres://samtykke:not-a-password@db.internal:5432/samtykke_gateway?sslmode=require',
  REDIS_URL: 'rediss://:not-a-password@redis.internal:6379',
  ADMIN_API_KEY: 'not-an-admin-key-0123456789abcdef',
  TOKEN_CACHE_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
  WEBHOOK_SECRET_ENCRYPTION_KEY: Buffer.alloc(32, 2).toString('base64'),
  PERSONAL_DATA_WRAPPED_KEYS: `pd-1:${Buffer.alloc(48, 9).toString('base64')}`,
};
/**
 * What the operator replaces before the first test or prod deploy and that production refuses as
 * shipped: the example provider of the base ConfigMap. (The client id and KMS key placeholders are
 * well-formed names that only Maskinporten and KMS can refuse.)
 */
const OPERATOR_VALUES = { PROVIDER_ORG_NUMBER: '991825827' };
/** The schema each process parses its environment with, by entry point. */
const SCHEMAS = {
  'dist/apps/gateway/src/main.js': gatewayConfigSchema,
  'dist/apps/worker/src/main.js': workerConfigSchema,
  'dist/apps/gateway/src/migrate.js': migrateConfigSchema,
} as const;

const ofKind = (docs: Manifest[], kind: string) => docs.filter((doc) => doc.kind === kind);
const component = (doc: Manifest) => doc.metadata.labels?.['app.kubernetes.io/component'];

function deployment(docs: Manifest[], name: string): { doc: Manifest; spec: WorkloadSpec } {
  const doc = ofKind(docs, 'Deployment').find((candidate) => candidate.metadata.name === name);
  if (!doc) throw new Error(`no Deployment ${name}`);
  return { doc, spec: doc.spec as WorkloadSpec };
}

function workloads(docs: Manifest[]): { doc: Manifest; spec: WorkloadSpec }[] {
  return docs
    .filter((doc) => ['Deployment', 'StatefulSet', 'DaemonSet', 'Job'].includes(doc.kind))
    .map((doc) => ({ doc, spec: doc.spec as WorkloadSpec }));
}

function containersOf(spec: WorkloadSpec): Container[] {
  return [...(spec.template.spec.initContainers ?? []), ...spec.template.spec.containers];
}

function configData(docs: Manifest[]): Record<string, string> {
  const maps = ofKind(docs, 'ConfigMap').filter((doc) => CONFIG_NAME.test(doc.metadata.name));
  expect(maps).toHaveLength(1);
  return maps[0].data ?? {};
}

/** The container port a probe or a Service targetPort names, by name or number. */
function resolvePort(container: Container, port: string | number): number | undefined {
  const found = (container.ports ?? []).find((candidate) =>
    typeof port === 'number' ? candidate.containerPort === port : candidate.name === port,
  );
  return found?.containerPort;
}

/** A Kubernetes quantity: CPU in millicores, memory in bytes. */
function quantity(value: string, resource: 'cpu' | 'memory'): number {
  const match = /^(\d+(?:\.\d+)?)(m|Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(value);
  if (!match) throw new Error(`unreadable quantity ${value}`);
  const factor: Record<string, number> = {
    m: 1e-3,
    Ki: 2 ** 10,
    Mi: 2 ** 20,
    Gi: 2 ** 30,
    Ti: 2 ** 40,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    T: 1e12,
  };
  const amount = Number(match[1]) * (match[2] === undefined ? 1 : factor[match[2]]);
  return resource === 'cpu' ? Math.round(amount * 1000) : amount;
}

/** Every place a secret could be inlined in the rendered manifests; an empty list means none is. */
function secretViolations(docs: Manifest[], allowSecretObjects: boolean): string[] {
  const problems: string[] = [];
  for (const doc of docs) {
    const where = `${doc.kind}/${doc.metadata.name}`;
    if (doc.kind === 'Secret' && !allowSecretObjects && (doc.data || doc.stringData)) {
      problems.push(`${where} carries values`);
    }
    if (doc.kind === 'ConfigMap') {
      for (const [key, value] of Object.entries(doc.data ?? {})) {
        if (looksSecret(key)) problems.push(`${where} holds ${key}`);
        if (CREDENTIALS_IN_URL.test(value)) problems.push(`${where} ${key} has credentials in a URL`);
      }
    }
  }
  for (const { doc, spec } of workloads(docs)) {
    for (const container of containersOf(spec)) {
      const where = `${doc.kind}/${doc.metadata.name} ${container.name}`;
      for (const variable of container.env ?? []) {
        if (variable.value !== undefined && CREDENTIALS_IN_URL.test(variable.value)) {
          problems.push(`${where} ${variable.name} has credentials in a URL`);
        }
        if (!looksSecret(variable.name)) continue;
        if (variable.value !== undefined) problems.push(`${where} inlines ${variable.name}`);
        else if (variable.valueFrom?.secretKeyRef?.name !== SECRET_NAME) {
          problems.push(`${where} reads ${variable.name} from elsewhere than the Secret ${SECRET_NAME}`);
        }
      }
      for (const source of container.envFrom ?? []) {
        const name = source.secretRef?.name ?? source.configMapRef?.name ?? '';
        if (source.secretRef && name !== SECRET_NAME) problems.push(`${where} envFrom Secret ${name}`);
        if (source.configMapRef && !CONFIG_NAME.test(name))
          problems.push(`${where} envFrom ConfigMap ${name}`);
      }
    }
  }
  return problems;
}

/** Every key of the Secret that a workload or KEDA reads. */
function secretKeysRead(docs: Manifest[]): Set<string> {
  const keys = new Set<string>();
  for (const { spec } of workloads(docs)) {
    for (const container of containersOf(spec)) {
      for (const variable of container.env ?? []) {
        const ref = variable.valueFrom?.secretKeyRef;
        if (ref) keys.add(ref.key);
      }
    }
  }
  for (const doc of ofKind(docs, 'TriggerAuthentication')) {
    for (const ref of (doc.spec as TriggerAuthenticationSpec).secretTargetRef ?? []) keys.add(ref.key);
  }
  return keys;
}

/**
 * The environment a container starts with: the ConfigMap through envFrom, then its env entries, with
 * Secret keys from `secret`, and what Kubernetes adds to every container.
 */
function containerEnv(
  docs: Manifest[],
  container: Container,
  secret: (key: string) => string | undefined,
): Record<string, string | undefined> {
  const config = configData(docs);
  const env: Record<string, string | undefined> = { KUBERNETES_SERVICE_HOST: '10.96.0.1' };
  for (const source of container.envFrom ?? []) if (source.configMapRef) Object.assign(env, config);
  for (const variable of container.env ?? []) {
    const from = variable.valueFrom;
    env[variable.name] =
      variable.value ??
      (from?.configMapKeyRef ? config[from.configMapKeyRef.key] : undefined) ??
      (from?.secretKeyRef ? secret(from.secretKeyRef.key) : undefined);
  }
  return env;
}

/** The variables a process's configuration refuses, [] when it would start. */
function refusedVariables(
  schema: (typeof SCHEMAS)[keyof typeof SCHEMAS],
  env: Record<string, string | undefined>,
) {
  try {
    loadConfig(schema, env);
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.issues.map((issue) => `${issue.variable}: ${issue.message}`);
  }
}

/** Whether a selector (matchLabels and `In` expressions) selects an object with these labels. */
function selects(selector: LabelSelector, labels: Record<string, string>): boolean {
  return (
    Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value) &&
    (selector.matchExpressions ?? []).every(
      (expression) =>
        expression.operator === 'In' && (expression.values ?? []).includes(labels[expression.key]),
    )
  );
}

/**
 * Who may connect to `port` of pods with `podLabels`, per the NetworkPolicies: 'anyone' when a rule has
 * no `from`, else the namespaces (by kubernetes.io/metadata.name) that some rule admits. A rule with
 * a pod or IP selector, or a namespace selector by another label, shows as `other:<json>`.
 */
function admittedTo(docs: Manifest[], podLabels: Record<string, string>, port: number): 'anyone' | string[] {
  const admitted = new Set<string>();
  for (const doc of ofKind(docs, 'NetworkPolicy')) {
    const spec = doc.spec as NetworkPolicySpec;
    if (!selects(spec.podSelector, podLabels)) continue;
    for (const rule of spec.ingress ?? []) {
      const opens = rule.ports === undefined || rule.ports.some((entry) => entry.port === port);
      if (!opens) continue;
      if (rule.from === undefined || rule.from.length === 0) return 'anyone';
      for (const peer of rule.from) {
        const names =
          peer.podSelector === undefined && peer.ipBlock === undefined && peer.namespaceSelector !== undefined
            ? [
                ...Object.entries(peer.namespaceSelector.matchLabels ?? {})
                  .filter(([key]) => key === 'kubernetes.io/metadata.name')
                  .map(([, value]) => value),
                ...(peer.namespaceSelector.matchExpressions ?? [])
                  .filter(
                    (expression) =>
                      expression.key === 'kubernetes.io/metadata.name' && expression.operator === 'In',
                  )
                  .flatMap((expression) => expression.values ?? []),
              ]
            : [];
        const onlyByName =
          names.length > 0 &&
          Object.keys(peer.namespaceSelector?.matchLabels ?? {}).every(
            (key) => key === 'kubernetes.io/metadata.name',
          ) &&
          (peer.namespaceSelector?.matchExpressions ?? []).every(
            (expression) => expression.key === 'kubernetes.io/metadata.name' && expression.operator === 'In',
          );
        if (onlyByName) names.forEach((name) => admitted.add(name));
        else admitted.add(`other:${JSON.stringify(peer)}`);
      }
    }
  }
  return [...admitted].sort();
}

const rendered = new Map<string, Manifest[]>();
function docsOf(overlay: Overlay | 'base'): Manifest[] {
  let docs = rendered.get(overlay);
  if (!docs) {
    docs = render(path.join(K8S, overlay === 'base' ? 'base' : `overlays/${overlay}`));
    rendered.set(overlay, docs);
  }
  return docs;
}

describe('the secret check itself', () => {
  const pod = (env: EnvVar[]): Manifest => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'probe' },
    spec: { template: { metadata: { labels: {} }, spec: { containers: [{ name: 'c', image: 'i', env }] } } },
  });

  it('flags inlined secrets, secrets from a ConfigMap, and credentials in URLs', () => {
    expect(secretViolations([pod([{ name: 'ADMIN_API_KEY', value: 'x'.repeat(32) }])], false)).toHaveLength(
      1,
    );
    expect(
      secretViolations(
        [
          pod([
            {
              name: 'REDIS_URL',
              valueFrom: { configMapKeyRef: { name: 'samtykke-gateway-config', key: 'R' } },
            },
          ]),
        ],
        false,
      ),
    ).toHaveLength(1);
    expect(secretViolations([pod([{ name: 'PGURL', value: 'postgres://u:pw@db/x' }])], false)).toHaveLength(
      1,
    );
    const map: Manifest = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'samtykke-gateway-config' },
      data: { TOKEN_CACHE_ENCRYPTION_KEY: 'x' },
    };
    expect(secretViolations([map], false)).toHaveLength(1);
    const secret: Manifest = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's' },
      stringData: { A: 'b' },
    };
    expect(secretViolations([secret], false)).toHaveLength(1);
  });

  it('lets identifiers and settings that only sound secret through', () => {
    expect(
      secretViolations(
        [
          pod([
            { name: 'KMS_KEY_ID', value: 'alias/sgw-maskinporten' },
            { name: 'MASKINPORTEN_TOKEN_TIMEOUT_MS', value: '10000' },
            { name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: SECRET_NAME, key: 'DATABASE_URL' } } },
          ]),
        ],
        false,
      ),
    ).toEqual([]);
  });
});

describe('kubectl kustomize deploy/k8s/base', () => {
  it('renders, and defines no Secret', () => {
    const docs = docsOf('base');
    expect(ofKind(docs, 'Deployment').length).toBeGreaterThanOrEqual(2);
    expect(ofKind(docs, 'Secret')).toEqual([]);
    expect(secretViolations(docs, false)).toEqual([]);
  });
});

describe.each(OVERLAYS)('kubectl kustomize deploy/k8s/overlays/%s', (overlay) => {
  const docs = () => docsOf(overlay);

  it('renders the expected kinds, the simulator only in dev, all in its own namespace', () => {
    const names = new Set(
      docs().map(
        // The generated ConfigMap's name ends in a content hash.
        (doc) =>
          `${doc.kind}/${doc.kind === 'ConfigMap' ? doc.metadata.name.replace(/-[a-z0-9]{10}$/, '') : doc.metadata.name}`,
      ),
    );
    for (const expected of [
      'ServiceAccount/samtykke-gateway',
      'ConfigMap/samtykke-gateway-config',
      'Deployment/samtykke-gateway',
      'Service/samtykke-gateway',
      'HorizontalPodAutoscaler/samtykke-gateway',
      'PodDisruptionBudget/samtykke-gateway',
      'Deployment/samtykke-gateway-worker',
      'ScaledObject/samtykke-gateway-worker',
      'TriggerAuthentication/samtykke-gateway-redis',
      'PodDisruptionBudget/samtykke-gateway-worker',
      'Job/samtykke-gateway-migrate',
      'NetworkPolicy/samtykke-gateway-default-deny-ingress',
      'Service/samtykke-gateway-management',
      'NetworkPolicy/samtykke-gateway-allow-public',
      'NetworkPolicy/samtykke-gateway-allow-management',
    ]) {
      expect(names).toContain(expected);
    }
    const simulator = docs().filter((doc) => component(doc) === 'simulator');
    const simulatorKinds = simulator.map((doc) => doc.kind).sort();
    if (overlay === 'dev') expect(simulatorKinds).toEqual(['Deployment', 'NetworkPolicy', 'Service']);
    else expect(simulatorKinds).toEqual([]);
    const simulatorProcesses = workloads(docs()).filter(({ spec }) =>
      containersOf(spec).some((container) => container.args?.some((arg) => arg.includes('simulator'))),
    );
    expect(simulatorProcesses).toHaveLength(overlay === 'dev' ? 1 : 0);

    for (const doc of docs())
      expect([doc.kind, doc.metadata.namespace]).toEqual([doc.kind, `samtykke-${overlay}`]);
  });

  it('points at the upstreams of its environment', () => {
    const config = configData(docs());
    const expected = {
      dev: {
        MASKINPORTEN_ISSUER: `${SIMULATOR_URL}/`,
        ALTINN_BASE_URL: SIMULATOR_URL,
        KMS_ENDPOINT: SIMULATOR_URL,
        NODE_ENV: 'development',
      },
      test: {
        MASKINPORTEN_ISSUER: 'https://test.maskinporten.no/',
        ALTINN_BASE_URL: 'https://platform.tt02.altinn.no',
        KMS_ENDPOINT: undefined,
        NODE_ENV: 'production',
      },
      prod: {
        MASKINPORTEN_ISSUER: 'https://maskinporten.no/',
        ALTINN_BASE_URL: 'https://platform.altinn.no',
        KMS_ENDPOINT: undefined,
        NODE_ENV: 'production',
      },
    }[overlay];
    expect({
      MASKINPORTEN_ISSUER: config.MASKINPORTEN_ISSUER,
      ALTINN_BASE_URL: config.ALTINN_BASE_URL,
      KMS_ENDPOINT: config.KMS_ENDPOINT,
      NODE_ENV: config.NODE_ENV,
    }).toEqual(expected);
    expect(config.SIGNER).toBe('kms');
    expect(config.PROVIDER_ORG_NUMBER).toMatch(/^\d{9}$/);
    expect(config.KMS_KEY_ID).toBeTruthy();
    expect(config.AWS_REGION).toBeTruthy();
    expect(config.MASKINPORTEN_CLIENT_ID).not.toBe('set-in-overlay');
    // A Redis Cluster hash tag: every key of a queue in one slot.
    expect(config.QUEUE_PREFIX).toMatch(/\{[^{}]+\}/);
  });

  it("starts every process: each container's environment satisfies its configuration schema", () => {
    const generated = ofKind(docs(), 'Secret')[0]?.data ?? {};
    const secret = (key: string) =>
      overlay === 'dev' ? Buffer.from(generated[key] ?? '', 'base64').toString('utf8') : FAKE_SECRETS[key];
    const checked: string[] = [];
    for (const { spec } of workloads(docs())) {
      for (const container of containersOf(spec)) {
        const entry = container.args?.[0] ?? '';
        if (!(entry in SCHEMAS)) continue;
        const env = {
          ...containerEnv(docs(), container, secret),
          ...(overlay === 'dev' ? {} : OPERATOR_VALUES),
        };
        expect([entry, refusedVariables(SCHEMAS[entry as keyof typeof SCHEMAS], env)]).toEqual([entry, []]);
        checked.push(entry);
      }
    }
    expect(checked.sort()).toEqual(Object.keys(SCHEMAS).sort());
  });

  it('gives every container resources and a locked-down securityContext, every server probes', () => {
    for (const { doc, spec } of workloads(docs())) {
      const pod = spec.template.spec;
      expect([doc.metadata.name, pod.securityContext?.runAsNonRoot]).toEqual([doc.metadata.name, true]);
      expect([doc.metadata.name, pod.serviceAccountName]).toEqual([doc.metadata.name, 'samtykke-gateway']);
      for (const container of containersOf(spec)) {
        const where = `${doc.kind}/${doc.metadata.name} ${container.name}`;
        const { requests = {}, limits = {} } = container.resources ?? {};
        for (const resource of ['cpu', 'memory'] as const) {
          expect([where, resource, typeof requests[resource], typeof limits[resource]]).toEqual([
            where,
            resource,
            'string',
            'string',
          ]);
          expect(quantity(requests[resource], resource)).toBeLessThanOrEqual(
            quantity(limits[resource], resource),
          );
        }
        expect([where, container.securityContext]).toMatchObject([
          where,
          {
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            capabilities: { drop: expect.arrayContaining(['ALL']) as unknown },
          },
        ]);
        // A Job runs to completion and is never in a Service: probes would mean nothing there.
        if (doc.kind === 'Job') continue;
        for (const probe of ['livenessProbe', 'readinessProbe'] as const) {
          const port = container[probe]?.httpGet?.port;
          expect([where, probe, port === undefined ? undefined : resolvePort(container, port)]).toEqual([
            where,
            probe,
            expect.any(Number),
          ]);
        }
      }
    }
  });

  it('probes the gateway and the worker on their /health routes and ports', () => {
    const config = configData(docs());
    const gateway = deployment(docs(), 'samtykke-gateway').spec.template.spec.containers[0];
    const worker = deployment(docs(), 'samtykke-gateway-worker').spec.template.spec.containers[0];
    for (const [container, port] of [
      [gateway, Number(config.PORT ?? 3000)],
      [worker, Number(config.WORKER_HEALTH_PORT ?? 3001)],
    ] as const) {
      expect(container.livenessProbe?.httpGet?.path).toBe('/health/live');
      expect(container.readinessProbe?.httpGet?.path).toBe('/health/ready');
      expect(resolvePort(container, container.readinessProbe?.httpGet?.port ?? -1)).toBe(port);
      expect(resolvePort(container, container.livenessProbe?.httpGet?.port ?? -1)).toBe(port);
    }
  });

  it('runs every process from one image, by its entry point in apps/', () => {
    const images = new Set<string>();
    const entries: string[] = [];
    for (const { spec } of workloads(docs())) {
      for (const container of containersOf(spec)) {
        images.add(container.image);
        expect(container.command).toBeUndefined(); // keeps the image's ENTRYPOINT (node)
        const entry = container.args?.[0] ?? '';
        entries.push(entry);
        const source = /^dist\/(apps\/[a-z-]+\/src\/[a-z-]+)\.js$/.exec(entry);
        expect([entry, source !== null && existsSync(path.join(ROOT, `${source[1]}.ts`))]).toEqual([
          entry,
          true,
        ]);
      }
    }
    expect(images.size).toBe(1);
    expect(entries).toEqual(
      expect.arrayContaining([
        'dist/apps/gateway/src/main.js',
        'dist/apps/worker/src/main.js',
        'dist/apps/gateway/src/migrate.js',
      ]),
    );
  });

  it('drains before it stops: the worker outlasts its longest job, the gateway leaves the Service first', () => {
    const worker = deployment(docs(), 'samtykke-gateway-worker').spec.template.spec;
    expect(worker.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(60);

    const gateway = deployment(docs(), 'samtykke-gateway').spec.template.spec;
    const preStop = gateway.containers[0].lifecycle?.preStop;
    const sleepSeconds =
      preStop?.sleep?.seconds ?? Number(preStop?.exec?.command.find((arg) => /^\d+$/.test(arg)));
    expect(sleepSeconds).toBeGreaterThan(0);
    // After the sleep, a `Prefer: wait=30` request may still be in flight.
    expect(gateway.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(sleepSeconds + 30);
  });

  it('runs migrations once, in a Job that does not restart in place', () => {
    const [job] = ofKind(docs(), 'Job');
    const spec = job.spec as WorkloadSpec;
    expect(spec.template.spec.restartPolicy).toBe('Never');
    expect(spec.backoffLimit).toBeGreaterThan(0);
    expect(spec.template.spec.containers.map((container) => container.args?.[0])).toEqual([
      'dist/apps/gateway/src/migrate.js',
    ]);
    // No initContainer anywhere runs migrations as well.
    for (const { spec: other } of workloads(docs()))
      expect(other.template.spec.initContainers).toBeUndefined();
  });

  it('scales the gateway on CPU (HPA) and the worker on every queue wait list (KEDA)', () => {
    const gateway = deployment(docs(), 'samtykke-gateway');
    const worker = deployment(docs(), 'samtykke-gateway-worker');
    expect(component(gateway.doc)).toBe('gateway');
    expect(component(worker.doc)).toBe('worker');

    const hpas = ofKind(docs(), 'HorizontalPodAutoscaler');
    expect(hpas.map((hpa) => hpa.apiVersion)).toEqual(['autoscaling/v2']);
    const hpa = hpas[0].spec as HpaSpec;
    expect(hpa.scaleTargetRef).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: 'samtykke-gateway',
    });
    expect(hpa.metrics?.map((metric) => [metric.type, metric.resource?.name])).toContainEqual([
      'Resource',
      'cpu',
    ]);
    expect(hpa.minReplicas).toBeGreaterThanOrEqual(1);
    expect(hpa.maxReplicas).toBeGreaterThan(hpa.minReplicas ?? 1);

    const scaledObjects = ofKind(docs(), 'ScaledObject');
    expect(scaledObjects).toHaveLength(1);
    const scaled = scaledObjects[0].spec as ScaledObjectSpec;
    expect(scaled.scaleTargetRef.name).toBe('samtykke-gateway-worker');
    expect(scaled.scaleTargetRef.kind ?? 'Deployment').toBe('Deployment');
    // Never zero: the outbox relay and the schedulers run in the worker.
    expect(scaled.minReplicaCount).toBeGreaterThanOrEqual(1);
    expect(scaled.maxReplicaCount).toBeGreaterThan(scaled.minReplicaCount ?? 0);

    const prefix = configData(docs()).QUEUE_PREFIX;
    const authentications = new Set(ofKind(docs(), 'TriggerAuthentication').map((doc) => doc.metadata.name));
    expect(scaled.triggers.map((trigger) => trigger.metadata.listName).sort()).toEqual(
      QUEUES.map((queue) => `${prefix}:${queue}:wait`).sort(),
    );
    for (const trigger of scaled.triggers) {
      expect(trigger.type).toBe('redis');
      expect(trigger.metadata.listLength).toMatch(/^[1-9]\d*$/);
      // Address and password come from the TriggerAuthentication, never the trigger's metadata.
      expect(Object.keys(trigger.metadata)).not.toEqual(expect.arrayContaining(['password']));
      expect(Object.keys(trigger.metadata)).not.toEqual(expect.arrayContaining(['address']));
      expect(authentications).toContain(trigger.authenticationRef?.name);
    }
    for (const doc of ofKind(docs(), 'TriggerAuthentication')) {
      const refs = (doc.spec as TriggerAuthenticationSpec).secretTargetRef ?? [];
      expect(refs.map((ref) => ref.parameter).sort()).toEqual(['address', 'password']);
      for (const ref of refs) expect(ref.name).toBe(SECRET_NAME);
    }
    // Exactly one autoscaler per Deployment: no HPA fights KEDA over the worker.
    expect(hpas.map((doc) => (doc.spec as HpaSpec).scaleTargetRef.name)).not.toContain(
      'samtykke-gateway-worker',
    );
  });

  it('covers the gateway and the worker with PodDisruptionBudgets that allow a drain', () => {
    const pdbs = ofKind(docs(), 'PodDisruptionBudget').map((doc) => doc.spec as PdbSpec);
    for (const name of ['samtykke-gateway', 'samtykke-gateway-worker']) {
      const { spec } = deployment(docs(), name);
      const labels = spec.template.metadata.labels;
      const covering = pdbs.filter((pdb) =>
        Object.entries(pdb.selector.matchLabels).every(([key, value]) => labels[key] === value),
      );
      expect([name, covering.length]).toEqual([name, 1]);
      const [pdb] = covering;
      if (pdb.minAvailable !== undefined) {
        expect(Number(pdb.minAvailable)).toBeLessThan(spec.replicas ?? 1);
      } else {
        expect(Number(pdb.maxUnavailable)).toBeGreaterThanOrEqual(1);
      }
    }
  });

  it('serves the admin API, bull-board and /metrics on the management port, behind a Service of its own', () => {
    const config = configData(docs());
    const management = Number(config.MANAGEMENT_PORT);
    expect(management).toBeGreaterThan(0);
    expect(management).not.toBe(Number(config.PORT));
    // On the pod's address: the default outside production (127.0.0.1) would be out of everyone's reach.
    expect(config.MANAGEMENT_HOST).toBe('0.0.0.0');
    const { spec: gateway } = deployment(docs(), 'samtykke-gateway');
    const container = gateway.template.spec.containers[0];
    expect(resolvePort(container, 'management')).toBe(management);
    expect(gateway.template.metadata.labels).toBeDefined();
    const annotations = (
      deployment(docs(), 'samtykke-gateway').doc.spec as { template: { metadata: Metadata } }
    ).template.metadata.annotations;
    expect(annotations?.['prometheus.io/port']).toBe(String(management));

    const services = ofKind(docs(), 'Service');
    const ports = (name: string) =>
      (
        (services.find((doc) => doc.metadata.name === name)?.spec as ServiceSpec | undefined)?.ports ?? []
      ).map((port) => resolvePort(container, port.targetPort));
    expect(ports('samtykke-gateway')).toEqual([Number(config.PORT)]);
    expect(ports('samtykke-gateway-management')).toEqual([management]);
  });

  it('admits the ingress to the public port only, operators and monitoring to the management port only', () => {
    const config = configData(docs());
    const labels = deployment(docs(), 'samtykke-gateway').spec.template.metadata.labels;
    expect(admittedTo(docs(), labels, Number(config.PORT))).toEqual(['ingress-nginx']);
    expect(admittedTo(docs(), labels, Number(config.MANAGEMENT_PORT))).toEqual([
      'monitoring',
      'samtykke-operators',
    ]);
    // Everything else is denied: the default-deny policy selects every pod of the app.
    const deny = ofKind(docs(), 'NetworkPolicy').find(
      (doc) => doc.metadata.name === 'samtykke-gateway-default-deny-ingress',
    );
    const denySpec = deny?.spec as NetworkPolicySpec;
    expect(selects(denySpec.podSelector, labels)).toBe(true);
    expect([denySpec.policyTypes, denySpec.ingress]).toEqual([['Ingress'], undefined]);
    expect(admittedTo(docs(), labels, 9999)).toEqual([]);
  });

  it('routes the gateway Service to the gateway pods', () => {
    const service = ofKind(docs(), 'Service').find((doc) => doc.metadata.name === 'samtykke-gateway');
    const spec = service?.spec as ServiceSpec;
    const { spec: gateway } = deployment(docs(), 'samtykke-gateway');
    const labels = gateway.template.metadata.labels;
    for (const [key, value] of Object.entries(spec.selector)) expect(labels[key]).toBe(value);
    expect(resolvePort(gateway.template.spec.containers[0], spec.ports[0].targetPort)).toBe(3000);
  });

  it('inlines no secret: values come from the Secret, which only dev generates', () => {
    const secrets = ofKind(docs(), 'Secret');
    if (overlay === 'dev') expect(secrets.map((doc) => doc.metadata.name)).toEqual([SECRET_NAME]);
    else expect(secrets).toEqual([]);
    expect(secretViolations(docs(), overlay === 'dev')).toEqual([]);
  });

  it('reads only Secret keys that deploy/k8s/secret.example.yaml documents (and dev generates)', () => {
    const read = [...secretKeysRead(docs())].sort();
    expect(read).toEqual(
      expect.arrayContaining(['ADMIN_API_KEY', 'DATABASE_URL', 'REDIS_URL', 'TOKEN_CACHE_ENCRYPTION_KEY']),
    );
    const example = parseAllDocuments(
      readFileSync(path.join(K8S, 'secret.example.yaml'), 'utf8'),
    )[0].toJS() as Manifest;
    const documented = new Set(Object.keys(example.stringData ?? {}));
    // The simulator's static KMS credentials exist only in dev; in AWS the pods' IAM role signs.
    const production = read.filter((key) => !key.startsWith('KMS_'));
    expect(production.filter((key) => !documented.has(key))).toEqual([]);
    if (overlay === 'dev') {
      const generated = new Set(Object.keys(ofKind(docs(), 'Secret')[0].data ?? {}));
      expect(read.filter((key) => !generated.has(key))).toEqual([]);
    } else {
      expect(read.filter((key) => key.startsWith('KMS_'))).toEqual([]);
    }
  });

  it('runs the pods under a ServiceAccount with an IRSA role for KMS', () => {
    const [account] = ofKind(docs(), 'ServiceAccount');
    expect(account.metadata.name).toBe('samtykke-gateway');
    expect(account.metadata.annotations?.['eks.amazonaws.com/role-arn']).toMatch(
      /^arn:aws:iam::\d{12}:role\/.+/,
    );
  });
});

describe.each(['test', 'prod'] as const)('deploy/k8s/overlays/%s as shipped', (overlay) => {
  it('refuses to start until the operator sets the provider', () => {
    const gateway = deployment(docsOf(overlay), 'samtykke-gateway').spec.template.spec.containers[0];
    const env = containerEnv(docsOf(overlay), gateway, (key) => FAKE_SECRETS[key]);
    expect(refusedVariables(gatewayConfigSchema, env)).toEqual([
      expect.stringMatching(/^PROVIDER_ORG_NUMBER: /),
    ]);
  });
});

describe('prod against test', () => {
  it('runs more replicas with higher limits and ceilings', () => {
    const [test, prod] = [docsOf('test'), docsOf('prod')];
    for (const name of ['samtykke-gateway', 'samtykke-gateway-worker']) {
      const [t, p] = [deployment(test, name).spec, deployment(prod, name).spec];
      expect(p.replicas).toBeGreaterThan(t.replicas ?? 1);
      const [tLimits, pLimits] = [t, p].map(
        (spec) => spec.template.spec.containers[0].resources?.limits ?? {},
      );
      expect(quantity(pLimits.memory, 'memory')).toBeGreaterThan(quantity(tLimits.memory, 'memory'));
      expect(quantity(pLimits.cpu, 'cpu')).toBeGreaterThan(quantity(tLimits.cpu, 'cpu'));
    }
    const maxOf = (docs: Manifest[]) =>
      (ofKind(docs, 'HorizontalPodAutoscaler')[0].spec as HpaSpec).maxReplicas;
    expect(maxOf(prod)).toBeGreaterThan(maxOf(test));
    const keda = (docs: Manifest[]) => ofKind(docs, 'ScaledObject')[0].spec as ScaledObjectSpec;
    expect(keda(prod).maxReplicaCount).toBeGreaterThan(keda(test).maxReplicaCount ?? 0);
  });
});
