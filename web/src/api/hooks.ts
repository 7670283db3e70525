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

export interface ProviderInfo {
  key: string;
  kind: string;
  name: string;
  version?: string;
  capabilities?: Record<string, unknown>;
  settings_schema?: Record<string, unknown>;
}

export interface PluginRegistry {
  generation: number;
  loaded_at: string;
  providers: ProviderInfo[];
  refused: { path: string; reason: string }[];
  disabled?: string[];
  [other: string]: unknown;
}

/** GET /api/plugins: the providers loaded now, refused plugins and why. */
export function usePlugins() {
  return useQuery({
    queryKey: ["plugins"],
    queryFn: async () => (await unwrap(api.GET("/api/plugins"))) as unknown as PluginRegistry,
    staleTime: 30_000,
  });
}
