import { CreateTenants1763900000000 } from './1763900000000-CreateTenants';

/** Applied in order at start-up; never edit one that has shipped, add a new one. */
export const migrations = [CreateTenants1763900000000];
