import { useQuery } from "@tanstack/react-query";
import { api, unwrap, unwrapPage } from "./client";
import type { Agent } from "./types";

// Queries more than one page uses. Page-specific queries live beside their page.

/** Every agent (following the pages), for pickers and names. */
export function useAllAgents() {
  return useQuery({
    queryKey: ["agents", "all"],
    queryFn: async () => {
      const agents: Agent[] = [];
      let cursor: string | undefined;
      do {
        const page = await unwrapPage(api.GET("/api/agents", { params: { query: { limit: 500, cursor } } }));
        agents.push(...page.items);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return agents;
    },
  });
}

export type { PluginRegistry, ProviderInfo } from "./types";

/** GET /api/plugins: the providers loaded now, refused plugins and why. */
export function usePlugins() {
  return useQuery({
    queryKey: ["plugins"],
    queryFn: () => unwrap(api.GET("/api/plugins")),
    staleTime: 30_000,
  });
}
