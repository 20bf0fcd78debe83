import { MigrationInterface, QueryRunner } from 'typeorm';

/** Several contract versions side by side: what the recipient receives when the gateway converted. */
export class ContractConversions1764075600000 implements MigrationInterface {
  name = 'ContractConversions1764075600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE messages ADD COLUMN delivered_contract_version text`);
    await q.query(`UPDATE messages SET delivered_contract_version = contract_version`);
    await q.query(`ALTER TABLE messages ALTER COLUMN delivered_contract_version SET NOT NULL`);
    await q.query(`ALTER TABLE messages ADD COLUMN conversion text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE messages DROP COLUMN conversion`);
    await q.query(`ALTER TABLE messages DROP COLUMN delivered_contract_version`);
  }
}
