#define VALIJSON_USE_EXCEPTIONS 1
#include <vox/core/json_schema.hpp>

#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include <algorithm>
#include <stdexcept>

namespace vox {
namespace {

// valijson names a location as {"<root>", "[settings]", "[temperature]"} or "[0]"
// for array items; the API speaks JSON Pointers: "/settings/temperature".
std::string to_pointer(const std::vector<std::string>& context) {
    std::string pointer;
    for (const auto& part : context) {
        if (part == "<root>") continue;
        std::string token = part;
        if (token.size() >= 2 && token.front() == '[' && token.back() == ']') token = token.substr(1, token.size() - 2);
        if (token.size() >= 2 && token.front() == '"' && token.back() == '"') token = token.substr(1, token.size() - 2);
        pointer += '/';
        for (char c : token) {
            if (c == '~')
                pointer += "~0";
            else if (c == '/')
                pointer += "~1";
            else
                pointer += c;
        }
    }
    return pointer;
}

bool is_strict_prefix(const std::vector<std::string>& shorter, const std::vector<std::string>& longer) {
    return shorter.size() < longer.size() && std::equal(shorter.begin(), shorter.end(), longer.begin());
}

}  // namespace

JsonSchema::JsonSchema(nlohmann::json schema) : schema_(std::move(schema)), compiled_(std::make_unique<valijson::Schema>()) {
    if (!schema_.is_object()) throw std::invalid_argument("a JSON Schema must be an object");
    try {
        valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
        valijson::adapters::NlohmannJsonAdapter adapter(schema_);
        parser.populateSchema(adapter, *compiled_);
    } catch (const std::exception& e) {
        throw std::invalid_argument(std::string("invalid JSON Schema: ") + e.what());
    }
}

JsonSchema::~JsonSchema() = default;
JsonSchema::JsonSchema(JsonSchema&&) noexcept = default;
JsonSchema& JsonSchema::operator=(JsonSchema&&) noexcept = default;

std::vector<SchemaProblem> JsonSchema::validate(const nlohmann::json& document) const {
    // The validator caches compiled regexes, so each thread keeps its own.
    thread_local valijson::Validator validator;
    valijson::ValidationResults results;
    valijson::adapters::NlohmannJsonAdapter target(document);
    try {
        if (validator.validate(*compiled_, target, &results)) return {};
    } catch (const std::exception& error) {
        // A validator fault must not become a server error: the document is refused instead.
        return {SchemaProblem{"", std::string("cannot be validated: ") + error.what()}};
    }

    std::vector<valijson::ValidationResults::Error> errors(results.begin(), results.end());
    // valijson reports each failing parent too ("failed to validate property
    // 'settings'"); keep only the innermost, which say what is actually wrong.
    std::vector<SchemaProblem> problems;
    for (const auto& error : errors) {
        bool has_deeper = std::any_of(errors.begin(), errors.end(),
                                      [&](const auto& other) { return is_strict_prefix(error.context, other.context); });
        if (has_deeper) continue;
        SchemaProblem problem{to_pointer(error.context), error.description};
        bool duplicate = std::any_of(problems.begin(), problems.end(), [&](const SchemaProblem& p) {
            return p.field == problem.field && p.message == problem.message;
        });
        if (!duplicate) problems.push_back(std::move(problem));
    }
    return problems;
}

}  // namespace vox
