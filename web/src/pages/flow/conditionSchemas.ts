import type { JsonSchema } from "../../components/schema-form/jsonSchema";

// The edge conditions of docs/flows.md ("Edges and conditions") as schemas, so that the condition editor
// is the same generated form as a node's config.

export const conditionTypes: { type: string; label: string; schema: JsonSchema }[] = [
  { type: "always", label: "Always (the else: put it last)", schema: { type: "object", properties: {} } },
  {
    type: "equation",
    label: "Equation on variables",
    schema: {
      type: "object",
      required: ["expression"],
      properties: {
        expression: {
          type: "string",
          title: "Expression",
          maxLength: 300,
          description: 'Compares variables and literals, e.g. day exists && confirmed == true, age >= 18 || plan == "gold".',
        },
      },
    },
  },
  {
    type: "keyword",
    label: "Keywords or intent",
    schema: {
      type: "object",
      oneOf: [{ required: ["keywords"] }, { required: ["intent"] }],
      properties: {
        keywords: {
          type: "array",
          title: "Keywords",
          items: { type: "string", minLength: 1 },
          description: "Words or phrases in the caller's latest turn: whole words, case ignored.",
        },
        intent: {
          title: "Intent",
          enum: ["yes", "no", "repeat", "goodbye", "human"],
          description: "A built-in intent (yes means yes and not a negation).",
        },
      },
    },
  },
  {
    type: "llm",
    label: "The LLM decides",
    schema: {
      type: "object",
      required: ["prompt"],
      properties: {
        prompt: {
          type: "string",
          title: "Prompt",
          maxLength: 10000,
          description: "A statement the agent's LLM judges, e.g. 'The caller wants to cancel'. Never taken without an LLM.",
        },
      },
    },
  },
];
