#include "api/agent_routes.hpp"

#include "api/agent_document.hpp"
#include "api/flow_checks.hpp"
#include "api/provider_checks.hpp"
#include "api/query.hpp"
#include "api/request_body.hpp"
#include "http/http_exchange.hpp"
#include "api/path_ids.hpp"
#include "http/problem_error.hpp"

#include <vox/core/storage/errors.hpp>
#include <vox/core/time.hpp>

namespace vox::host {
namespace {

using nlohmann::json;

bool boolean_parameter(const std::map<std::string, std::string>& query, const std::string& name) {
    auto it = query.find(name);
    if (it == query.end()) return false;
    if (it->second == "true" || it->second == "1") return true;
    if (it->second == "false" || it->second == "0") return false;
    throw bad_request("invalid_parameter", name + " must be true or false (got '" + it->second + "')");
}

void require_valid_providers(json& agent, const ApiContext& context) {
    ProviderGenerationPtr providers = context.providers.current();
    auto problems = check_agent_providers(agent, *providers->plugins, providers->agents);
    if (!problems.empty())
        throw validation_failed(std::move(problems), "the agent names providers, a voice, a language or a model "
                                                     "that the loaded providers do not offer");
}

json empty_flow() {
    return {{"nodes", json::array()}, {"edges", json::array()}, {"global_prompt", ""}, {"variables", json::object()}};
}

}  // namespace

void add_agent_routes(ApiRoutes& routes, ApiContext& context) {
    const std::vector<std::string> tags{"Agents"};
    auto id_parameter = path_parameter("agent_id", "The agent's id (agent_...).");

    ApiOperation list{"get", "/api/agents", "listAgents", "List agents, newest first",
                      "A JSON array; when there are more, X-Next-Cursor and Link name the next page.", tags,
                      paging_parameters(), std::nullopt, {{200, json_response("The agents", "agent", true)}}};
    routes.add(list, [&context](HttpExchange& exchange) {
        auto query = query_parameters(exchange);
        reject_unknown_parameters(query, {"limit", "cursor"});
        auto page = context.store.agents->list(page_request(query));
        set_next_page_headers(exchange, page.next_cursor, query);
        exchange.send_json(200, json(page.items));
    });

    ApiOperation create{"post", "/api/agents", "createAgent", "Create an agent",
                        "Only name is required; providers, voice and language default to the server's.", tags, {},
                        "agent_input",
                        {{201, json_response("The new agent", "agent")},
                         {422, problem_response("Invalid input, or a voice/model/language no loaded provider offers")}}};
    routes.add(create, [&context](HttpExchange& exchange) {
        json input = read_json_body(exchange, context.max_body_bytes);
        validate_against("agent_input", input);
        if (!input.contains("name"))
            throw validation_failed(json::array({{{"field", "/name"}, {"message", "name is required"}}}));
        json agent = new_agent(input, context.providers.current()->agents);
        require_valid_providers(agent, context);
        context.store.agents->create(agent);
        exchange.response().set("Location", "/api/agents/" + agent["id"].get<std::string>());
        exchange.send_json(201, agent);
    });

    ApiOperation get{"get", "/api/agents/{agent_id}", "getAgent", "Get an agent", "", tags, {id_parameter},
                     std::nullopt, {{200, json_response("The agent", "agent")}, {404, problem_response("No such agent")}}};
    routes.add(get, [&context](HttpExchange& exchange) {
        std::string id = path_id(exchange, "agent_id", "agent", "agent");
        auto agent = context.store.agents->get(id);
        if (!agent) throw not_found("agent", id);
        exchange.send_json(200, *agent);
    });

    ApiOperation update{"put", "/api/agents/{agent_id}", "updateAgent", "Update an agent",
                        "The fields sent replace those fields (settings key by key; \"model\": null clears the model). "
                        "id, stats, created_at and updated_at are read-only and ignored.",
                        tags, {id_parameter}, "agent_input",
                        {{200, json_response("The updated agent", "agent")},
                         {404, problem_response("No such agent")},
                         {422, problem_response("Invalid input")}}};
    routes.add(update, [&context](HttpExchange& exchange) {
        std::string id = path_id(exchange, "agent_id", "agent", "agent");
        json input = read_json_body(exchange, context.max_body_bytes);
        validate_against("agent_input", input);
        // Merged and written in one transaction: concurrent updates of different fields all survive.
        auto agent = context.store.agents->modify(id, [&](const json& existing) {
            json merged = updated_agent(existing, input);
            require_valid_providers(merged, context);
            return merged;
        });
        if (!agent) throw not_found("agent", id);
        exchange.send_json(200, *agent);
    });

    ApiOperation remove{"delete", "/api/agents/{agent_id}", "deleteAgent", "Delete an agent and its flow",
                        "Refused with 409 while phone numbers are assigned to the agent, unless unassign_numbers=true, "
                        "which unassigns them first. The agent's call records are kept.",
                        tags,
                        {id_parameter, query_parameter("unassign_numbers", "Unassign the agent's phone numbers first.",
                                                       {{"type", "boolean"}})},
                        std::nullopt,
                        {{204, empty_response("Deleted")},
                         {404, problem_response("No such agent")},
                         {409, problem_response("Phone numbers are still assigned (code agent_has_phone_numbers)")}}};
    routes.add(remove, [&context](HttpExchange& exchange) {
        std::string id = path_id(exchange, "agent_id", "agent", "agent");
        auto query = query_parameters(exchange);
        reject_unknown_parameters(query, {"unassign_numbers"});
        try {
            if (!context.store.agents->remove(id, boolean_parameter(query, "unassign_numbers"))) throw not_found("agent", id);
        } catch (const storage::ConflictError& error) {
            throw conflict(error.code(), error.what());
        }
        exchange.send_empty(204);
    });

    ApiOperation get_flow{"get", "/api/agents/{agent_id}/flow", "getAgentFlow", "Get an agent's call flow",
                          "An agent without a flow answers with an empty one.", {"Call flows"}, {id_parameter},
                          std::nullopt,
                          {{200, json_response("The flow", "flow")}, {404, problem_response("No such agent")}}};
    routes.add(get_flow, [&context](HttpExchange& exchange) {
        std::string id = path_id(exchange, "agent_id", "agent", "agent");
        auto flow = context.store.agents->get_flow(id);
        if (!flow) {
            if (!context.store.agents->get(id)) throw not_found("agent", id);
            flow = empty_flow();
        }
        exchange.send_json(200, *flow);
    });

    ApiOperation put_flow{"put", "/api/agents/{agent_id}/flow", "putAgentFlow", "Replace an agent's call flow",
                          "Checked before it is stored: unique node ids, edges between existing nodes with sound conditions, an existing start node, and each node's config by its node type (a flow_node provider). Problems come back as 422 with JSON pointers into the flow.",
                          {"Call flows"}, {id_parameter}, "flow",
                          {{200, json_response("The stored flow", "flow")},
                           {404, problem_response("No such agent")},
                           {422, problem_response("Invalid flow")}}};
    routes.add(put_flow, [&context](HttpExchange& exchange) {
        std::string id = path_id(exchange, "agent_id", "agent", "agent");
        json flow = read_json_body(exchange, context.max_body_bytes);
        validate_against("flow", flow);
        auto problems = check_flow_structure(flow);
        if (!problems.empty()) throw validation_failed(std::move(problems), "the flow's structure is not sound");
        problems = check_flow_nodes(flow, *context.providers.current()->plugins);
        if (!problems.empty())
            throw validation_failed(std::move(problems), "nodes of the flow have unknown types or invalid configs");
        flow.erase("updated_at");
        for (const char* key : {"global_prompt"})
            if (!flow.contains(key)) flow[key] = "";
        if (!flow.contains("variables")) flow["variables"] = json::object();
        flow["updated_at"] = time::now_iso8601();
        if (!context.store.agents->put_flow(id, flow, flow["updated_at"])) throw not_found("agent", id);
        exchange.send_json(200, flow);
    });
}

}  // namespace vox::host
