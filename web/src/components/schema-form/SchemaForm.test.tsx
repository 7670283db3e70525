import { useState } from "react";
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { SchemaForm, type FieldMessage } from "./SchemaForm";
import { defaultsFor, fieldKind, type JsonObject, type JsonSchema } from "./jsonSchema";

// A schema with every kind of field the form renders, shaped like the flow node types' own schemas.
const schema: JsonSchema = {
  type: "object",
  title: "Everything",
  oneOf: [{ required: ["text"] }, { required: ["prompt"] }],
  required: ["url", "variables"],
  properties: {
    url: { type: "string", title: "URL", format: "uri", description: "Where to send it." },
    text: { type: "string", title: "Text", maxLength: 10000 },
    prompt: { type: "string", title: "Prompt", maxLength: 10000 },
    timeout_ms: { type: "integer", title: "Timeout (ms)", minimum: 100, maximum: 30000, default: 5000 },
    ratio: { type: "number", title: "Ratio" },
    listen: { type: "boolean", title: "Listen", default: true },
    method: { enum: ["GET", "POST"], title: "Method", default: "POST" },
    headers: { type: "object", title: "Headers", additionalProperties: { type: "string" } },
    expect: {
      type: "object",
      title: "Expected answer",
      required: ["type"],
      properties: { type: { enum: ["yes_no", "digits"], title: "Answer" }, max_digits: { type: "integer", title: "Most digits" } },
    },
    choices: { type: "array", title: "Choices", items: { type: "string" } },
    variables: {
      type: "array",
      title: "Variables",
      items: {
        type: "object",
        required: ["name"],
        properties: { name: { type: "string", title: "Name", pattern: "^[a-z_]+$" }, type: { enum: ["string", "date"], default: "string", title: "Type" } },
      },
    },
    target: { title: "Target", oneOf: [{ type: "string" }, { type: "number" }] },
  },
};

/** Holds the value like a page would, and shows it so the test can read what the form produced. */
function Harness({ initial, errors }: { initial: JsonObject; errors?: FieldMessage[] }) {
  const [value, setValue] = useState(initial);
  return (
    <>
      <SchemaForm schema={schema} value={value} onChange={setValue} idPrefix="t" errors={errors} />
      <output data-testid="value">{JSON.stringify(value)}</output>
    </>
  );
}

function currentValue(): JsonObject {
  return JSON.parse(screen.getByTestId("value").textContent ?? "{}") as JsonObject;
}

describe("fieldKind and defaultsFor", () => {
  it("classifies each kind of field", () => {
    const p = schema.properties!;
    expect(fieldKind(p.url)).toBe("string");
    expect(fieldKind(p.text)).toBe("text");
    expect(fieldKind({ type: "string", maxLength: 50 }, "two\nlines")).toBe("text");
    expect(fieldKind(p.timeout_ms)).toBe("integer");
    expect(fieldKind(p.ratio)).toBe("number");
    expect(fieldKind(p.listen)).toBe("boolean");
    expect(fieldKind(p.method)).toBe("enum");
    expect(fieldKind(p.headers)).toBe("map");
    expect(fieldKind(p.expect)).toBe("object");
    expect(fieldKind(p.choices)).toBe("string-array");
    expect(fieldKind(p.variables)).toBe("object-array");
    expect(fieldKind(p.target)).toBe("json");
    expect(fieldKind({ type: ["string", "null"] })).toBe("json");
    expect(fieldKind(schema)).toBe("object");
  });

  it("builds defaults, leaving optional nested objects out", () => {
    expect(defaultsFor(schema)).toEqual({ timeout_ms: 5000, listen: true, method: "POST" });
  });
});

describe("SchemaForm", () => {
  it("renders every kind of field with labels, required marks and hints", () => {
    render(<Harness initial={{ url: "http://x", variables: [] }} />);
    expect(screen.getByLabelText(/^URL/)).toHaveAttribute("type", "url");
    expect(screen.getByLabelText(/^URL/)).toBeRequired();
    expect(screen.getByLabelText(/^URL/)).toHaveAccessibleDescription("Where to send it.");
    expect(screen.getByLabelText(/^Text/).tagName).toBe("TEXTAREA");
    expect(screen.getByLabelText(/^Timeout/)).toHaveAttribute("min", "100");
    expect(screen.getByLabelText(/^Timeout/)).toHaveAttribute("max", "30000");
    expect(screen.getByLabelText(/^Listen/)).toBeChecked();
    expect(screen.getByLabelText(/^Method/).tagName).toBe("SELECT");
    expect(screen.getByRole("group", { name: "Headers" })).toBeInTheDocument();
    expect(screen.getByRole("group", { name: /Variables/ })).toBeInTheDocument();
    expect(screen.getByText(/Fill in one of: Text or Prompt/)).toBeInTheDocument();
    expect(screen.getByLabelText(/^Target/)).toHaveAccessibleDescription(/Edited as JSON/);
  });

  it("returns the values typed, chosen and added", async () => {
    const user = userEvent.setup();
    render(<Harness initial={{ variables: [] }} />);
    await user.type(screen.getByLabelText(/^URL/), "https://api.example.com");
    await user.type(screen.getByLabelText(/^Text/), "Hello");
    await user.type(screen.getByLabelText(/^Ratio/), "0.5");
    await user.type(screen.getByLabelText(/^Timeout/), "2000");
    await user.click(screen.getByLabelText(/^Listen/));
    await user.selectOptions(screen.getByLabelText(/^Method/), "GET");

    await user.click(screen.getByRole("button", { name: "Add header" }));
    await user.type(screen.getByLabelText("Name 1"), "X-Key");
    await user.type(screen.getByLabelText("Value 1"), "abc");

    await user.click(screen.getByLabelText("Set expected answer"));
    await user.selectOptions(screen.getByLabelText(/^Answer/), "digits");
    await user.type(screen.getByLabelText(/^Most digits/), "11");

    await user.click(screen.getByRole("button", { name: "Add choice" }));
    await user.type(screen.getByLabelText("Choices 1"), "morning");

    await user.click(screen.getByRole("button", { name: "Add variable" }));
    const variable = screen.getByRole("group", { name: "variable 1" });
    await user.type(within(variable).getByLabelText(/^Name/), "day");

    await user.type(screen.getByLabelText(/^Target/), "42");

    expect(currentValue()).toEqual({
      url: "https://api.example.com",
      text: "Hello",
      ratio: 0.5,
      timeout_ms: 2000,
      listen: false,
      method: "GET",
      headers: { "X-Key": "abc" },
      expect: { type: "digits", max_digits: 11 },
      choices: ["morning"],
      variables: [{ name: "day", type: "string" }],
      target: 42,
    });
  });

  it("leaves emptied optional fields out and removes list items", async () => {
    const user = userEvent.setup();
    render(<Harness initial={{ url: "u", text: "Hi", choices: ["a", "b"], variables: [{ name: "x", type: "date" }] }} />);
    await user.clear(screen.getByLabelText(/^Text/));
    await user.click(screen.getByRole("button", { name: "Remove Choices 1" }));
    await user.click(screen.getByRole("button", { name: "Remove variable 1" }));
    expect(currentValue()).toEqual({ url: "u", choices: ["b"], variables: [] });
  });

  it("keeps invalid JSON and out-of-range numbers from passing silently", async () => {
    const user = userEvent.setup();
    render(<Harness initial={{ target: "a" }} />);
    await user.type(screen.getByLabelText(/^Target/), " oops");
    expect(screen.getByText(/Not valid JSON/)).toBeInTheDocument();
    expect(currentValue().target).toBe("a");

    await user.type(screen.getByLabelText(/^Timeout/), "5");
    expect(screen.getByText("At least 100.")).toBeInTheDocument();
  });

  it("shows the server's messages by their fields, and the others above", () => {
    render(
      <Harness
        initial={{ url: "ftp://x", variables: [{ name: "" }] }}
        errors={[
          { pointer: "/url", message: "url must be an http:// or https:// address" },
          { pointer: "/variables/0/name", message: "name is required" },
          { pointer: "", message: "text or prompt is required" },
        ]}
      />,
    );
    expect(screen.getByLabelText(/^URL/)).toHaveAccessibleDescription(/must be an http/);
    expect(screen.getByLabelText(/^URL/)).toHaveAttribute("aria-invalid", "true");
    const variable = screen.getByRole("group", { name: "variable 1" });
    expect(within(variable).getByLabelText(/^Name/)).toHaveAccessibleDescription(/name is required/);
    expect(screen.getByText("text or prompt is required")).toBeInTheDocument();
  });
});
