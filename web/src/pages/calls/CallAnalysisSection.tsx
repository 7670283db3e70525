import type { Call, CallAnalysis } from "../../api/types";
import { SentimentBadge } from "./SentimentBadge";
import { formatDateTime } from "./format";

/**
 * The post-call analysis of an ended call: the caller's sentiment, and from the agent's LLM a summary and whether
 * the call succeeded. voxd scores the caller's words offline when the call ends (method "lexicon"), then an agent
 * with an LLM replaces that with its own (method "llm") a few seconds later.
 */
export function CallAnalysisSection({ call }: { call: Call }) {
  const analysis = call.call_analysis;
  return (
    <section className="call-analysis card" data-testid="call-analysis" aria-labelledby="call-analysis-title">
      <h2 id="call-analysis-title">Analysis</h2>
      {analysis ? (
        <AnalysisBody analysis={analysis} />
      ) : (
        <p className="muted" data-testid="analysis-none">
          Not analysed. voxd analyses a call when it ends, unless <code>[calls] analysis = off</code>; calls
          recorded before analysis existed, or imported without one, have none.
        </p>
      )}
    </section>
  );
}

function AnalysisBody({ analysis }: { analysis: CallAnalysis }) {
  const unscored = analysis.method === "lexicon" && analysis.user_sentiment === "unknown";
  return (
    <>
      <dl className="call-analysis-facts">
        <div>
          <dt>Caller sentiment</dt>
          <dd data-testid="analysis-sentiment">
            <SentimentBadge sentiment={analysis.user_sentiment} />
            {unscored && (
              <span className="muted">
                {" "}
                the caller said nothing the offline scoring could read (it reads English only)
              </span>
            )}
          </dd>
        </div>
        {analysis.call_successful !== null && (
          <div>
            <dt>Call successful</dt>
            <dd data-testid="analysis-successful" data-successful={String(analysis.call_successful)}>
              <span className={`badge ${analysis.call_successful ? "ok" : "bad"}`}>
                {analysis.call_successful ? "yes" : "no"}
              </span>
            </dd>
          </div>
        )}
      </dl>
      {analysis.call_summary && (
        <p className="call-analysis-summary" data-testid="analysis-summary">
          {analysis.call_summary}
        </p>
      )}
      <p className="muted call-analysis-method" data-testid="analysis-method" data-method={analysis.method}>
        {analysis.method === "llm" ? (
          <>
            Analysed by <code>{analysis.provider ?? "the agent's LLM"}</code>
          </>
        ) : (
          "Scored from the caller's words"
        )}
        , {formatDateTime(analysis.analyzed_at)}
      </p>
    </>
  );
}
