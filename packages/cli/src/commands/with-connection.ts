import { type OptionValues, str } from '../command';
import { type Connected, connect } from '../connect';

/** Opens the log the options name, runs `fn`, and always closes it. */
export async function withConnection<T>(
  values: OptionValues,
  fn: (c: Connected) => Promise<T>,
): Promise<T> {
  const connected = await connect({
    db: str(values.db),
    config: str(values.config),
    table: str(values.table),
  });
  try {
    return await fn(connected);
  } finally {
    await connected.close();
  }
}
