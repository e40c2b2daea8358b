import { Controller, Get, Query } from '@nestjs/common';
import { ZodPipe } from '../../common/validation/zod-body.pipe';
import { CurrentPrincipal } from '../auth/auth.decorators';
import type { TenantPrincipal } from '../auth/principal';
import {
  leaderboardQuerySchema,
  type LeaderboardQuery,
  type LeaderboardView,
} from './leaderboard.dto';
import { LeaderboardService } from './leaderboard.service';

/** The tenant's ELO leaderboard: any key of the tenant reads it. */
@Controller('api/v1/leaderboard')
export class LeaderboardController {
  constructor(private readonly leaderboard: LeaderboardService) {}

  @Get()
  get(
    @CurrentPrincipal() principal: TenantPrincipal,
    @Query(new ZodPipe(leaderboardQuerySchema, 'query')) query: LeaderboardQuery,
  ): Promise<LeaderboardView> {
    return this.leaderboard.leaderboard(principal.tenantId, query);
  }
}
