import { BadlyRatedCase, DashboardDeadlineRow, DashboardDeadlines, DashboardFigureRow, DashboardStore, SATISFACTION_LEVELS } from '@tongban/cases';
import { DataSource } from 'typeorm';

type Row = Record<string, unknown>;

/** Decided cases whose three working-day figures are all known: the averages compare like with like. */
const MEASURED = `concluded_at IS NOT NULL AND working_days_used IS NOT NULL AND promised_working_days IS NOT NULL AND statutory_working_days IS NOT NULL`;

/** One count per satisfaction level and target, as columns w0…w4 and h0…h4 (levels from code, never from input). */
const RATING_COLUMNS = SATISFACTION_LEVELS.flatMap((level, i) => [
  `count(*) FILTER (WHERE window_rating = '${level}')::int AS w${i}`,
  `count(*) FILTER (WHERE handling_rating = '${level}')::int AS h${i}`,
]).join(',\n    ');

/**
 * The sums of one direction. The (collecting_district | approving_district, created_at DESC, …)
 * indexes of the console's lists give the period as one range scan per direction.
 */
const figuresOf = (direction: 'outgoing' | 'incoming') => {
  const [mine, theirs] = direction === 'outgoing' ? ['collecting_district', 'approving_district'] : ['approving_district', 'collecting_district'];
  return `
  SELECT '${direction}'::text AS direction, ${theirs} AS partner, item_code, min(item_name) AS item_name,
    count(*)::int AS total,
    count(accepted_at)::int AS accepted,
    count(concluded_at)::int AS concluded,
    count(*) FILTER (WHERE concluded_at IS NOT NULL AND promised_due_at IS NOT NULL)::int AS concluded_with_due,
    count(*) FILTER (WHERE concluded_at <= promised_due_at)::int AS on_time,
    count(*) FILTER (WHERE ${MEASURED})::int AS measured,
    coalesce(sum(working_days_used) FILTER (WHERE ${MEASURED}), 0)::int AS used,
    coalesce(sum(promised_working_days) FILTER (WHERE ${MEASURED}), 0)::int AS promised,
    coalesce(sum(statutory_working_days) FILTER (WHERE ${MEASURED}), 0)::int AS statutory,
    ${RATING_COLUMNS}
  FROM cases WHERE ${mine} = $1 AND created_at >= $2 AND created_at < $3
  GROUP BY ${theirs}, item_code`;
};
const FIGURES_SQL = `${figuresOf('outgoing')}\n  UNION ALL${figuresOf('incoming')}`;

/** Running = accepted and not decided, clock not paused (a SUSPENDED case's due date moves on resumption). */
const runningOf = (direction: 'outgoing' | 'incoming') => {
  const [mine, theirs] = direction === 'outgoing' ? ['collecting_district', 'approving_district'] : ['approving_district', 'collecting_district'];
  return `SELECT '${direction}'::text AS direction, ${theirs} AS partner, case_number, approving_district, item_code, item_name, promised_due_at
          FROM cases WHERE ${mine} = $1 AND state IN ('ACCEPTED', 'IN_REVIEW') AND promised_due_at IS NOT NULL`;
};
const DEADLINES_SQL = `
  WITH horizons AS (SELECT * FROM unnest($3::text[], $4::timestamptz[]) AS h(district, horizon)),
  running AS (${runningOf('outgoing')} UNION ALL ${runningOf('incoming')}),
  flagged AS (
    SELECT r.*, CASE WHEN r.promised_due_at < $2 THEN 'overdue' WHEN r.promised_due_at <= h.horizon THEN 'atRisk' END AS kind
    FROM running r LEFT JOIN horizons h ON h.district = r.approving_district
    WHERE r.promised_due_at < $2 OR r.promised_due_at <= h.horizon),
  ranked AS (
    SELECT f.*, count(*) OVER (PARTITION BY kind)::int AS n,
           row_number() OVER (PARTITION BY kind ORDER BY promised_due_at, case_number) AS rn
    FROM flagged f)
  SELECT * FROM ranked WHERE rn <= $5 ORDER BY kind, rn`;

/** The dashboard's aggregates on PostgreSQL (and PGlite): plain SQL over the figure columns of `cases`. */
export class TypeOrmDashboardStore extends DashboardStore {
  constructor(private readonly db: DataSource) {
    super();
  }

  async figures(district: string, from: Date, to: Date): Promise<DashboardFigureRow[]> {
    const rows: Row[] = await this.db.query(FIGURES_SQL, [district, from, to]);
    return rows.map((r) => ({
      direction: r.direction as DashboardFigureRow['direction'],
      partner: r.partner as string,
      itemCode: r.item_code as string,
      itemName: r.item_name as string,
      total: Number(r.total),
      accepted: Number(r.accepted),
      concluded: Number(r.concluded),
      concludedWithDue: Number(r.concluded_with_due),
      onTime: Number(r.on_time),
      measured: Number(r.measured),
      workingDaysUsed: Number(r.used),
      promisedWorkingDays: Number(r.promised),
      statutoryWorkingDays: Number(r.statutory),
      windowRatings: Object.fromEntries(SATISFACTION_LEVELS.map((level, i) => [level, Number(r[`w${i}`])])),
      handlingRatings: Object.fromEntries(SATISFACTION_LEVELS.map((level, i) => [level, Number(r[`h${i}`])])),
    }));
  }

  async badlyRated(district: string, limit: number): Promise<BadlyRatedCase[]> {
    // Two index scans (one per side) merged; the ratings are the canonical named levels.
    const columns = 'case_number, collecting_district, approving_district, item_name, updated_at';
    const rows: Row[] = await this.db.query(
      `SELECT * FROM (
         (SELECT ${columns} FROM cases WHERE collecting_district = $1 AND (${BAD_RATING}) ORDER BY updated_at DESC LIMIT $2)
         UNION ALL
         (SELECT ${columns} FROM cases WHERE approving_district = $1 AND (${BAD_RATING}) ORDER BY updated_at DESC LIMIT $2)
       ) bad ORDER BY updated_at DESC LIMIT $2`,
      [district, limit],
    );
    return rows.map((r) => ({
      caseNumber: r.case_number as string,
      collectingDistrict: r.collecting_district as string,
      approvingDistrict: r.approving_district as string,
      itemName: r.item_name as string,
    }));
  }

  async deadlines(district: string, now: Date, horizons: ReadonlyMap<string, Date>, limit: number): Promise<DashboardDeadlines> {
    const rows: Row[] = await this.db.query(DEADLINES_SQL, [district, now, [...horizons.keys()], [...horizons.values()], limit]);
    const of = (kind: string) => rows.filter((r) => r.kind === kind);
    const toRow = (r: Row): DashboardDeadlineRow => ({
      caseNumber: r.case_number as string,
      direction: r.direction as DashboardDeadlineRow['direction'],
      partner: r.partner as string,
      approvingDistrict: r.approving_district as string,
      itemCode: r.item_code as string,
      itemName: r.item_name as string,
      promisedDueAt: r.promised_due_at as Date,
    });
    return {
      overdueCount: Number(of('overdue')[0]?.n ?? 0),
      atRiskCount: Number(of('atRisk')[0]?.n ?? 0),
      overdue: of('overdue').map(toRow),
      atRisk: of('atRisk').map(toRow),
    };
  }
}

/** Matches the partial indexes cases_bad_rating_*_idx exactly, so the planner uses them. */
const BAD_RATING = `window_rating IN ('DISSATISFIED', 'VERY_DISSATISFIED') OR handling_rating IN ('DISSATISFIED', 'VERY_DISSATISFIED')`;
