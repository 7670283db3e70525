import { useState, type FormEvent } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../../api/client";
import type { Agent } from "../../api/types";
import { Field, fieldAria } from "../../components/forms/Field";
import { indexFieldErrors } from "../../components/forms/fieldErrors";
import { FormErrorSummary } from "../../components/forms/FormErrorSummary";

const E164 = /^\+[1-9][0-9]{6,14}$/;

/** Adds a number. The E.164 check here is only a hint: the server decides, and its answer is shown. */
export function AddPhoneNumberForm({ agents }: { agents: Agent[] }) {
  const queryClient = useQueryClient();
  const [number, setNumber] = useState("");
  const [agentId, setAgentId] = useState("");
  const [nickname, setNickname] = useState("");
  const add = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST("/api/phone-numbers", {
          body: {
            number: number.trim(),
            ...(agentId ? { assigned_agent_id: agentId } : {}),
            ...(nickname.trim() ? { nickname: nickname.trim() } : {}),
          },
        }),
      ),
    onSuccess: async () => {
      setNumber("");
      setAgentId("");
      setNickname("");
      await queryClient.invalidateQueries({ queryKey: ["phone-numbers"] });
    },
  });
  const errors = indexFieldErrors(add.error, ["/number", "/assigned_agent_id", "/nickname"]);
  const looksWrong = number.trim() !== "" && !E164.test(number.trim());
  const numberError = errors.forField("/number");
  const numberHint = looksWrong
    ? "This does not look like E.164: a +, the country code, then the number, digits only (e.g. +14155550100)."
    : "E.164, e.g. +14155550100.";

  return (
    <form
      className="card add-number"
      aria-labelledby="add-number-title"
      onSubmit={(event: FormEvent) => {
        event.preventDefault();
        add.mutate();
      }}
    >
      <h2 id="add-number-title">Add a phone number</h2>
      <div className="add-number-fields">
        <Field id="pn-number" label="Number" hint={numberHint} error={numberError}>
          <input
            {...fieldAria("pn-number", numberError, true)}
            value={number}
            inputMode="tel"
            autoComplete="off"
            placeholder="+14155550100"
            onChange={(event) => setNumber(event.target.value)}
          />
        </Field>
        <Field id="pn-agent" label="Agent" hint="Optional: the agent that answers it." error={errors.forField("/assigned_agent_id")}>
          <select
            {...fieldAria("pn-agent", errors.forField("/assigned_agent_id"), true)}
            value={agentId}
            onChange={(event) => setAgentId(event.target.value)}
          >
            <option value="">Unassigned</option>
            {agents.map((agent) => (
              <option key={agent.id} value={agent.id}>
                {agent.name}
              </option>
            ))}
          </select>
        </Field>
        <Field id="pn-nickname" label="Nickname" hint="Optional." error={errors.forField("/nickname")}>
          <input
            {...fieldAria("pn-nickname", errors.forField("/nickname"), true)}
            value={nickname}
            onChange={(event) => setNickname(event.target.value)}
          />
        </Field>
        <div className="add-number-submit">
          <button type="submit" className="primary" disabled={add.isPending || number.trim() === ""}>
            {add.isPending ? "Adding…" : "Add number"}
          </button>
        </div>
      </div>
      <FormErrorSummary error={add.error} unmatched={errors.unmatched} />
    </form>
  );
}
