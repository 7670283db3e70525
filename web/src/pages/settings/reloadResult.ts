// POST /api/system/reload's answer (docs/api.md, "Reloading the configuration"); docs/openapi.json types it only
// as an object, so its fields are described here.
export interface ReloadResult {
  generation: number;
  loaded_at: string;
  providers: { added: string[]; removed: string[]; reinitialised: string[] };
  agent_defaults?: Record<string, string>;
  refused: { path: string; reason: string }[];
  restart_needed: string[];
  restart_needed_keys: string[];
}
