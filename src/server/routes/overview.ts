// The dashboard's overview: what is owed and how late, DSO, what the agent did today and will do next.
import type { Api, RouteModule } from '../api.ts';

export const registerOverview: RouteModule = (_api: Api, _deps) => {};
