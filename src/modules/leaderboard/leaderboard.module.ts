import { Module } from '@nestjs/common';
import { AppCacheModule } from '../cache/cache.module';
import { LeaderboardController } from './leaderboard.controller';
import { LeaderboardRepository } from './leaderboard.repository';
import { LeaderboardService } from './leaderboard.service';

/** ELO ratings, matches and the leaderboard API (GET /api/v1/leaderboard). */
@Module({
  // global, but imported here too so that importers (DebatesModule) boot without the root wiring
  imports: [AppCacheModule],
  controllers: [LeaderboardController],
  providers: [LeaderboardRepository, LeaderboardService],
  exports: [LeaderboardService],
})
export class LeaderboardModule {}
