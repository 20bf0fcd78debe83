import { Injectable } from '@nestjs/common';
import { ContractError, ContractRegistry } from '@tongban/contracts';
import { CONTRACT_ID_BY_TYPE, isMessageType, MessageType } from '@tongban/envelope';
import { CaseError, CaseErrorCode } from '../case-error';
import type { StaffPrincipal } from '../staff/login.usecase';
import { SendFromConsoleUseCase } from './send-from-console.usecase';

/**
 * The payload schema the console's step forms are drawn from: the contract version the staff
 * member's district sends (the one SendFromConsoleUseCase signs), so the form asks for exactly what
 * the gateway will check.
 */
@Injectable()
export class StepContractUseCase {
  constructor(
    private readonly sender: SendFromConsoleUseCase,
    private readonly contracts: ContractRegistry,
  ) {}

  /** The JSON Schema itself; its `$id` names the contract and version. */
  schema(staff: StaffPrincipal, messageType: string): Record<string, unknown> {
    // Deadline events are the gateway's own; no district sends one.
    if (!isMessageType(messageType) || messageType === MessageType.DEADLINE_EVENT) {
      throw new CaseError(CaseErrorCode.UNKNOWN_CONTRACT, `No district sends ${messageType}.`);
    }
    const id = CONTRACT_ID_BY_TYPE[messageType];
    const version = this.sender.contractVersion(staff.district, messageType);
    try {
      return this.contracts.schema(id, version);
    } catch (error) {
      // The district declares a version this gateway does not have: its alliance entry is wrong.
      if (error instanceof ContractError) throw new CaseError(CaseErrorCode.UNKNOWN_CONTRACT_VERSION, `${staff.district} sends ${id}@${version}, which this gateway does not know.`);
      throw error;
    }
  }
}
