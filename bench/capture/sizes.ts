/** Sizes of `npm run bench -- capture`; BENCH_CAPTURE_QUICK=1 is a smoke run at a tenth. */

const SCALE = process.env.BENCH_CAPTURE_QUICK === '1' ? 10 : 1;

/** Rows of the tracked table; a bulk update writes all of them. */
export const ROWS = 10_000 / SCALE;
/** Bulk updates: one untimed call per side, then rounds rotating which side goes first. */
export const BULK = { warmup: 1, calls: 5, block: 1 };
/** Single-row updates: untimed calls per side, then calls interleaved in blocks. */
export const SINGLE = { warmup: 100 / SCALE, calls: 1000 / SCALE, block: 20 };
/**
 * Single-row updates through Sequelize: fewer calls, as Sequelize opens a SQLite connection per
 * transaction and syncs every commit (tens of ms per write).
 */
export const SEQUELIZE_SINGLE = { warmup: 20 / SCALE, calls: 300 / SCALE, block: 10 };
