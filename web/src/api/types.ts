import type { components } from "./schema";

// Short names for the API's schemas, generated from docs/openapi.json (npm run gen:api).
type Schemas = components["schemas"];
export type Agent = Schemas["Agent"];
export type AgentInput = Schemas["AgentInput"];
export type AgentSettings = Schemas["AgentSettings"];
export type AgentTool = Schemas["AgentTool"];
export type ApiKey = Schemas["ApiKey"];
export type Call = Schemas["Call"];
export type CallAnalysis = NonNullable<Call["call_analysis"]>;
export type Sentiment = NonNullable<Call["sentiment"]>;
export type Flow = Schemas["Flow"];
export type PhoneNumber = Schemas["PhoneNumber"];
export type WebCall = Schemas["WebCall"];
export type AgentTestReply = Schemas["AgentTestReply"];
export type PluginRegistry = Schemas["PluginRegistry"];
export type ProviderInfo = PluginRegistry["providers"][number];
export type ReloadResult = Schemas["ReloadResult"];
export type TtsTestInput = Schemas["TtsTestInput"];
export type Analytics = Schemas["Analytics"];
export type AnalyticsSummary = Schemas["AnalyticsSummary"];
