import type { PluginRegistry } from "../../api/hooks";
import { asSchema, type JsonSchema } from "../../components/schema-form/jsonSchema";

/** A node type the flow can use: a loaded flow_node provider and the schema of its config. */
export interface NodeTypeInfo {
  type: string;
  title: string;
  description: string;
  schema: JsonSchema;
}

export function nodeTypesFrom(registry: PluginRegistry): NodeTypeInfo[] {
  return registry.providers
    .filter((provider) => provider.kind === "flow_node")
    .map((provider) => {
      const type = provider.name || provider.key.replace(/^flow_node\./, "");
      const schema = asSchema(provider.settings_schema) ?? { type: "object" };
      return { type, title: schema.title ?? type, description: schema.description ?? "", schema };
    });
}
