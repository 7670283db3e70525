// A handler's way to answer with an error: throw ProblemError and HttpService
// sends it as problem+json (with any extra headers, e.g. WWW-Authenticate).
#pragma once

#include "http/problem.hpp"

#include <map>
#include <stdexcept>
#include <string>

namespace vox::host {

class ProblemError : public std::runtime_error {
public:
    explicit ProblemError(Problem problem, std::map<std::string, std::string> headers = {})
        : std::runtime_error(problem.code + ": " + problem.detail), problem_(std::move(problem)), headers_(std::move(headers)) {}
    const Problem& problem() const { return problem_; }
    const std::map<std::string, std::string>& headers() const { return headers_; }

private:
    Problem problem_;
    std::map<std::string, std::string> headers_;
};

// The common ones, with stable codes.
inline ProblemError bad_request(std::string code, std::string detail) {
    return ProblemError(Problem{400, std::move(code), "Bad request", std::move(detail), nlohmann::json::object()});
}
inline ProblemError not_found(std::string what, const std::string& id) {
    return ProblemError(Problem{404, "not_found", "Not found", what + " " + id + " does not exist", nlohmann::json::object()});
}
inline ProblemError conflict(std::string code, std::string detail) {
    return ProblemError(Problem{409, std::move(code), "Conflict", std::move(detail), nlohmann::json::object()});
}
// 422 with the list of {field, message[, allowed]} problems.
inline ProblemError validation_failed(nlohmann::json errors, std::string detail = "the request body is not valid") {
    return ProblemError(Problem{422, "validation_failed", "Validation failed", std::move(detail), {{"errors", std::move(errors)}}});
}

}  // namespace vox::host
