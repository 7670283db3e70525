// The one error envelope of the API: RFC 9457 "problem details", served as
// application/problem+json with a stable machine-readable `code` and the
// `request_id` the response also carries in X-Request-Id.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace vox::host {

inline constexpr std::string_view kProblemContentType = "application/problem+json";
// `type` is this prefix + code: a URI that names the problem kind without
// pretending to be a web page (RFC 9457 allows any URI; none resolves yet).
inline constexpr std::string_view kProblemTypePrefix = "urn:vox:problem:";

struct Problem {
    int status = 500;
    std::string code;                                      // stable, snake_case: what clients branch on
    std::string title;                                     // short summary, the same for every occurrence of the code
    std::string detail;                                    // this occurrence, for people
    nlohmann::json extensions = nlohmann::json::object();  // extra members (e.g. "allowed")
};

// {type,title,status,detail,code,request_id, ...extensions}
nlohmann::json problem_json(const Problem& problem, std::string_view request_id);

Problem not_found_problem(std::string_view path);
Problem method_not_allowed_problem(std::string_view method, std::string_view path,
                                   const std::vector<std::string>& allowed);
Problem internal_error_problem();

}  // namespace vox::host
