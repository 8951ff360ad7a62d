/** A fixed demo user. `fullName` is a class getter: templates read it as `{user__full_name}`. */
export class DemoUser {
  constructor(
    readonly id: string,
    readonly firstName: string,
    readonly lastName: string,
    readonly isStaff: boolean,
  ) {}

  get fullName(): string {
    return `${this.firstName} ${this.lastName}`;
  }

  toJSON() {
    return { id: this.id, fullName: this.fullName, isStaff: this.isStaff };
  }
}

export const USERS: readonly DemoUser[] = [
  new DemoUser('alice', 'Alice', 'Martin', true),
  new DemoUser('bob', 'Bob', 'Nguyen', false),
  new DemoUser('carol', 'Carol', 'Okafor', false),
];

export function findUser(id: unknown): DemoUser | undefined {
  return typeof id === 'string' ? USERS.find((u) => u.id === id) : undefined;
}

/** Reads the demo session: the `x-demo-user` header (for scripts) or the `demo_user` cookie. */
export function userFromHeaders(headers: Record<string, string | string[] | undefined>) {
  const header = headers['x-demo-user'];
  if (typeof header === 'string') return findUser(header);
  const cookie = typeof headers.cookie === 'string' ? headers.cookie : '';
  const match = /(?:^|;\s*)demo_user=([a-z]+)/.exec(cookie);
  return findUser(match?.[1]);
}
