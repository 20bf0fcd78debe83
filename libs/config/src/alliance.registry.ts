import type { Agreement, AgreementMatch, Alliance, District, ServiceItem } from './app-config.types';
import { ConfigError } from './config.error';

/**
 * The resolved alliance with the look-ups the gateway needs on every message. Coverage is indexed
 * once at boot: (collecting, approving, item code) → agreement + item, with bidirectional
 * agreements indexed both ways, so a look-up is one Map get.
 */
export class AllianceRegistry implements Alliance {
  private readonly byId: ReadonlyMap<string, District>;
  /** collecting → approving → item code (basic or implementation) → match. */
  private readonly coverage = new Map<string, Map<string, Map<string, AgreementMatch>>>();
  private readonly partners = new Map<string, Set<string>>();

  constructor(
    readonly districts: readonly District[],
    readonly agreements: readonly Agreement[],
    readonly items: readonly ServiceItem[],
  ) {
    this.byId = new Map(districts.map((d) => [d.id, d]));
    agreements.forEach((agreement, a) => {
      const directions: Array<[string, string]> = [[agreement.collectingDistrict, agreement.approvingDistrict]];
      if (agreement.bidirectional) directions.push([agreement.approvingDistrict, agreement.collectingDistrict]);
      agreement.items.forEach((item, i) => {
        for (const [collecting, approving] of directions) {
          for (const code of new Set([item.basicCode, item.implementationCode])) {
            const byCode = this.codesFor(collecting, approving);
            const existing = byCode.get(code);
            // Two entries covering the same hand-off would make the applicable limits and
            // material list depend on file order; refuse instead of guessing.
            if (existing) {
              const where = existing.agreement === agreement ? `item ${existing.item.key} of the same agreement` : `agreement ${existing.agreement.id} (item ${existing.item.key})`;
              throw new ConfigError(
                `alliance.agreements[${a}].items[${i}]`,
                `item code ${code} from ${collecting} to ${approving} is already covered by ${where}; each hand-off must fall under exactly one agreement item`,
              );
            }
            byCode.set(code, { agreement, item });
          }
        }
      });
      this.link(agreement.collectingDistrict, agreement.approvingDistrict);
      this.link(agreement.approvingDistrict, agreement.collectingDistrict);
    });
  }

  district(id: string): District | undefined {
    return this.byId.get(id);
  }

  findAgreement(collecting: string, approving: string, itemCode: string): AgreementMatch | undefined {
    return this.coverage.get(collecting)?.get(approving)?.get(itemCode);
  }

  partnersOf(id: string): string[] {
    const linked = this.partners.get(id);
    if (!linked) return [];
    return this.districts.filter((d) => linked.has(d.id)).map((d) => d.id);
  }

  private codesFor(collecting: string, approving: string): Map<string, AgreementMatch> {
    let byApproving = this.coverage.get(collecting);
    if (!byApproving) this.coverage.set(collecting, (byApproving = new Map()));
    let byCode = byApproving.get(approving);
    if (!byCode) byApproving.set(approving, (byCode = new Map()));
    return byCode;
  }

  private link(from: string, to: string): void {
    let set = this.partners.get(from);
    if (!set) this.partners.set(from, (set = new Set()));
    set.add(to);
  }
}
