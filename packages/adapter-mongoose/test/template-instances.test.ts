import { DEFAULT_MASK, defaultResolveActor, renderTemplate } from '@eventlog/core';
import { Mongoose, Schema } from 'mongoose';
import { describe, expect, it } from 'vitest';

// Documents are built, never saved: a fresh Mongoose without a connection is enough.
const mongoose = new Mongoose();
const schema = new Schema({
  firstName: String,
  lastName: String,
  password: String,
  address: new Schema({ city: String, secret: String }),
});
schema.virtual('fullName').get(function (this: { firstName: string; lastName: string }) {
  return `${this.firstName} ${this.lastName}`;
});
const User = mongoose.model('User', schema);

describe('templates and resolvers on real Mongoose documents', () => {
  const ann = new User({
    firstName: 'Ann',
    lastName: 'Lee',
    password: 'hunter2',
    address: { city: 'Lyon', secret: 'door-code' },
  });

  it('reads paths, virtuals and subdocuments through get()', () => {
    const r = renderTemplate('{u__first_name} {u__full_name} {u__address__city} {u__password}', {
      u__first_name: ann,
      u__full_name: ann,
      u__address__city: ann,
      u__password: ann,
    });
    expect(r.message).toBe(`Ann Ann Lee Lyon ${DEFAULT_MASK}`);
  });

  it('renders a whole document as its data, the ObjectId as hex, secrets masked', () => {
    const r = renderTemplate('{user}', { user: ann });
    expect(JSON.parse(r.message)).toMatchObject({
      _id: ann._id.toHexString(),
      firstName: 'Ann',
      password: DEFAULT_MASK,
      address: { city: 'Lyon', secret: DEFAULT_MASK },
    });
  });

  it('resolves the actor id and label', () => {
    expect(defaultResolveActor(ann)).toEqual({ id: ann._id.toHexString(), label: 'Ann Lee' });
  });
});
