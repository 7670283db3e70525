import { useCallback, useMemo } from "react";
import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { useSearchParams } from "react-router-dom";
import type { ProtocolEvent } from "@vox/web-call";
import { api, unwrapPage } from "../../api/client";
import { useAllAgents } from "../../api/hooks";
import { Pager } from "../../components/forms/Pager";
import { useCursorPager } from "../../components/forms/useCursorPager";
import { Empty, ErrorMessage, Loading, PageHeader } from "../../components/Status";
import { LiveIndicator } from "../../live/LiveIndicator";
import { useEventSocket } from "../../live/useEventSocket";
import { CallFiltersForm } from "./CallFiltersForm";
import { CallsTable } from "./CallsTable";
import {
  filtersFromQuery,
  filtersProblem,
  filtersToApiQuery,
  filtersToQuery,
  hasFilters,
  type CallFilters,
} from "./callFilters";
import { useDebouncedCallback } from "./useDebouncedCallback";
import "./calls.css";

export const CALLS_PAGE_SIZE = 25;
/** Calls often start and end in bursts; one refetch per burst. */
export const LIVE_REFETCH_DELAY_MS = 400;

/** /calls: the call history, filtered by the URL's query, refreshed live as calls start, end and are analysed. */
export function CallsPage() {
  const [searchParams, setSearchParams] = useSearchParams();
  const filters = useMemo(() => filtersFromQuery(searchParams), [searchParams]);
  const filterKey = filtersToQuery(filters).toString();
  const agents = useAllAgents();
  const queryClient = useQueryClient();

  const refetchCalls = useDebouncedCallback(() => {
    void queryClient.invalidateQueries({ queryKey: ["calls", "list"] });
  }, LIVE_REFETCH_DELAY_MS);
  const onEvent = useCallback(
    (event: ProtocolEvent) => {
      // call_analyzed: the agent's LLM has set the call's sentiment, a few seconds after call_ended.
      if (event.type === "call_started" || event.type === "call_ended" || event.type === "call_analyzed") refetchCalls();
    },
    [refetchCalls],
  );
  const liveStatus = useEventSocket("/ws/events", onEvent, { reconnect: true });

  const agentNames = useMemo(
    () => new Map((agents.data ?? []).map((agent) => [agent.id, agent.name] as const)),
    [agents.data],
  );

  return (
    <section className="page calls-page">
      <PageHeader title="Calls" actions={<LiveIndicator status={liveStatus} />} />
      <CallFiltersForm
        filters={filters}
        agents={agents.data ?? []}
        onChange={(next: CallFilters) => setSearchParams(filtersToQuery(next))}
      />
      {agents.error && <ErrorMessage error={agents.error} title="Cannot list the agents" />}
      {/* Keyed by the filters: a new filter starts again at the first page. */}
      <CallList key={filterKey} filters={filters} agentNames={agentNames} />
    </section>
  );
}

function CallList({ filters, agentNames }: { filters: CallFilters; agentNames: Map<string, string> }) {
  const pager = useCursorPager();
  const problem = filtersProblem(filters);
  const calls = useQuery({
    queryKey: ["calls", "list", filtersToApiQuery(filters), pager.cursor],
    queryFn: () =>
      unwrapPage(
        api.GET("/api/calls", {
          params: { query: { ...filtersToApiQuery(filters), limit: CALLS_PAGE_SIZE, cursor: pager.cursor } },
        }),
      ),
    placeholderData: keepPreviousData,
    enabled: problem === null,
  });

  if (problem) return <p className="error" role="alert">{problem}</p>;
  if (calls.error) return <ErrorMessage error={calls.error} title="Cannot list the calls" />;
  if (!calls.data) return <Loading what="calls" />;
  if (calls.data.items.length === 0 && !pager.hasPrevious) {
    return (
      <Empty>
        {hasFilters(filters)
          ? "No call matches these filters."
          : "No calls yet. Place one from the Test call page, or import records with POST /api/calls."}
      </Empty>
    );
  }
  return (
    <>
      <CallsTable calls={calls.data.items} agentNames={agentNames} />
      <Pager
        pageNumber={pager.pageNumber}
        hasPrevious={pager.hasPrevious}
        nextCursor={calls.data.nextCursor}
        onPrevious={pager.previous}
        onNext={pager.next}
      />
    </>
  );
}
