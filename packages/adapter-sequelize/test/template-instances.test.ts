import { DEFAULT_MASK, defaultResolveActor, renderTemplate } from '@eventlog/core';
import { DataTypes, Model, Sequelize } from 'sequelize';
import { afterAll, describe, expect, it } from 'vitest';

// Instances are built, never saved: no table is needed, only a Sequelize to define the model on.
const sequelize = new Sequelize({ dialect: 'sqlite', storage: ':memory:', logging: false });
afterAll(() => sequelize.close());

class User extends Model {}
User.init(
  {
    id: { type: DataTypes.INTEGER, primaryKey: true },
    firstName: DataTypes.STRING,
    lastName: DataTypes.STRING,
    password: DataTypes.STRING,
    fullName: {
      type: DataTypes.VIRTUAL,
      get(this: User): string {
        return `${this.getDataValue('firstName')} ${this.getDataValue('lastName')}`;
      },
    },
    nickname: {
      type: DataTypes.STRING,
      get(this: User): string {
        return `~${this.getDataValue('nickname')}`;
      },
    },
  },
  { sequelize, modelName: 'User' },
);

describe('templates and resolvers on real Sequelize instances', () => {
  const ann = User.build({
    id: 7,
    firstName: 'Ann',
    lastName: 'Lee',
    password: 'hunter2',
    nickname: 'al',
  });

  it('reads attributes, virtuals and custom getters through get()', () => {
    const r = renderTemplate('{u__first_name} {u__full_name} {u__nickname} {u__password}', {
      u__first_name: ann,
      u__full_name: ann,
      u__nickname: ann,
      u__password: ann,
    });
    expect(r.message).toBe(`Ann Ann Lee ~al ${DEFAULT_MASK}`);
  });

  it('renders a whole instance as its data, secrets masked', () => {
    const r = renderTemplate('{user}', { user: ann });
    expect(JSON.parse(r.message)).toEqual({
      id: 7,
      firstName: 'Ann',
      lastName: 'Lee',
      password: DEFAULT_MASK,
      fullName: 'Ann Lee',
      nickname: '~al',
    });
  });

  it('resolves the actor id and label', () => {
    expect(defaultResolveActor(ann)).toEqual({ id: '7', label: 'Ann Lee' });
  });
});
