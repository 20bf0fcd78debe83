import { CONTRACT_ID_BY_TYPE } from '@tongban/envelope';
import { listContracts } from './catalogue';
import { MESSAGE_TYPE_BY_CONTRACT_ID } from './message-types';

// The package repeats the gateway's catalogue (it cannot import @tongban/envelope): both must agree.
describe('message types', () => {
  it('are the envelope catalogue, inverted', () => {
    const fromEnvelope = Object.fromEntries(Object.entries(CONTRACT_ID_BY_TYPE).map(([type, id]) => [id, type]));
    expect(MESSAGE_TYPE_BY_CONTRACT_ID).toEqual(fromEnvelope);
  });

  it('name every contract of the generated catalogue', () => {
    expect(listContracts().map((entry) => [entry.id, entry.messageType])).toEqual(
      Object.entries(MESSAGE_TYPE_BY_CONTRACT_ID).sort(([a], [b]) => a.localeCompare(b)),
    );
  });
});
