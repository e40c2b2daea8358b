import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Param,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RequestValidationError } from '../../common/errors';
import { JSON_CONTENT_TYPE } from '../../common/http/content-type';
import { UuidParamPipe } from '../../common/validation/uuid-param.pipe';
import { ZodPipe } from '../../common/validation/zod-body.pipe';
import { InjectConfig, type AppConfig } from '../../config';
import { CurrentPrincipal, MinRole } from '../auth/auth.decorators';
import type { TenantPrincipal } from '../auth/principal';
import { RouteRateLimit } from '../rate-limit/rate-limit.decorators';
import { CreateDebateUseCase, type CreatedDebate } from './create-debate.use-case';
import {
  createDebateSchema,
  eventsQuerySchema,
  exportQuerySchema,
  forkSchema,
  listQuerySchema,
  voteSchema,
  type EventsQuery,
  type ListQuery,
  type VoteBody,
} from './debates.dto';
import { DebatesService } from './debates.service';

const debateId = new UuidParamPipe('debate');

/** Idempotency keys are opaque strings from the client; bounded so they stay index-friendly. */
function idempotencyKey(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  if (raw.length === 0 || raw.length > 255) {
    throw new RequestValidationError([
      { field: 'Idempotency-Key', rule: 'too_big', message: '1 to 255 characters' },
    ]);
  }
  return raw;
}

@Controller('api/v1/debates')
export class DebatesController {
  private readonly createSchema: ZodPipe<ReturnType<typeof createDebateSchema>>;
  private readonly forkSchema: ZodPipe<ReturnType<typeof forkSchema>>;

  constructor(
    private readonly debates: DebatesService,
    private readonly creator: CreateDebateUseCase,
    @InjectConfig() config: AppConfig,
  ) {
    this.createSchema = new ZodPipe(createDebateSchema(config.debates));
    this.forkSchema = new ZodPipe(forkSchema(config.debates));
  }

  @Post()
  @HttpCode(202)
  @MinRole('member')
  @RouteRateLimit('debates')
  create(
    @CurrentPrincipal() principal: TenantPrincipal,
    @Body() body: unknown,
    @Headers('idempotency-key') key: string | undefined,
  ): Promise<CreatedDebate> {
    return this.creator.create(principal, this.createSchema.transform(body), idempotencyKey(key));
  }

  @Get()
  async list(
    @CurrentPrincipal() principal: TenantPrincipal,
    @Query(new ZodPipe(listQuerySchema, 'query')) query: ListQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Buffer> {
    const body = await this.debates.listJson(principal.tenantId, query);
    // JSON already rendered (and often cached) as bytes.
    void reply.header('content-type', JSON_CONTENT_TYPE);
    return body;
  }

  @Get(':id')
  async get(
    @CurrentPrincipal() principal: TenantPrincipal,
    @Param('id', debateId) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Buffer> {
    const body = await this.debates.getJson(principal.tenantId, id);
    void reply.header('content-type', JSON_CONTENT_TYPE);
    return body;
  }

  @Get(':id/events')
  events(
    @CurrentPrincipal() principal: TenantPrincipal,
    @Param('id', debateId) id: string,
    @Query(new ZodPipe(eventsQuerySchema, 'query')) query: EventsQuery,
  ) {
    return this.debates.events(principal.tenantId, id, query);
  }

  @Post([':id/votes', ':id/vote'])
  @HttpCode(201)
  @MinRole('member')
  vote(
    @CurrentPrincipal() principal: TenantPrincipal,
    @Param('id', debateId) id: string,
    @Body(new ZodPipe(voteSchema)) body: VoteBody,
    @Req() request: FastifyRequest,
  ) {
    return this.debates.vote(principal, id, body, request.ip);
  }

  @Post(':id/cancel')
  @HttpCode(202)
  @MinRole('member')
  cancel(@CurrentPrincipal() principal: TenantPrincipal, @Param('id', debateId) id: string) {
    return this.debates.cancel(principal.tenantId, id);
  }

  @Post(':id/fork')
  @HttpCode(202)
  @MinRole('member')
  @RouteRateLimit('debates')
  fork(
    @CurrentPrincipal() principal: TenantPrincipal,
    @Param('id', debateId) id: string,
    @Body() body: unknown,
  ): Promise<CreatedDebate> {
    return this.creator.fork(principal, id, this.forkSchema.transform(body));
  }

  @Get(':id/export')
  async export(
    @CurrentPrincipal() principal: TenantPrincipal,
    @Param('id', debateId) id: string,
    @Query(new ZodPipe(exportQuerySchema, 'query')) query: { format: 'json' | 'markdown' },
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const receipt = await this.debates.export(principal.tenantId, id, query.format);
    if (typeof receipt === 'string')
      void reply.header('content-type', 'text/markdown; charset=utf-8');
    return receipt;
  }
}
