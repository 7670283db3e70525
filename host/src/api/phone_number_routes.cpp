#include "api/phone_number_routes.hpp"

#include "api/query.hpp"
#include "api/request_body.hpp"
#include "http/http_exchange.hpp"
#include "api/path_ids.hpp"
#include "http/problem_error.hpp"

#include <vox/core/ids.hpp>
#include <vox/core/storage/errors.hpp>
#include <vox/core/time.hpp>

namespace vox::host {
namespace {

using nlohmann::json;

// A number answers only when an agent is assigned; without one it is "unassigned"
// whatever status was asked for, and gets the asked-for status (or active) once assigned.
void apply_input(storage::PhoneNumber& number, const json& input) {
    if (input.contains("nickname")) number.nickname = input["nickname"];
    std::string requested = input.contains("status") ? input["status"].get<std::string>() : "";
    if (input.contains("assigned_agent_id")) {
        if (input["assigned_agent_id"].is_null())
            number.assigned_agent_id.reset();
        else
            number.assigned_agent_id = input["assigned_agent_id"].get<std::string>();
    }
    if (!number.assigned_agent_id)
        number.status = "unassigned";
    else if (!requested.empty())
        number.status = requested;
    else if (number.status == "unassigned")
        number.status = "active";
}

void require_agent(const ApiContext& context, const storage::PhoneNumber& number) {
    if (number.assigned_agent_id && !context.store.agents->get(*number.assigned_agent_id))
        throw validation_failed(json::array({{{"field", "/assigned_agent_id"},
                                              {"message", "agent " + *number.assigned_agent_id + " does not exist"}}}));
}

ProblemError storage_conflict(const storage::ConflictError& error) {
    if (error.code() == "agent_not_found")  // deleted between our check and the write
        return validation_failed(json::array({{{"field", "/assigned_agent_id"}, {"message", error.what()}}}));
    return conflict(error.code(), error.what());
}

}  // namespace

void add_phone_number_routes(ApiRoutes& routes, ApiContext& context) {
    const std::vector<std::string> tags{"Phone numbers"};
    auto id_parameter = path_parameter("phone_number_id", "The number's id (pn_...).");

    ApiOperation list{"get", "/api/phone-numbers", "listPhoneNumbers", "List phone numbers, newest first",
                      "A JSON array; X-Next-Cursor and Link name the next page.", tags, paging_parameters(),
                      std::nullopt, {{200, json_response("The numbers", "phone_number", true)}}};
    routes.add(list, [&context](HttpExchange& exchange) {
        auto query = query_parameters(exchange);
        reject_unknown_parameters(query, {"limit", "cursor"});
        std::optional<std::string> next;
        auto numbers = context.store.phone_numbers->list(page_request(query), next);
        json items = json::array();
        for (const auto& number : numbers) items.push_back(number.to_json());
        set_next_page_headers(exchange, next, query);
        exchange.send_json(200, items);
    });

    ApiOperation create{"post", "/api/phone-numbers", "addPhoneNumber", "Add a phone number",
                        "number is required, in E.164. A number can be registered once (409 otherwise).", tags, {},
                        "phone_number_input",
                        {{201, json_response("The number", "phone_number")},
                         {409, problem_response("The number is already registered (code duplicate_phone_number)")},
                         {422, problem_response("Invalid input or unknown agent")}}};
    routes.add(create, [&context](HttpExchange& exchange) {
        json input = read_json_body(exchange, context.max_body_bytes);
        validate_against("phone_number_input", input);
        if (!input.contains("number"))
            throw validation_failed(json::array({{{"field", "/number"}, {"message", "number is required (E.164)"}}}));
        storage::PhoneNumber number;
        number.id = new_id("pn");
        number.number = input["number"];
        number.status = "unassigned";
        number.created_at = number.updated_at = time::now_iso8601();
        apply_input(number, input);
        require_agent(context, number);
        try {
            context.store.phone_numbers->create(number);
        } catch (const storage::ConflictError& error) {
            throw storage_conflict(error);
        }
        exchange.response().set("Location", "/api/phone-numbers/" + number.id);
        exchange.send_json(201, number.to_json());
    });

    ApiOperation get{"get", "/api/phone-numbers/{phone_number_id}", "getPhoneNumber", "Get a phone number", "", tags,
                     {id_parameter}, std::nullopt,
                     {{200, json_response("The number", "phone_number")}, {404, problem_response("No such number")}}};
    routes.add(get, [&context](HttpExchange& exchange) {
        std::string id = path_id(exchange, "phone_number_id", "pn", "phone number");
        auto number = context.store.phone_numbers->get(id);
        if (!number) throw not_found("phone number", id);
        exchange.send_json(200, number->to_json());
    });

    ApiOperation update{"put", "/api/phone-numbers/{phone_number_id}", "updatePhoneNumber",
                        "Assign or unassign an agent, rename, or change the status",
                        "\"assigned_agent_id\": null unassigns. The number itself cannot change: delete and add it.",
                        tags, {id_parameter}, "phone_number_input",
                        {{200, json_response("The number", "phone_number")},
                         {404, problem_response("No such number")},
                         {422, problem_response("Invalid input or unknown agent")}}};
    routes.add(update, [&context](HttpExchange& exchange) {
        std::string id = path_id(exchange, "phone_number_id", "pn", "phone number");
        json input = read_json_body(exchange, context.max_body_bytes);
        validate_against("phone_number_input", input);
        std::optional<storage::PhoneNumber> number;
        try {
            // Read, change and write atomically; the database's foreign key checks the agent.
            number = context.store.phone_numbers->modify(id, [&](storage::PhoneNumber& current) {
                if (input.contains("number") && input["number"] != current.number)
                    throw validation_failed(json::array({{{"field", "/number"},
                                                          {"message", "the number cannot change; delete this one and "
                                                                      "add the new number"}}}));
                apply_input(current, input);
                current.updated_at = time::now_iso8601();
            });
        } catch (const storage::ConflictError& error) {
            throw storage_conflict(error);
        }
        if (!number) throw not_found("phone number", id);
        exchange.send_json(200, number->to_json());
    });

    ApiOperation remove{"delete", "/api/phone-numbers/{phone_number_id}", "deletePhoneNumber", "Delete a phone number",
                        "", tags, {id_parameter}, std::nullopt,
                        {{204, empty_response("Deleted")}, {404, problem_response("No such number")}}};
    routes.add(remove, [&context](HttpExchange& exchange) {
        std::string id = path_id(exchange, "phone_number_id", "pn", "phone number");
        if (!context.store.phone_numbers->remove(id)) throw not_found("phone number", id);
        exchange.send_empty(204);
    });
}

}  // namespace vox::host
