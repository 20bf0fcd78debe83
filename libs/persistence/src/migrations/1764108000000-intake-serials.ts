import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Case numbers given out at the console's collection window (收件): one counter per district and
 * day, so numbers read like the hall's own (district, date, serial) and never repeat, even with two
 * gateways writing at once (the increment is one row-locked UPDATE … RETURNING).
 */
export class IntakeSerials1764108000000 implements MigrationInterface {
  name = 'IntakeSerials1764108000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE intake_serials (
        district text NOT NULL,
        day      text NOT NULL,
        last     integer NOT NULL,
        PRIMARY KEY (district, day)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE intake_serials`);
  }
}
