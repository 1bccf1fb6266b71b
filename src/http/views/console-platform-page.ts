import type { SloReport } from '../../metrics/index.js';
import { html } from './html.js';
import { consoleLayout, table, when, type ConsoleViewer } from './console-pages.js';

/** The platform's own state in the admin console: its admin keys and its SLOs. */

const percent = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(3)} %`);

function sloTable(report: SloReport | null) {
  if (!report) {
    return html`<p class="notice error" role="alert">
      The SLO report is not available now (its store did not answer); try again shortly.
    </p>`;
  }
  return html`<p class="hint">As of ${when(report.evaluated_at)}, the same as GET /slo.</p>
    ${table(
      ['SLO', 'Objective', 'SLI', 'Budget left', 'Alerts firing'],
      report.slos.map((slo) => {
        const firing = slo.alerts.filter((a) => a.firing).map((a) => a.severity);
        return html`<tr>
          <td>${slo.name}<br /><span class="hint">${slo.description}</span></td>
          <td>${percent(slo.objective)} over ${slo.window}</td>
          <td>${percent(slo.sli)} (${slo.good_events}/${slo.total_events})</td>
          <td>${percent(slo.error_budget_remaining)}</td>
          <td>${firing.length ? firing.join(', ') : 'none'}</td>
        </tr>`;
      }),
      'No SLOs are defined (config/slo.yaml).',
    )}`;
}

export function consolePlatformPage(options: {
  viewer: ConsoleViewer;
  keys: Array<{
    id: string;
    name: string;
    createdBy: string | null;
    createdAt: Date;
    revokedAt: Date | null;
  }>;
  moreKeys: boolean;
  slo: SloReport | null;
}): string {
  return consoleLayout({
    title: 'Platform',
    viewer: options.viewer,
    body: html`<h1>Platform</h1>
      <h2>Service level objectives</h2>
      ${sloTable(options.slo)}
      <h2>Platform admin API keys</h2>
      <p class="hint">
        Keys that see every org. Create and revoke them with the admin API or
        <code>npm run cli -- apikeys</code>.
      </p>
      ${table(
        ['Name', 'Key id', 'Created by', 'Created', 'Revoked'],
        options.keys.map(
          (k) =>
            html`<tr>
              <td>${k.name}</td>
              <td><code>${k.id}</code></td>
              <td>${k.createdBy ?? '—'}</td>
              <td>${when(k.createdAt)}</td>
              <td>${k.revokedAt ? when(k.revokedAt) : '—'}</td>
            </tr>`,
        ),
        'No platform keys.',
      )}
      ${options.moreKeys ? html`<p class="hint">Only the first keys are shown.</p>` : ''}`,
  });
}
