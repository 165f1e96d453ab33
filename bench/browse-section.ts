import type { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { User } from '../db/entities';
import type { Services } from '../server/domain/services';
import {
  BROWSE_TARGET_P99_MS,
  cursorForPage,
  explainBrowse,
  timeBaseline,
  timeBrowse,
  verifyBrowse,
  type BrowseScenario,
  type Verification,
} from './browse-bench';
import type { Section } from './chat-sections';
import { BENCH_USER, BROWSE_SCALE, EXTERNAL_USER } from './seed';
import { ms, out, table, type Latency, seconds } from './stats';

const BROWSE_RUNS = { warmup: 50, n: 400 };

/** Browse: results checked against a reference query, then timed next to a keyed SELECT. */
export async function browseSection(args: {
  ds: DataSource;
  db: Client;
  services: Services;
  explain: boolean;
}): Promise<Section> {
  const { ds, db, services } = args;
  const user = await ds.manager.findOneByOrFail(User, { id: BENCH_USER });
  const external = await ds.manager.findOneByOrFail(User, { id: EXTERNAL_USER });
  const groups = (
    await db.query('SELECT count(*)::int AS n FROM group_members WHERE user_id = $1', [user.id])
  ).rows[0].n;

  const t = process.hrtime.bigint();
  const verifications: Verification[] = [
    await verifyBrowse(services.browse, db, `${user.email} (internal, ${groups} groups)`, user),
    await verifyBrowse(services.browse, db, `${user.email}, text 'proj'`, user, 'proj'),
    await verifyBrowse(services.browse, db, `${external.email} (external)`, external),
  ];
  for (const v of verifications) {
    out(
      v.ok
        ? `browse results verified: ${v.actual} packages (${v.label}; ${v.pages} pages of 20)`
        : `BROWSE RESULTS DIFFER for ${v.label}: served ${v.actual}, reference ${v.expected}: ${v.detail}`,
    );
  }
  const visible = verifications[0].actual;

  const scenarios: BrowseScenario[] = [
    { label: 'browse, first page', user, query: { limit: 20 } },
    { label: "browse, text 'proj'", user, query: { text: 'proj', limit: 20 } },
    {
      label: 'browse, page 5 (cursor)',
      user,
      query: { limit: 20, cursor: await cursorForPage(services.browse, user, { limit: 20 }, 5) },
    },
    { label: "browse, text 'zzz' (no match)", user, query: { text: 'zzz', limit: 20 } },
    { label: 'browse, external user', user: external, query: { limit: 20 } },
  ];
  const packageIds = (await db.query<{ id: string }>('SELECT id FROM access_packages')).rows.map(
    (r) => r.id,
  );
  const baseline = await timeBaseline(ds, packageIds, BROWSE_RUNS);
  const browseResults: Array<[BrowseScenario, Latency]> = [];
  for (const s of scenarios)
    browseResults.push([s, await timeBrowse(services.browse, s, BROWSE_RUNS)]);
  out(`browse timed in ${seconds(t)} s`);

  if (args.explain) {
    for (const s of scenarios.slice(0, 3)) {
      out(`\nEXPLAIN ANALYZE — ${s.label} (${s.user.email})`);
      out(await explainBrowse(ds, services.browse, s));
    }
    out();
  }

  return {
    failures: verifications.filter((v) => !v.ok).length,
    print: () => {
      out(
        `Browse: ${BROWSE_SCALE.packages} packages, ${BROWSE_SCALE.packages * BROWSE_SCALE.policiesPerPackage} ` +
          `policies, ${BROWSE_SCALE.users} users, ${BROWSE_SCALE.groups} groups; the user is in ${groups} groups ` +
          `and may request ${visible} packages. Sequential calls, ${BROWSE_RUNS.warmup} warm-up + ` +
          `${BROWSE_RUNS.n} timed; milliseconds.`,
      );
      const row = (label: string, l: Latency, ratio: string, verdict: string) => [
        label,
        String(l.n),
        ms(l.p50),
        ms(l.p95),
        ms(l.p99),
        ms(l.max),
        ratio,
        verdict,
      ];
      out(
        table(
          [
            '',
            'n',
            'p50',
            'p95',
            'p99',
            'max',
            'p50 / baseline',
            `p99 ≤ ${BROWSE_TARGET_P99_MS} ms`,
          ],
          [
            row('baseline: SELECT id … WHERE id = $1', baseline, '1.0×', ''),
            ...browseResults.map(([s, l]) =>
              row(
                s.label,
                l,
                `${(l.p50 / baseline.p50).toFixed(1)}×`,
                l.p99 <= BROWSE_TARGET_P99_MS ? 'PASS' : 'FAIL',
              ),
            ),
          ],
        ),
      );
      out();
    },
  };
}
