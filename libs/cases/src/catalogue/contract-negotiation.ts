import type { Alliance } from '@tongban/config';
import { compareSemver, conversionTargets, findConverter, type ContractConverter } from '@tongban/contracts';
import { CaseError, CaseErrorCode } from '../case-error';

export interface NegotiatedContract {
  /** The version the recipient receives. */
  version: string;
  /** Present when that is not the sender's version: the declared converter to apply. */
  converter?: ContractConverter;
}

/**
 * Several versions live side by side: each district declares which versions of each contract it
 * accepts. A message in a version the recipient accepts travels as is; otherwise the gateway converts
 * it when a converter is declared to a version the recipient accepts (the newest such), and refuses
 * it otherwise, naming what each side accepts.
 */
export function negotiateContract(alliance: Alliance, contractId: string, version: string, sender: string, recipient: string): NegotiatedContract {
  const recipientDistrict = alliance.district(recipient);
  if (!recipientDistrict) {
    throw new CaseError(CaseErrorCode.UNKNOWN_DISTRICT, `Recipient ${recipient} is not a district of this alliance.`, { recipient });
  }
  const accepted = recipientDistrict.acceptsContracts[contractId] ?? [];
  if (accepted.includes(version)) return { version };
  const target = conversionTargets(contractId, version)
    .filter((v) => accepted.includes(v))
    .sort(compareSemver)
    .pop();
  const converter = target ? findConverter(contractId, version, target) : undefined;
  if (target && converter) return { version: target, converter };
  const senderAccepts = alliance.district(sender)?.acceptsContracts[contractId] ?? [];
  throw new CaseError(
    CaseErrorCode.CONTRACT_VERSION_NOT_ACCEPTED,
    `${recipient} accepts ${contractId} in versions [${accepted.join(', ')}] and no converter leads there from ${version}; ` +
      `${sender} declares [${senderAccepts.join(', ')}]. Send a version both accept.`,
    { recipientAccepts: accepted, senderAccepts },
  );
}
