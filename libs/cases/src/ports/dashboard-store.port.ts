/** One (direction, partner, item) group of a district's cases collected in a period, summed. */
export interface DashboardFigureRow {
  /** outgoing: this district collected for the partner; incoming: the partner collected for it. */
  direction: 'outgoing' | 'incoming';
  partner: string;
  itemCode: string;
  itemName: string;
  total: number;
  accepted: number;
  concluded: number;
  /** Concluded cases that had a promised due date, and those concluded by it. */
  concludedWithDue: number;
  onTime: number;
  /** Concluded cases with working-day figures, and their sums. */
  measured: number;
  workingDaysUsed: number;
  promisedWorkingDays: number;
  statutoryWorkingDays: number;
  /** Count per named level, per rating target. */
  windowRatings: Record<string, number>;
  handlingRatings: Record<string, number>;
}

/** A running case (accepted, not decided, clock not paused) whose promised due date is near or past. */
export interface DashboardDeadlineRow {
  caseNumber: string;
  direction: 'outgoing' | 'incoming';
  partner: string;
  approvingDistrict: string;
  itemCode: string;
  itemName: string;
  promisedDueAt: Date;
}

export interface DashboardDeadlines {
  overdueCount: number;
  atRiskCount: number;
  /** The earliest due first, at most `limit` of each kind. */
  overdue: DashboardDeadlineRow[];
  atRisk: DashboardDeadlineRow[];
}

export interface BadlyRatedCase {
  caseNumber: string;
  collectingDistrict: string;
  approvingDistrict: string;
  itemName: string;
}

/** The supervisor dashboard's aggregate reads. */
export abstract class DashboardStore {
  /** Sums of the district's cases collected in [from, to), grouped by direction, partner and item. */
  abstract figures(district: string, from: Date, to: Date): Promise<DashboardFigureRow[]>;
  /**
   * The district's running cases due before `now` (overdue) or before their approving district's
   * at-risk horizon (`horizons`, per approving district; a district not listed has none).
   */
  abstract deadlines(district: string, now: Date, horizons: ReadonlyMap<string, Date>, limit: number): Promise<DashboardDeadlines>;
  /** The district's cases (either side) whose latest window or handling rating is bad, newest first. */
  abstract badlyRated(district: string, limit: number): Promise<BadlyRatedCase[]>;
}
