import { CreateTenants1763900000000 } from './1763900000000-CreateTenants';
import { CreateApiKeys1763900100000 } from './1763900100000-CreateApiKeys';

/** Applied in order at start-up; never edit one that has shipped, add a new one. */
export const migrations = [CreateTenants1763900000000, CreateApiKeys1763900100000];
