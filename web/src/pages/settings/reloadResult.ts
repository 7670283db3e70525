// POST /api/system/reload's answer, generated from docs/openapi.json.
export type { ReloadResult } from "../../api/types";
