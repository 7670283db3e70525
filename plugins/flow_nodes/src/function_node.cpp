// function: an HTTP request to the business's own API with flow variables in
// the URL, headers and body; the response (JSON when it parses, else text)
// goes into result_variable. The request itself (network guard, TLS, size
// limit) is guarded_http.cpp; its settings come from the plugin config.
#include "function_node.hpp"

#include "guarded_http.hpp"
#include "node_common.hpp"

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include <set>

namespace vox::flow_nodes {
namespace {

constexpr const char* kFunctionSchema = R"json({
  "type": "object",
  "title": "Function",
  "description": "Calls an HTTP API and stores the response in a variable. A failed call sets error and error_code (timeout, blocked_address, connect, tls, invalid_url, request_too_large, response_too_large, http_status).",
  "properties": {
    "url": {"type": "string", "title": "URL", "minLength": 1, "maxLength": 2000, "format": "uri",
            "description": "http:// or https:// address; {{variable}} is replaced by the variable's value. Redirects are not followed (a 3xx answer is the result). Addresses in the operator's blocked networks (cloud metadata and link-local by default) are refused. https:// servers must present a certificate valid for the host name, from a system CA or the operator's ca_file."},
    "method": {"enum": ["GET", "POST", "PUT", "PATCH", "DELETE"], "title": "Method", "default": "POST"},
    "timeout_ms": {"type": "integer", "title": "Timeout (ms)", "minimum": 100, "maximum": 30000, "default": 5000,
                   "description": "The request fails (error_code timeout) when the API has not answered in this time."},
    "headers": {"type": "object", "title": "Headers", "additionalProperties": {"type": "string"},
                "description": "Request headers; values may use {{variable}}."},
    "body": {"type": "string", "title": "Body", "maxLength": 100000,
             "description": "Request body template (JSON usually); {{variable}} is replaced by the variable's value. At most 100000 bytes after the replacement."},
    "result_variable": {"type": "string", "title": "Result variable", "pattern": "^[A-Za-z_][A-Za-z0-9_]*$",
                        "description": "The flow variable that receives the response: its JSON, or its text. A response larger than the operator's max_response_bytes (1 MiB by default) fails the step instead."},
    "speak_while_waiting": {"type": "string", "title": "Say while waiting", "minLength": 1, "maxLength": 1000,
                            "description": "Said before the request, e.g. 'One moment while I check.'"}
  },
  "required": ["url", "result_variable"],
  "additionalProperties": false
})json";

const std::set<std::string> kMethods = {"GET", "POST", "PUT", "PATCH", "DELETE"};

void validate_function(const json& config, Problems& problems) {
    only_fields(config, {"url", "method", "timeout_ms", "headers", "body", "result_variable", "speak_while_waiting"},
                problems);
    if (auto url = string_field(config, "url", true, problems, 2000)) {
        bool http = url->rfind("http://", 0) == 0 || url->rfind("https://", 0) == 0;
        if (!http)
            problems.add("/url", "url must be an http:// or https:// address, not '" + *url + "'");
        else if (url->find("{{") == std::string::npos) {
            try {
                if (Poco::URI(*url).getHost().empty()) problems.add("/url", "url '" + *url + "' has no host");
            } catch (const Poco::Exception& e) {
                problems.add("/url", "url '" + *url + "' is not a valid address: " + e.message());
            }
        }
    }
    if (auto method = string_field(config, "method", false, problems, 10); method && kMethods.count(*method) == 0)
        problems.add("/method", "method must be one of GET, POST, PUT, PATCH, DELETE; not '" + *method + "'");
    integer_field(config, "timeout_ms", false, 100, 30000, problems);
    if (config.contains("headers")) {
        const json& headers = config["headers"];
        if (!headers.is_object())
            problems.add("/headers", "headers must be an object of header names to string values");
        else
            for (const auto& [name, value] : headers.items())
                if (!value.is_string())
                    problems.add("/headers/" + pointer_token(name), "header '" + name + "' must be a string");
    }
    if (config.contains("body") && !config["body"].is_string())
        problems.add("/body", "body must be a string (a template; {{variable}} is replaced)");
    auto variable = string_field(config, "result_variable", true, problems, 100);
    if (variable && !is_variable_name(*variable))
        problems.add("/result_variable", "'" + *variable + "' is not a variable name (letters, digits, _)");
    string_field(config, "speak_while_waiting", false, problems, 1000);
}

constexpr std::size_t kMaxRequestBody = 100000;

json failed(const std::string& code, const std::string& message) {
    return {
        {"error", message}, {"error_code", code}, {"listen", false}, {"done", true}, {"set_variables", json::object()}};
}

json call_api(const FunctionSettings& settings, const StepState& state) {
    const json& config = state.config;
    HttpCall call;
    std::string url = substitute(config.value("url", ""), state.variables);
    try {
        call.uri = Poco::URI(url);
    } catch (const Poco::Exception& e) {
        return failed("invalid_url", "url '" + url + "' is not a valid address: " + e.message());
    }
    if (call.uri.getScheme() != "http" && call.uri.getScheme() != "https")
        return failed("invalid_url", "url '" + url + "' is not an http:// or https:// address");
    if (call.uri.getHost().empty()) return failed("invalid_url", "url '" + url + "' has no host");
    call.timeout = std::chrono::milliseconds(config.value("timeout_ms", 5000LL));
    call.method = config.value("method", "POST");
    if (config.contains("headers") && config["headers"].is_object())
        for (const auto& [name, value] : config["headers"].items())
            if (value.is_string())
                call.headers.emplace_back(name, substitute(value.get<std::string>(), state.variables));
    if (config.contains("body")) call.body = substitute(config.value("body", ""), state.variables);
    // The template is at most 100000 bytes; variables could make it any size.
    if (call.body.size() > kMaxRequestBody)
        return failed("request_too_large", "the request body is " + std::to_string(call.body.size()) +
                                               " bytes after replacing the variables, more than " +
                                               std::to_string(kMaxRequestBody));
    HttpAnswer answer;
    try {
        answer = guarded_request(settings, call);
    } catch (const CallFailure& failure) {
        return failed(failure.code(), failure.what());
    }
    json value = json::parse(answer.body, nullptr, false);
    if (value.is_discarded()) value = answer.body;
    json actions = {{"set_variables", {{config.value("result_variable", "result"), value}}},
                    {"http_status", answer.status},
                    {"listen", false},
                    {"done", true}};
    if (answer.status >= 400) {
        actions["error"] = "the API answered " + std::to_string(answer.status);
        actions["error_code"] = "http_status";
    }
    return actions;
}

// With speak_while_waiting, the first step only says it (done: false) and the
// host steps again for the request.
json step_with(const FunctionSettings& settings, const StepState& state) {
    if (state.first && state.config.contains("speak_while_waiting"))
        return {{"say", substitute(state.config.value("speak_while_waiting", ""), state.variables)},
                {"listen", false},
                {"done", false}};
    return call_api(settings, state);
}

// The spec's own step: the default settings (the plugin steps with its
// configured ones, see step_function).
json step_default(const StepState& state) {
    static const std::shared_ptr<const FunctionSettings> defaults = parse_function_settings("{}");
    return step_with(*defaults, state);
}

}  // namespace

const NodeSpec& function_node() {
    static const NodeSpec spec{"function", "Calls an HTTP API and stores the response in a variable", kFunctionSchema,
                               &validate_function, &step_default};
    return spec;
}

json step_function(const FunctionSettings& settings, const StepState& state) { return step_with(settings, state); }

}  // namespace vox::flow_nodes
