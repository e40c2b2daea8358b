import {
  Inject,
  Injectable,
  Module,
  type BeforeApplicationShutdown,
  type DynamicModule,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { AppConfig } from '../../config';
import { APP_CONFIG } from '../../config';
import type { Logger } from '../../common/logging/logger';
import { LOGGER } from '../../common/logging/logger.module';
import { AgentCaller } from '../agents/agent-caller';
import { AgentsModule } from '../agents/agents.module';
import { HealthModule } from '../health/health.module';
import { LiveStats } from '../health/live-stats';
import { LeaderboardModule } from '../leaderboard/leaderboard.module';
import { LeaderboardService } from '../leaderboard/leaderboard.service';
import { CreateDebateUseCase } from './create-debate.use-case';
import { DEBATE_EVENT_BUS, type DebateEventBus } from './debate-event-bus';
import { DEBATE_QUEUE, type DebateQueue } from './debate-queue';
import { DEBATE_RATINGS, type DebateRatings } from './debate-ratings.port';
import { DebateRunner, runnerSettings } from './debate-runner';
import { DebateMetrics } from './debate.metrics';
import { DebatesController } from './debates.controller';
import { DebateRecordsRepository } from './debate-records.repository';
import { DebatesRepository } from './debates.repository';
import { DebatesService } from './debates.service';
import { DebateViews } from './debate-views';
import { InProcessDebateQueue } from './in-process-debate-queue';
import { createDebateEventBus } from './redis-event-bus';

/**
 * Starts the runner once the app is up (its count of running debates feeds the metrics and
 * /api/v1/health); hands running debates back before connections close.
 */
@Injectable()
class DebateRunnerLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    private readonly runner: DebateRunner,
    @Inject(DEBATE_QUEUE) private readonly queue: DebateQueue,
    @Inject(DEBATE_EVENT_BUS) private readonly bus: DebateEventBus,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: DebateMetrics,
    private readonly stats: LiveStats,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const active = (): number => this.runner.activeCount;
    this.metrics.bind({ active, queueDepth: () => this.queue.depth() });
    this.stats.registerCounter('active_debates', active);
    // In-process queues live in memory: the queued debates come back from the database.
    await this.runner.start({ reloadQueued: this.config.redis.url === undefined });
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.runner.stop();
    await this.bus.close();
  }
}

function createQueue(config: AppConfig, log: Logger): DebateQueue {
  if (!config.redis.url) return new InProcessDebateQueue();
  // BullMQ (~12 MB) is loaded only in the distributed mode.
  /* eslint-disable-next-line @typescript-eslint/no-require-imports */
  const bullmq = require('./bullmq-debate-queue') as typeof import('./bullmq-debate-queue');
  return new bullmq.BullmqDebateQueue({
    url: config.redis.url,
    onError: (error) => log.warn({ err: error }, 'debate queue (Redis) error'),
  });
}

/** Debates: REST API, the queue and the runner that drives the engine. */
@Module({})
export class DebatesModule {
  static forRoot(): DynamicModule {
    return {
      module: DebatesModule,
      imports: [AgentsModule, LeaderboardModule, HealthModule],
      controllers: [DebatesController],
      providers: [
        DebatesRepository,
        DebateRecordsRepository,
        DebatesService,
        DebateViews,
        CreateDebateUseCase,
        DebateMetrics,
        DebateRunnerLifecycle,
        { provide: DEBATE_RATINGS, useExisting: LeaderboardService },
        {
          provide: DEBATE_QUEUE,
          inject: [APP_CONFIG, LOGGER],
          useFactory: createQueue,
        },
        {
          provide: DEBATE_EVENT_BUS,
          inject: [APP_CONFIG, LOGGER],
          useFactory: createDebateEventBus,
        },
        {
          provide: DebateRunner,
          inject: [
            DebatesRepository,
            DebateRecordsRepository,
            DEBATE_QUEUE,
            DEBATE_EVENT_BUS,
            AgentCaller,
            DEBATE_RATINGS,
            DebateMetrics,
            LOGGER,
            APP_CONFIG,
          ],
          useFactory: (
            repository: DebatesRepository,
            records: DebateRecordsRepository,
            queue: DebateQueue,
            bus: DebateEventBus,
            caller: AgentCaller,
            ratings: DebateRatings,
            metrics: DebateMetrics,
            log: Logger,
            config: AppConfig,
          ) =>
            new DebateRunner({
              repository,
              records,
              queue,
              bus,
              caller,
              ratings,
              metrics,
              log,
              settings: runnerSettings(config),
            }),
        },
      ],
      exports: [DEBATE_EVENT_BUS, DebatesService],
    };
  }
}
