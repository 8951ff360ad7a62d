import 'reflect-metadata';
import { EventLogService, memoryStorage } from '@eventlog/core';
import { EventLogModule } from '@eventlog/http-nest';
import { Controller, Module, Param, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Request } from 'express';

// Stand-in for your authentication: the user named by the `x-user` header.
const users: Record<string, { id: string; label: string; isStaff: boolean }> = {
  ada: { id: '1', label: 'Ada', isStaff: true },
  bob: { id: '2', label: 'Bob', isStaff: false },
};
const userOf = (req: Request) => users[String(req.headers['x-user'])];

export const eventlog = new EventLogService(memoryStorage()); // or knexStorage(knex), ...

@Controller('items')
class ItemsController {
  @Post(':id/archive')
  async archive(@Param('id') id: string) {
    const item = { type: 'Item', id };
    await eventlog.log({ template: 'Archived', object: item, tool: 'items', action: 'archive' });
    return { archived: id };
  }
}

@Module({
  imports: [
    // GET /eventlogs (list) and GET /eventlogs/:id (one entry); `path` moves them.
    EventLogModule.forRoot({
      eventlog,
      authorize: (req: Request) => userOf(req)?.isStaff === true, // required; or 'public'
      // Every log() while handling a request gets its actor, ip, user agent and request id.
      context: { actor: userOf },
      // GET /items/:id/log: the log of one item.
      objectLogs: [{ path: 'items', objectType: 'Item', authorize: (req) => !!userOf(req) }],
    }),
  ],
  controllers: [ItemsController],
})
export class AppModule {}

export const app = await NestFactory.create(AppModule, { logger: ['error', 'warn'] });
await app.listen(Number(process.env.PORT ?? 3000));
