import 'reflect-metadata';
import type { RequestListener } from 'node:http';
import type { EventLogService } from '@eventlog/core';
import { eventLogRouter } from '@eventlog/http-express';
import { fastifyEventLog } from '@eventlog/http-fastify';
import { eventLogRoutes } from '@eventlog/http-hono';
import { EventLogModule } from '@eventlog/http-nest';
import { getRequestListener } from '@hono/node-server';
import { Controller, Get, Module, Query } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';

/** One framework: its event log package and what a developer would write by hand on it. */
export interface FrameworkPair {
  name: string;
  adapter: string;
  withAdapter(service: EventLogService): Promise<RequestListener>;
  handWritten(service: EventLogService): Promise<RequestListener>;
}

// The baseline handler of every framework: `GET /?tool=&limit=` straight to `list()`.
async function listed(service: EventLogService, tool: unknown, limitParam: unknown) {
  const limit = Math.min(Number(limitParam ?? 50) || 50, 500);
  const page = await service.list({ ...(typeof tool === 'string' && { tool }), limit });
  return { next: page.nextCursor, results: page.results };
}

async function nestListener(module: unknown): Promise<RequestListener> {
  const app = await NestFactory.create(module as never, { logger: false });
  await app.init();
  return app.getHttpAdapter().getInstance();
}

export const FRAMEWORKS: FrameworkPair[] = [
  {
    name: 'Express 5',
    adapter: 'eventLogRouter',
    withAdapter: async (service) =>
      express().use('/', eventLogRouter(service, { authorize: 'public' })),
    handWritten: async (service) =>
      express().get('/', async (req, res) => {
        res.json(await listed(service, req.query.tool, req.query.limit));
      }),
  },
  {
    name: 'Fastify 5',
    adapter: 'fastifyEventLog (schemas, fast-json-stringify)',
    async withAdapter(service) {
      const app = Fastify();
      app.register(fastifyEventLog, { eventlog: service, authorize: 'public' });
      await app.ready();
      return app.routing;
    },
    async handWritten(service) {
      const app = Fastify();
      app.get('/', async (req) => {
        const q = req.query as Record<string, unknown>;
        return listed(service, q.tool, q.limit);
      });
      await app.ready();
      return app.routing;
    },
  },
  {
    name: 'Hono 4 (@hono/node-server)',
    adapter: 'eventLogRoutes',
    withAdapter: async (service) =>
      getRequestListener(
        new Hono().route('/', eventLogRoutes(service, { authorize: 'public' })).fetch,
      ),
    handWritten: async (service) =>
      getRequestListener(
        new Hono().get('/', async (c) =>
          c.json(await listed(service, c.req.query('tool'), c.req.query('limit'))),
        ).fetch,
      ),
  },
  {
    name: 'NestJS 11 (platform-express)',
    adapter: 'EventLogModule.forRoot',
    withAdapter(service) {
      @Module({
        imports: [EventLogModule.forRoot({ eventlog: service, authorize: 'public', path: '/' })],
      })
      class AppModule {}
      return nestListener(AppModule);
    },
    handWritten(service) {
      @Controller()
      class ListController {
        @Get()
        list(@Query('tool') tool: unknown, @Query('limit') limit: unknown) {
          return listed(service, tool, limit);
        }
      }
      @Module({ controllers: [ListController] })
      class AppModule {}
      return nestListener(AppModule);
    },
  },
];
