import { createDiffSchema, EventLogAction, type EventLogService } from '@eventlog/core';
import type { Knex } from 'knex';
import { z } from 'zod';
import type { DemoUser } from './users';

/** A second resource under its own tool, so filtering by tool means something. */
export const TEAMS_TOOL = 'team_management';

export interface Team {
  id: number;
  name: string;
  leadId: string;
  updatedAt: string;
}

export const teamSchema = z
  .object({ name: z.string().trim().min(1).max(200), leadId: z.string().min(1).max(50) })
  .strict();

interface TeamRow {
  id: number;
  name: string;
  lead_id: string;
  updated_at: string | Date;
}

const toTeam = (r: TeamRow): Team => ({
  id: Number(r.id),
  name: r.name,
  leadId: r.lead_id,
  updatedAt: new Date(r.updated_at).toISOString(),
});

export function teamsModel(db: Knex, eventlog: EventLogService<Knex.Transaction>) {
  return {
    async list(): Promise<Team[]> {
      return (await db<TeamRow>('teams').orderBy('id')).map(toTeam);
    },

    async create(input: z.input<typeof teamSchema>, user: DemoUser, at = new Date()) {
      const data = teamSchema.parse(input);
      return db.transaction(async (trx) => {
        const [row] = await trx<TeamRow>('teams')
          .insert({ name: data.name, lead_id: data.leadId, updated_at: at.toISOString() })
          .returning('*');
        const team = toTeam(row as TeamRow);
        await eventlog.log(
          {
            template: 'Team {team__name} was created by {user__full_name}.',
            values: { team__name: team, user__full_name: user },
            object: { type: 'Team', id: team.id },
            actor: user,
            tool: TEAMS_TOOL,
            action: EventLogAction.CREATE,
            timestamp: at,
          },
          { transaction: trx },
        );
        return team;
      });
    },

    /** A custom action: any string is a valid action. */
    async changeLead(id: number, leadId: string, user: DemoUser, at = new Date()) {
      return db.transaction(async (trx) => {
        const row = await trx<TeamRow>('teams').where({ id }).first();
        if (!row) return undefined;
        const before = toTeam(row);
        await trx('teams').where({ id }).update({ lead_id: leadId, updated_at: at.toISOString() });
        const after = { ...before, leadId, updatedAt: at.toISOString() };
        await eventlog.log(
          {
            template: '{user__full_name} made {lead} the lead of team {team__name}.',
            values: { user__full_name: user, lead: leadId, team__name: after },
            object: { type: 'Team', id },
            actor: user,
            tool: TEAMS_TOOL,
            action: 'change_lead',
            changes: createDiffSchema(before, after, { excludeKeys: ['updatedAt'] }),
            timestamp: at,
          },
          { transaction: trx },
        );
        return after;
      });
    },
  };
}

export type TeamsModel = ReturnType<typeof teamsModel>;
