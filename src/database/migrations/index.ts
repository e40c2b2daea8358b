import { CreateTenants1763900000000 } from './1763900000000-CreateTenants';
import { CreateApiKeys1763900100000 } from './1763900100000-CreateApiKeys';
import { CreateAgents1763900200000 } from './1763900200000-CreateAgents';
import { CreateDebates1763900300000 } from './1763900300000-CreateDebates';
import { AddMessagePosition1763900400000 } from './1763900400000-AddMessagePosition';
import { AddDebateVerdictColumns1763900500000 } from './1763900500000-AddDebateVerdictColumns';

/** Applied in order at start-up; never edit one that has shipped, add a new one. */
export const migrations = [
  CreateTenants1763900000000,
  CreateApiKeys1763900100000,
  CreateAgents1763900200000,
  CreateDebates1763900300000,
  AddMessagePosition1763900400000,
  AddDebateVerdictColumns1763900500000,
];
