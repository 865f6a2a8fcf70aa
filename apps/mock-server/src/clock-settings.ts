import type { ClockStore } from './clock.js';
import type { Db } from './db/database.js';

/** The settings key holding the admin clock's offset from real time, in milliseconds. */
const CLOCK_OFFSET_KEY = 'clock_offset_ms';

/**
 * The admin clock's offset kept in the `settings` table (migrations/0003_settings.ts), so a
 * restart on the same data directory keeps the clock where `/_admin/clock` moved it.
 */
export function clockSettings(db: Db): ClockStore {
  return {
    load() {
      const value = db.first(
        db.q.selectFrom('settings').select('value').where('key', '=', CLOCK_OFFSET_KEY),
      )?.value;
      const offsetMs = value === undefined ? Number.NaN : Number(value);
      return Number.isFinite(offsetMs) ? offsetMs : undefined;
    },
    save(offsetMs) {
      const value = String(offsetMs);
      db.run(
        db.q
          .insertInto('settings')
          .values({ key: CLOCK_OFFSET_KEY, value })
          .onConflict((oc) => oc.column('key').doUpdateSet({ value })),
      );
    },
  };
}
