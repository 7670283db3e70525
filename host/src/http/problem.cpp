#include "http/problem.hpp"

namespace vox::host {

nlohmann::json problem_json(const Problem& problem, std::string_view request_id) {
    nlohmann::json body = nlohmann::json::object();
    if (problem.extensions.is_object())
        for (const auto& [name, value] : problem.extensions.items()) body[name] = value;
    // The standard members come last so an extension can never replace them.
    body["type"] = std::string(kProblemTypePrefix) + problem.code;
    body["title"] = problem.title;
    body["status"] = problem.status;
    body["detail"] = problem.detail;
    body["code"] = problem.code;
    body["request_id"] = request_id;
    return body;
}

Problem not_found_problem(std::string_view path) {
    return {404, "not_found", "Not found", "No resource at " + std::string(path) + ".", nlohmann::json::object()};
}

Problem method_not_allowed_problem(std::string_view method, std::string_view path,
                                   const std::vector<std::string>& allowed) {
    std::string list;
    for (const auto& name : allowed) list += (list.empty() ? "" : ", ") + name;
    return {405, "method_not_allowed", "Method not allowed",
            std::string(method) + " is not supported on " + std::string(path) + "; allowed: " + list + ".",
            nlohmann::json{{"allowed", allowed}}};
}

Problem internal_error_problem() {
    return {500, "internal_error", "Internal error",
            "The server failed to handle the request; its log has the details under this request_id.",
            nlohmann::json::object()};
}

}  // namespace vox::host
