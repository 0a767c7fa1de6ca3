import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { Metrics } from '@gw/observability';

// The dashboard and the alerts may only name metrics that the gateway and the worker export: a renamed
// metric would leave a panel empty and an alert silent without anyone noticing.

const DIR = join(__dirname, '..', 'observability');

interface Panel {
  title?: string;
  targets?: { expr: string }[];
  panels?: Panel[];
}
interface Rule {
  alert: string;
  expr: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

const dashboard = JSON.parse(readFileSync(join(DIR, 'grafana-dashboard.json'), 'utf8')) as {
  panels: Panel[];
  templating: { list: { query?: { query?: string } | string }[] };
};
const rules = parse(readFileSync(join(DIR, 'prometheus-rules.yaml'), 'utf8')) as {
  kind: string;
  spec: { groups: { name: string; rules: Rule[] }[] };
};

function panelsOf(panels: Panel[]): Panel[] {
  return panels.flatMap((panel) => [panel, ...panelsOf(panel.panels ?? [])]);
}

const dashboardQueries = [
  ...panelsOf(dashboard.panels).flatMap((panel) => (panel.targets ?? []).map((target) => target.expr)),
  ...dashboard.templating.list.flatMap((variable) =>
    typeof variable.query === 'object' && variable.query.query ? [variable.query.query] : [],
  ),
];
const alerts = rules.spec.groups.flatMap((group) => group.rules);

/** Every series name a scrape of the apps can hold (a histogram's `_bucket`, `_sum` and `_count`). */
async function exportedNames(): Promise<Set<string>> {
  const metrics = new Metrics({ service: 'test' });
  const names = (await metrics.registry.getMetricsAsJSON()).flatMap((metric) =>
    String(metric.type) === 'histogram'
      ? [`${metric.name}_bucket`, `${metric.name}_sum`, `${metric.name}_count`]
      : [metric.name],
  );
  return new Set(names);
}

function metricNames(queries: readonly string[]): string[] {
  return [...new Set(queries.flatMap((query) => query.match(/\bsgw_[a-z0-9_]+/g) ?? []))];
}

describe('deploy/observability', () => {
  it.each([
    ['the dashboard', dashboardQueries],
    ['the alerts', alerts.map((rule) => rule.expr)],
  ])('%s name only metrics the apps export', async (_what, queries) => {
    const exported = await exportedNames();
    const named = metricNames(queries);
    expect(named.length).toBeGreaterThan(5);
    expect(named.filter((name) => !exported.has(name))).toEqual([]);
  });

  it('alerts on upstream errors, queue age, webhook failures, delegation checks and consent failures', () => {
    expect(rules.kind).toBe('PrometheusRule');
    expect(alerts.map((rule) => rule.alert)).toEqual(
      expect.arrayContaining([
        'SgwUpstreamErrorRate',
        'SgwQueueOldestJobAge',
        'SgwWebhookFailureRate',
        'SgwDelegationChecksFailing',
        'SgwConsentFailures',
      ]),
    );
    for (const rule of alerts) {
      expect([rule.alert, rule.labels?.severity]).toEqual([
        rule.alert,
        expect.stringMatching(/^(warning|critical)$/),
      ]);
      expect([rule.alert, rule.annotations?.summary]).toEqual([rule.alert, expect.any(String)]);
    }
  });

  it('reads queue gauges as the max over processes, since every gateway replica reports the same queues', () => {
    const queueGauges = [...dashboardQueries, ...alerts.map((rule) => rule.expr)].filter((query) =>
      /sgw_queue_(jobs|oldest_job_age_seconds)/.test(query),
    );
    expect(queueGauges.length).toBeGreaterThan(0);
    for (const query of queueGauges) expect(query).toMatch(/\bmax by \(/);
  });
});
