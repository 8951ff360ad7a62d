import { EventLogError } from '../errors';
import type { BrokenLink } from './chain-walk';

/** An operation refused because the chain it would touch does not verify (e.g. purging a tampered prefix). */
export class IntegrityError extends EventLogError {
  static override readonly errorCode = 'INTEGRITY_ERROR' as const;

  readonly partition: string;
  readonly broken: BrokenLink;

  constructor(partition: string, broken: BrokenLink) {
    super(
      'INTEGRITY_ERROR',
      `chain "${partition}" is broken at seq ${broken.seq}: ${broken.reason}`,
    );
    this.partition = partition;
    this.broken = broken;
  }
}
