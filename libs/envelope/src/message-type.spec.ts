import { ContractRegistry } from '@tongban/contracts';
import { resolve } from 'node:path';
import { CONTRACT_ID_BY_TYPE, isMessageType, MessageType } from './message-type';

describe('message type catalogue', () => {
  // A new MessageType without its contract folder would pass the typecheck and fail every message.
  it.each(Object.values(MessageType))('%s has a contract on disk', (type) => {
    const registry = ContractRegistry.loadFromDirectory(resolve(__dirname, '../../../contracts'));
    expect(registry.versions(CONTRACT_ID_BY_TYPE[type]).length).toBeGreaterThan(0);
  });

  it('maps each type to a distinct contract', () => {
    const ids = Object.values(CONTRACT_ID_BY_TYPE);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('recognises only the catalogue', () => {
    expect(isMessageType('case.submission')).toBe(true);
    expect(isMessageType('CASE_SUBMISSION')).toBe(false);
    expect(isMessageType(undefined)).toBe(false);
  });
});
