// function: an HTTP request to the business's own API with flow variables in
// the URL, headers and body; the response (JSON when it parses, else text)
// goes into result_variable. https:// verifies the server against the
// system's CA certificates.
#include "node_common.hpp"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/Context.h>
#include <Poco/StreamCopier.h>
#include <Poco/Timespan.h>
#include <Poco/URI.h>

#include <memory>
#include <set>
#include <sstream>

namespace vox::flow_nodes {
namespace {

constexpr const char* kFunctionSchema = R"json({
  "type": "object",
  "title": "Function",
  "description": "Calls an HTTP API and stores the response in a variable.",
  "properties": {
    "url": {"type": "string", "title": "URL", "minLength": 1, "maxLength": 2000, "format": "uri",
            "description": "http:// or https:// address; {{variable}} is replaced by the variable's value."},
    "method": {"enum": ["GET", "POST", "PUT", "PATCH", "DELETE"], "title": "Method", "default": "POST"},
    "timeout_ms": {"type": "integer", "title": "Timeout (ms)", "minimum": 100, "maximum": 30000, "default": 5000,
                   "description": "The request fails when the API has not answered in this time."},
    "headers": {"type": "object", "title": "Headers", "additionalProperties": {"type": "string"},
                "description": "Request headers; values may use {{variable}}."},
    "body": {"type": "string", "title": "Body", "maxLength": 100000,
             "description": "Request body template (JSON usually); {{variable}} is replaced by the variable's value."},
    "result_variable": {"type": "string", "title": "Result variable", "pattern": "^[A-Za-z_][A-Za-z0-9_]*$",
                        "description": "The flow variable that receives the response."},
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
                if (!value.is_string()) problems.add("/headers/" + pointer_token(name), "header '" + name + "' must be a string");
    }
    if (config.contains("body") && !config["body"].is_string())
        problems.add("/body", "body must be a string (a template; {{variable}} is replaced)");
    auto variable = string_field(config, "result_variable", true, problems, 100);
    if (variable && !is_variable_name(*variable))
        problems.add("/result_variable", "'" + *variable + "' is not a variable name (letters, digits, _)");
    string_field(config, "speak_while_waiting", false, problems, 1000);
}

json failed(const std::string& message) {
    return {{"error", message}, {"listen", false}, {"done", true}, {"set_variables", json::object()}};
}

// One client context for the process: verifies servers against the system CAs.
Poco::Net::Context::Ptr tls_context() {
    static const Poco::Net::Context::Ptr context = new Poco::Net::Context(
        Poco::Net::Context::TLS_CLIENT_USE, "", "", "", Poco::Net::Context::VERIFY_RELAXED, 9, true);
    return context;
}

json call_api(const StepState& state) {
    const json& config = state.config;
    std::string url = substitute(config.value("url", ""), state.variables);
    Poco::URI uri;
    try {
        uri = Poco::URI(url);
    } catch (const Poco::Exception& e) {
        return failed("url '" + url + "' is not a valid address: " + e.message());
    }
    if (uri.getScheme() != "http" && uri.getScheme() != "https")
        return failed("url '" + url + "' is not an http:// or https:// address");
    long long timeout_ms = config.value("timeout_ms", 5000LL);
    std::string method = config.value("method", "POST");
    std::string body = config.contains("body") ? substitute(config.value("body", ""), state.variables) : "";
    try {
        std::unique_ptr<Poco::Net::HTTPClientSession> owned;
        if (uri.getScheme() == "https")
            owned = std::make_unique<Poco::Net::HTTPSClientSession>(uri.getHost(), uri.getPort(), tls_context());
        else
            owned = std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), uri.getPort());
        Poco::Net::HTTPClientSession& session = *owned;
        session.setTimeout(Poco::Timespan(timeout_ms * 1000));
        Poco::Net::HTTPRequest request(method, uri.getPathEtc().empty() ? "/" : uri.getPathEtc(),
                                       Poco::Net::HTTPMessage::HTTP_1_1);
        if (config.contains("headers") && config["headers"].is_object())
            for (const auto& [name, value] : config["headers"].items())
                if (value.is_string()) request.set(name, substitute(value.get<std::string>(), state.variables));
        if (!body.empty() && !request.has("Content-Type")) request.setContentType("application/json");
        if (!body.empty() || method != "GET") request.setContentLength(static_cast<std::streamsize>(body.size()));
        session.sendRequest(request) << body;
        Poco::Net::HTTPResponse response;
        std::istream& in = session.receiveResponse(response);
        std::string text;
        Poco::StreamCopier::copyToString(in, text);
        json value = json::parse(text, nullptr, false);
        if (value.is_discarded()) value = text;
        json actions = {{"set_variables", {{config.value("result_variable", "result"), value}}},
                        {"http_status", static_cast<int>(response.getStatus())},
                        {"listen", false},
                        {"done", true}};
        if (static_cast<int>(response.getStatus()) >= 400)
            actions["error"] = "the API answered " + std::to_string(static_cast<int>(response.getStatus()));
        return actions;
    } catch (const Poco::TimeoutException&) {
        return failed("the API at '" + url + "' did not answer within " + std::to_string(timeout_ms) + " ms");
    } catch (const Poco::Exception& e) {
        return failed("the request to '" + url + "' failed: " + e.displayText());
    }
}

// With speak_while_waiting, the first step only says it (done: false) and the
// host steps again for the request.
json step_function(const StepState& state) {
    if (state.first && state.config.contains("speak_while_waiting"))
        return {{"say", substitute(state.config.value("speak_while_waiting", ""), state.variables)},
                {"listen", false},
                {"done", false}};
    return call_api(state);
}

}  // namespace

const NodeSpec& function_node() {
    static const NodeSpec spec{"function", "Calls an HTTP API and stores the response in a variable",
                               kFunctionSchema, &validate_function, &step_function};
    return spec;
}

}  // namespace vox::flow_nodes
